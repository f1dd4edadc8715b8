/// An input that failed its check at a trust boundary. Says which field and why, never the
/// value: the value may be an IIN or a phone number, and this error is logged.
public struct InvalidInput: PIIFreeError, Sendable, Hashable, CustomStringConvertible {
    public let field: String
    public let reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "invalid \(field): \(reason)" }
}
