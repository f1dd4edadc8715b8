/// A Kazakhstan phone number in the one form the flows store it: "+7" and ten digits.
///
/// Flows normalise what the patient types ("8 701 …", "+7(701)…", a shared contact); an
/// action only accepts the result, so two spellings of one number can never both be stored.
public struct PhoneNumber: Sendable, Hashable {
    public let e164: String

    public init(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.count == 12, bytes[0] == UInt8(ascii: "+"), bytes[1] == UInt8(ascii: "7"),
              bytes[2...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else {
            throw InvalidInput(field: "phone", reason: "must be +7 followed by 10 digits")
        }
        e164 = text
    }

    /// "+7 701 ••• •• 67": the operator code and the last two digits.
    public var masked: String {
        let digits = Array(e164.dropFirst(2))
        return "+7 \(String(digits[0..<3])) ••• •• \(String(digits[8..<10]))"
    }
}
