/// A code issued: what the desk reads out to the patient, and until when it works.
public struct IssuedLinkCode: Sendable, Hashable {
    public let code: String
    /// ISO 8601 UTC.
    public let expiresAt: String

    public init(code: String, expiresAt: String) {
        self.code = code
        self.expiresAt = expiresAt
    }
}
