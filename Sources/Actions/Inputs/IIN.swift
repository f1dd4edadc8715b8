/// A Kazakhstan individual identification number (ИИН): 12 digits whose last is a checksum.
///
/// Digits 1–6 are the birth date YYMMDD, digit 7 the century and sex. Only the length, the
/// digits and the checksum are enforced here: a few real IINs disagree with the birth date a
/// patient states, and the registration flow already asks about that mismatch.
public struct IIN: Sendable, Hashable {
    public let digits: String

    public init(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.count == 12, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw InvalidInput(field: "iin", reason: "must be exactly 12 digits")
        }
        let values = bytes.map { Int($0 - UInt8(ascii: "0")) }
        guard let check = IIN.checkDigit(values), check == values[11] else {
            throw InvalidInput(field: "iin", reason: "checksum does not match")
        }
        digits = text
    }

    /// The control digit for the first 11 digits, or nil when no digit fits (such serial
    /// numbers are never issued).
    public static func checkDigit(_ digits: [Int]) -> Int? {
        precondition(digits.count >= 11)
        let first = (0..<11).reduce(0) { $0 + digits[$1] * ($1 + 1) } % 11
        if first != 10 { return first }
        let weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        let second = (0..<11).reduce(0) { $0 + digits[$1] * weights[$1] } % 11
        return second == 10 ? nil : second
    }

    /// "9003••••••23": enough for a patient to recognise their own IIN.
    public var masked: String {
        String(digits.prefix(4)) + String(repeating: "•", count: 6) + String(digits.suffix(2))
    }
}
