import Foundation
import Testing
@testable import FlowEngine

@Suite("Money")
struct TextsMoneyTests {
    @Test(arguments: [
        (0, "0 ₸"), (5, "5 ₸"), (999, "999 ₸"), (1000, "1 000 ₸"), (15000, "15 000 ₸"),
        (100_000, "100 000 ₸"), (1_234_567, "1 234 567 ₸"), (-15000, "-15 000 ₸"),
        (Int.min, "-9 223 372 036 854 775 808 ₸"),
    ])
    func tenge(amount: Int, expected: String) {
        // The tables are written with plain spaces for reading; the output uses no-break spaces.
        #expect(Money.format(tenge: amount) == expected.replacingOccurrences(of: " ", with: "\u{00A0}"))
    }

    @Test("tiyn: whole tenge as they are, a remainder after the Russian and Kazakh decimal comma", arguments: [
        (Int64(0), "0 ₸"), (1, "0,01 ₸"), (50, "0,50 ₸"), (100, "1 ₸"), (1_500_000, "15 000 ₸"), (1_500_050, "15 000,50 ₸"),
        (1_250_005, "12 500,05 ₸"), (-1, "-0,01 ₸"), (-1_500_050, "-15 000,50 ₸"), (Int64.min, "-92 233 720 368 547 758,08 ₸"),
    ])
    func tiyn(amount: Int64, expected: String) {
        #expect(Money.format(tiyn: amount) == expected.replacingOccurrences(of: " ", with: "\u{00A0}"))
    }

    @Test func noBreakSpaces() {
        #expect(Array(Money.format(tenge: 15000).unicodeScalars).map(\.value)
            == [0x31, 0x35, 0xA0, 0x30, 0x30, 0x30, 0xA0, 0x20B8])
    }
}
