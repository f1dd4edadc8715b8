import Foundation

/// Invoices, balances and the bank's callbacks: `PaymentService` in production (with a
/// database, in ClinicPostgres), a fake in tests.
public protocol PaymentDirectory: Sendable {
    func createInvoice(_ request: InvoiceRequest, telegramUserID: Int64, actor: AuditActor, now: Date) async throws -> IssuedInvoice?
    func invoice(id: Int64) async throws -> Invoice?
    func payURL(for invoice: Invoice, now: Date) -> String?
    func balance(telegramUserID: Int64) async throws -> PaymentBalance?
    func callback(body: [UInt8], timestamp: String?, signature: String?, now: Date) async throws -> PaymentCallbackOutcome?
}

