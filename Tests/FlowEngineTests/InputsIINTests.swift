import Foundation
import Testing
@testable import FlowEngine

@Suite("IIN")
struct InputsIINTests {
    // Worked by hand with the official weights, e.g. 900305300125:
    // 9·1 + 0·2 + 0·3 + 3·4 + 0·5 + 5·6 + 3·7 + 0·8 + 0·9 + 1·10 + 2·11 = 104, 104 mod 11 = 5.
    @Test("valid IINs", arguments: [
        ("900305300125", ymd(1990, 3, 5), Sex.male),
        ("851202400003", ymd(1985, 12, 2), .female),
        ("000229501234", ymd(2000, 2, 29), .male),
        ("051101600017", ymd(2005, 11, 1), .female),  // second pass: first sum 76 mod 11 = 10
        ("991231100000", ymd(1899, 12, 31), .male),
        ("650101200007", ymd(1865, 1, 1), .female),
    ])
    func valid(text: String, birthDate: CalendarDate, sex: Sex) throws {
        let iin = try IIN(text)
        #expect(iin.digits == text)
        #expect(iin.birthDate == birthDate)
        #expect(iin.sex == sex)
        #expect(makeIIN(birthDate, sex, serial: Int(text.dropFirst(7).prefix(4))!) == text)
    }

    /// 9003053007·: the first pass gives 9·1+3·4+5·6+3·7+7·10 = 142, 142 mod 11 = 10;
    /// the second, 9·3+3·6+5·8+3·9+7·1 = 119, 119 mod 11 = 9, so the check digit is 9.
    @Test func secondWeightSequence() throws {
        let iin = try IIN("900305300709")
        #expect(iin.birthDate == ymd(1990, 3, 5))
        #expect(IIN.checkDigit([9, 0, 0, 3, 0, 5, 3, 0, 0, 7, 0]) == 9)
        #expect(makeIIN(ymd(1990, 3, 5), .male, serial: 70) == "900305300709")
        // With the first weights alone 9 would be wrong: 142 mod 11 is 10, not 9.
        #expect(thrownProblem(IINProblem.self) { _ = try IIN("900305300700") } == .checksum)
    }

    /// 9003053007 6·: first pass 142 + 6·11 = 208, mod 11 = 10; second 119 + 6·2 = 131, mod 11 = 10.
    /// No check digit exists, so every twelfth digit is refused.
    @Test func bothPassesTenIsRefused() {
        #expect(IIN.checkDigit([9, 0, 0, 3, 0, 5, 3, 0, 0, 7, 6]) == nil)
        #expect(makeIIN(ymd(1990, 3, 5), .male, serial: 76) == nil)
        for last in 0...9 {
            #expect(thrownProblem(IINProblem.self) { _ = try IIN("90030530076\(last)") } == .checksum)
        }
    }

    @Test("generated IINs round-trip", arguments: [
        (ymd(1990, 3, 5), Sex.male), (ymd(1990, 3, 5), .female), (ymd(2001, 1, 31), .male),
        (ymd(2024, 2, 29), .female), (ymd(1950, 7, 15), .male), (ymd(1899, 6, 30), .female),
    ])
    func roundTrip(date: CalendarDate, sex: Sex) throws {
        var refused = 0
        for serial in stride(from: 0, to: 10_000, by: 37) {
            guard let text = makeIIN(date, sex, serial: serial) else {
                refused += 1
                continue
            }
            let iin = try IIN(text)
            #expect(iin.birthDate == date && iin.sex == sex && iin.digits == text)
        }
        #expect(refused < 30)  // about 1 in 121 serials has no check digit
    }

    @Test("spaces between groups", arguments: ["900305 300125", " 9003 0530 0125 ", "900 305 300 125", "900305\u{00A0}300125"])
    func spaces(text: String) throws {
        #expect(try IIN(text).digits == "900305300125")
    }

    @Test("refused", arguments: [
        ("", IINProblem.length),
        ("90030530012", .length),
        ("9003053001255", .length),
        ("90030530012a", .notDigits),
        ("900305-300125", .notDigits),
        ("ИИН 900305300125", .notDigits),
        ("900305700125", .centuryDigit),
        ("900305000125", .centuryDigit),
        ("900305900125", .centuryDigit),
        ("901305300125", .birthDate),  // month 13
        ("900230300125", .birthDate),  // 30 February
        ("010229500000", .birthDate),  // 2001 is not a leap year
        ("000229300000", .birthDate),  // 1900 is not a leap year either
        ("900305300126", .checksum),
        ("900305300152", .checksum),  // two digits swapped
    ])
    func refused(text: String, expected: IINProblem) {
        #expect(thrownProblem(IINProblem.self) { _ = try IIN(text) } == expected)
    }

    @Test("agreement with earlier answers", arguments: [
        (ymd(1990, 3, 5), Sex.male, IINMismatch?.none),
        (nil, nil, nil),
        (ymd(1990, 3, 5), nil, nil),
        (nil, .male, nil),
        (ymd(1990, 3, 6), .male, .birthDateMismatch),
        (ymd(1990, 3, 5), .female, .sexMismatch),
        (nil, .female, .sexMismatch),
        (ymd(2090, 3, 5), .female, .birthDateMismatch),
    ])
    func mismatch(birthDate: CalendarDate?, sex: Sex?, expected: IINMismatch?) throws {
        let iin = try IIN("900305300125")
        #expect(iin.mismatch(birthDate: birthDate, sex: sex) == expected)
    }

    @Test func maskedAndDescription() throws {
        let iin = try IIN("900305300125")
        #expect(iin.masked == "9003••••••25")
        #expect("\(iin)" == "9003••••••25")
    }

    @Test func codableAsDigits() throws {
        let iin = try IIN("900305 300125")
        let data = try JSONEncoder().encode([iin])
        #expect(String(decoding: data, as: UTF8.self) == #"["900305300125"]"#)
        #expect(try JSONDecoder().decode([IIN].self, from: data) == [iin])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([IIN].self, from: Data(#"["900305300126"]"#.utf8))
        }
    }

    @Test func sexRawValues() throws {
        #expect(Sex.male.rawValue == "M" && Sex.female.rawValue == "F")
        #expect(String(decoding: try JSONEncoder().encode([Sex.female]), as: UTF8.self) == #"["F"]"#)
    }
}
