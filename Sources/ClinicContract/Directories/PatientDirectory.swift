import FlowEngine

/// The patients the API registers and looks up: `PatientStore` in production, a fake in tests.
public protocol PatientDirectory: Sendable {
    /// Registers or re-registers the patient behind `draft.telegramUserID`, auditing as `actor`.
    func upsert(_ draft: PatientDraft, actor: AuditActor) async throws -> PatientUpsertResult
    /// The patient the Telegram user is linked to, or nil; the read is audited as `actor`, with
    /// whether the IIN and phone were shown in clear.
    func byTelegram(_ telegramUserID: Int64, readBy actor: AuditActor, revealing: Bool) async throws -> PatientRecord?
    /// A one-time code that links the card with this IIN in the bot; nil: no such card.
    func issueLinkCode(iin: IIN, actor: AuditActor) async throws -> IssuedLinkCode?
}

