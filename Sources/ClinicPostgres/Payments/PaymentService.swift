import Foundation

/// Payments as the API and the flows use them: invoices through the configured provider, the
/// patient's balance, and the provider's callbacks.
public struct PaymentService: Sendable {
    public let store: PaymentStore
    /// The bank's payment page; nil: none is configured (invoices are paid in Telegram).
    public let redirect: RedirectProvider?
    /// Where the bank posts its callbacks (`PUBLIC_BASE_URL` + the route).
    let callbackURL: String

    public init(store: PaymentStore, redirect: RedirectProvider?, publicBaseURL: String?) {
        self.store = store
        self.redirect = redirect
        callbackURL = (publicBaseURL ?? "") + "/api/bot/payments/callback/"
    }


    public func createInvoice(_ request: InvoiceRequest, telegramUserID: Int64, actor: AuditActor, now: Date = Date()) async throws -> IssuedInvoice? {
        let provider = redirect?.name ?? TelegramPayments.providerName
        guard let invoice = try await store.createInvoice(request, telegramUserID: telegramUserID, provider: provider, actor: actor)
        else { return nil }
        return IssuedInvoice(invoice: invoice, payURL: payURL(for: invoice, now: now))
    }

    /// The link an unpaid invoice is paid at, when a bank is configured.
    public func payURL(for invoice: Invoice, now: Date = Date()) -> String? {
        guard let redirect, invoice.provider == redirect.name, invoice.payable(at: now) else { return nil }
        return redirect.link(for: invoice, callback: callbackURL, now: now)
    }

    public func invoice(id: Int64) async throws -> Invoice? {
        try await store.invoice(id: id)
    }

    public func balance(telegramUserID: Int64) async throws -> PaymentBalance? {
        try await store.balance(telegramUserID: telegramUserID)
    }

    /// nil when no bank is configured (its callbacks are not expected).
    public func callback(body: [UInt8], timestamp: String?, signature: String?, now: Date = Date()) async throws -> PaymentCallbackOutcome? {
        guard let redirect else { return nil }
        return try await PaymentCallbacks(provider: redirect, ledger: store).handle(body: body, timestamp: timestamp, signature: signature, now: now)
    }
}
