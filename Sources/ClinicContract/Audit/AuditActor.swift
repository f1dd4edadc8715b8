/// Who caused a change: a Telegram user, the REST API, or a system job. Stored as text
/// ("telegram:12345", "api", "system:scheduler").
public struct AuditActor: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func telegram(_ userID: Int64) -> AuditActor { AuditActor("telegram:\(userID)") }
    public static let api = AuditActor("api")
    public static func system(_ job: String) -> AuditActor { AuditActor("system:\(job)") }

    public var description: String { text }
}
