import FlowEngine
import Foundation

// What the flows' actions need of the clinic, domain by domain: the PostgreSQL stores in
// production, anything else in a test. The actions are written against these, never against a
// database.

/// A person's card as the patient's own dialogues change it.
public protocol PatientAccounts: Sendable {
    func byTelegram(_ telegramUserID: Int64) async throws -> PatientRecord?
    func upsert(_ draft: PatientDraft, actor: AuditActor, authority: LinkAuthority) async throws -> PatientUpsertResult
    /// False: no card is linked to this Telegram user.
    func setLanguage(telegramUserID: Int64, language: Language, actor: AuditActor) async throws -> Bool
    func setPhone(telegramUserID: Int64, phone: PhoneNumber, verified: Bool, actor: AuditActor) async throws -> Bool
    /// nil: no card is linked.
    func setConsent(telegramUserID: Int64, _ event: ConsentEvent, actor: AuditActor) async throws -> ConsentChange?
    func unlink(telegramUserID: Int64, actor: AuditActor) async throws -> Bool
}

/// Ratings of visits, as the patient gives them.
public protocol FeedbackRatings: Sendable {
    func rate(appointmentID: Int64, telegramUserID: Int64, score: Int, comment: String?, source: String,
              actor: AuditActor) async throws -> FeedbackRated
    /// False: no rating of theirs without a comment.
    func comment(appointmentID: Int64, telegramUserID: Int64, text: String, actor: AuditActor) async throws -> Bool
}

/// The patient's documents, as the bot lists and sends them.
public protocol DocumentShelf: Sendable {
    /// nil: no card is linked.
    func list(telegramUserID: Int64, kind: DocumentKind?, limit: Int, offset: Int) async throws -> DocumentPage?
    func summary(documentID: Int64, telegramUserID: Int64) async throws -> DocumentSummary?
    func file(documentID: Int64, telegramUserID: Int64, actor: AuditActor) async throws -> DocumentFetch
}

/// The patient's invoices and how they are paid.
public protocol PaymentDesk: Sendable {
    /// The bank's name when one is configured (invoices are paid at its page), nil otherwise.
    var bankName: String? { get }
    func invoice(id: Int64, telegramUserID: Int64) async throws -> Invoice?
    /// nil: no card is linked.
    func invoices(telegramUserID: Int64, status: InvoiceStatus?, limit: Int) async throws -> [Invoice]?
    func balance(telegramUserID: Int64) async throws -> PaymentBalance?
    func prepaymentInvoice(appointmentID: Int64, telegramUserID: Int64, language: Language, provider: String,
                           actor: AuditActor) async throws -> PrepaymentInvoice
    /// The bank's link for an unpaid invoice of its own; nil otherwise.
    func payURL(for invoice: Invoice, now: Date) -> String?
}
