import FlowEngine

/// One row of `bot_audit`: who did what to which object.
///
/// `details` is for ids, flags and field names (`"changed": ["phone"]`), never an IIN or a
/// phone number in clear text: the audit table is read by staff who may not see them.
public struct AuditEntry: Sendable, Hashable {
    public let actor: AuditActor
    public let action: String
    public let objectType: String
    public let objectID: String?
    public let details: [String: Value]

    public init(actor: AuditActor, action: String, objectType: String, objectID: String?, details: [String: Value] = [:]) {
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.details = details
    }
}
