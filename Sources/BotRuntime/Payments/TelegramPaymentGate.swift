import ClinicPostgres
import FlowEngine
import Foundation
import Logging
import Telegram

/// Telegram's payment updates, handled where they arrive rather than in the chat's line:
/// Telegram waits at most 10 seconds for the answer to its pre-checkout question, and a
/// successful payment is recorded before anything else happens (once, by Telegram's charge id;
/// the record schedules the `payment_received` flow that tells the patient, in order with the
/// rest of their chat).
public struct TelegramPaymentGate: Sendable {
    let store: PaymentStore
    let answer: @Sendable (AnswerPreCheckoutQuery) async throws -> Void
    /// The refusal a person reads in Telegram's payment sheet, in their language.
    let wording: @Sendable (_ key: String, _ language: Language) -> String
    let logger: Logger

    public init(store: PaymentStore, answer: @escaping @Sendable (AnswerPreCheckoutQuery) async throws -> Void,
                wording: @escaping @Sendable (_ key: String, _ language: Language) -> String, logger: Logger) {
        self.store = store
        self.answer = answer
        self.wording = wording
        self.logger = logger
    }

    /// Whether the update is a payment's (then it is handled here and goes no further).
    public static func isPayment(_ update: Update) -> Bool {
        update.preCheckoutQuery != nil || update.message?.successfulPayment != nil
    }

    /// Handles a payment update. Throws when a successful payment could not be recorded
    /// (storage down): the transport then has Telegram deliver it again.
    public func handle(_ update: Update) async throws {
        if let query = update.preCheckoutQuery {
            try await preCheckout(query)
        } else if let message = update.message, let payment = message.successfulPayment {
            try await record(payment, chat: message.chat.id)
        }
    }

    /// Yes only for an unpaid, unexpired invoice of the payer's own card, at its own amount and
    /// currency; a no says why, in the payer's language.
    func preCheckout(_ query: PreCheckoutQuery) async throws {
        let refusal: String?
        do {
            refusal = try await verdict(query)
        } catch {
            // Telegram will not wait for a retry: the payer is asked to try again shortly.
            logger.warning("pre-checkout could not be checked; refused", metadata: ["error": "\(type(of: error))"])
            refusal = "payments.refused_unavailable"
        }
        let language = Language(rawValue: String((query.from.languageCode ?? "ru").prefix(2))) ?? .ru
        try await answer(AnswerPreCheckoutQuery(preCheckoutQueryId: query.id, ok: refusal == nil,
                                                errorMessage: refusal.map { wording($0, language) }))
    }

    private func verdict(_ query: PreCheckoutQuery) async throws -> String? {
        guard let invoice = try await store.invoice(reference: query.invoicePayload),
              invoice.provider == TelegramPayments.providerName,
              try await store.invoice(id: invoice.id, telegramUserID: query.from.id) != nil
        else { return "payments.refused_changed" }
        if invoice.status == .paid { return "payments.refused_paid" }
        guard invoice.payable(at: Date()) else { return "payments.refused_expired" }
        guard invoice.amountTiyn == query.totalAmount, invoice.currency == query.currency else { return "payments.refused_changed" }
        return nil
    }

    func record(_ payment: SuccessfulPayment, chat: Int64) async throws {
        let claim = PaymentClaim(provider: TelegramPayments.providerName, transactionID: payment.telegramPaymentChargeId,
                                 reference: payment.invoicePayload, amountTiyn: payment.totalAmount, currency: payment.currency)
        switch try await store.record(claim) {
        case .recorded, .duplicate:
            break
        case .alreadyPaid(let invoice), .amountMismatch(let invoice), .notPayable(let invoice):
            // Telegram took the money all the same: kept as an anomaly for the staff to return.
            logger.warning("a Telegram payment did not count; kept for the staff", metadata: ["invoice": "\(invoice.id)", "chat": "\(chat)"])
        case .unknownInvoice:
            logger.error("a Telegram payment for no known invoice", metadata: ["chat": "\(chat)"])
        }
    }
}
