// The PostgreSQL implementations are what the REST API's directories are in production.
// ClinicContract declares the protocols; the conformances live here, beside the types.
@_exported import ClinicContract
import FlowEngine
@_exported import ClinicRemote
@_exported import FlowActions

extension PatientStore: PatientDirectory {}
extension FeedbackStore: FeedbackDirectory {}
extension DocumentService: DocumentDirectory {}
extension PaymentService: PaymentDirectory {}
extension PaymentStore: PaymentLedger {}
extension PatientStore: PatientAccounts {}
extension FeedbackStore: FeedbackRatings {}
extension DocumentStore: DocumentShelf {}

extension PaymentService: PaymentDesk {
    public var bankName: String? { redirect?.name }

    public func invoice(id: Int64, telegramUserID: Int64) async throws -> Invoice? {
        try await store.invoice(id: id, telegramUserID: telegramUserID)
    }

    public func invoices(telegramUserID: Int64, status: InvoiceStatus?, limit: Int) async throws -> [Invoice]? {
        try await store.invoices(telegramUserID: telegramUserID, status: status, limit: limit)
    }

    public func prepaymentInvoice(appointmentID: Int64, telegramUserID: Int64, language: Language, provider: String,
                                  actor: AuditActor) async throws -> PrepaymentInvoice {
        try await store.prepaymentInvoice(appointmentID: appointmentID, telegramUserID: telegramUserID, language: language,
                                          provider: provider, actor: actor)
    }
}
