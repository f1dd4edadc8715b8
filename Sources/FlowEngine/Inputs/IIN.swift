import Foundation

/// A Kazakhstan individual identification number (ИИН / ЖСН): 12 digits that encode the
/// birth date and sex and end in a check digit.
///
/// Layout: digits 1–6 are the birth date YYMMDD, digit 7 the century and sex
/// (1/2 born in the 1800s, 3/4 in the 1900s, 5/6 in the 2000s; odd male, even female),
/// digits 8–11 a serial, digit 12 the check digit (see `checkDigit(_:)`).
public struct IIN: Sendable, Hashable, CustomStringConvertible {
    /// The 12 ASCII digits, no spaces.
    public let digits: String
    public let birthDate: CalendarDate
    public let sex: Sex

    /// Parses what a person types. Spaces between digit groups ("900305 300 123") are allowed,
    /// since people copy the number from documents that print it grouped.
    public init(_ text: String) throws(IINProblem) {
        var values: [Int] = []
        values.reserveCapacity(12)
        var count = 0
        for scalar in text.unicodeScalars {
            if let digit = InputText.digit(scalar) {
                count += 1
                if count <= 12 { values.append(digit) }  // don't grow for absurdly long input
            } else if !InputText.isSpace(scalar) {
                throw .notDigits
            }
        }
        guard count == 12 else { throw .length }

        let centuryDigit = values[6]
        guard (1...6).contains(centuryDigit) else { throw .centuryDigit }
        let century = 1800 + 100 * ((centuryDigit - 1) / 2)
        do {
            birthDate = try CalendarDate(
                year: century + values[0] * 10 + values[1],
                month: values[2] * 10 + values[3],
                day: values[4] * 10 + values[5])
        } catch {
            throw .birthDate
        }
        sex = centuryDigit % 2 == 1 ? .male : .female
        guard IIN.checkDigit(values[0..<11]) == values[11] else { throw .checksum }
        digits = String(String.UnicodeScalarView(values.map { Unicode.Scalar(UInt8(0x30 + $0)) }))
    }

    /// Checks the IIN against a birth date and sex the person entered earlier; nil arguments
    /// are not checked. Returns the first disagreement, or nil when they agree.
    public func mismatch(birthDate: CalendarDate?, sex: Sex?) -> IINMismatch? {
        if let birthDate, birthDate != self.birthDate { return .birthDateMismatch }
        if let sex, sex != self.sex { return .sexMismatch }
        return nil
    }

    /// For logs and confirmations: "9003••••••23", the first four and last two digits.
    public var masked: String {
        String(digits.prefix(4)) + String(repeating: "•", count: 6) + String(digits.suffix(2))
    }

    /// Masked, so that interpolating an IIN into a log line does not leak it. Use `digits` to store it.
    public var description: String { masked }
}

/// Why a typed IIN was refused; locale keys `errors.iin.*`.
public enum IINProblem: String, TypedInputProblem {
    /// Not 12 digits.
    case length
    /// Something other than digits and spaces.
    case notDigits = "not_digits"
    /// The 7th digit is not 1–6.
    case centuryDigit = "century_digit"
    /// Digits 1–6 are not a real date.
    case birthDate = "birth_date"
    /// The 12th digit does not match the others: usually a typo.
    case checksum

    public static var domain: String { "iin" }
}

/// How a valid IIN disagrees with what the person said before; locale keys `errors.iin.*`.
public enum IINMismatch: String, TypedInputProblem {
    case birthDateMismatch = "birth_date_mismatch"
    case sexMismatch = "sex_mismatch"

    public static var domain: String { "iin" }
}

extension IIN: ParsedText {
    public var canonicalText: String { digits }
}
