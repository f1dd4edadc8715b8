@testable import FlowEngine

/// IINs with a known birth date and sex, made with the official check digit.
enum TestIINs {
    /// 1990-03-05, a man: digits YYMMDD, century-and-sex digit 3, a serial, the check digit.
    static let man1990 = make("900305", centuryDigit: 3)
    /// 2001-12-31, a woman.
    static let woman2001 = make("011231", centuryDigit: 6)

    static func make(_ yymmdd: String, centuryDigit: Int) -> String {
        let date = yymmdd.compactMap { $0.wholeNumberValue }
        for serial in 1000...9999 {
            let first11 = date + [centuryDigit] + String(serial).compactMap { $0.wholeNumberValue }
            if let check = IIN.checkDigit(first11) { return (first11 + [check]).map(String.init).joined() }
        }
        fatalError("no serial has a check digit")
    }

    /// The IIN with its last digit changed, so the check digit no longer matches.
    static func withWrongCheckDigit(_ iin: String) -> String {
        let last = iin.last!.wholeNumberValue!
        return String(iin.dropLast()) + String((last + 1) % 10)
    }
}
