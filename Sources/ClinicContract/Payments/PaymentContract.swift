import Foundation

/// An invoice with the link to pay it at (nil without a bank: it is paid in Telegram).
public struct IssuedInvoice: Sendable, Hashable {
    public let invoice: Invoice
    public let payURL: String?

    public init(invoice: Invoice, payURL: String?) {
        self.invoice = invoice
        self.payURL = payURL
    }
}

/// Telegram Payments (`sendInvoice`, `pre_checkout_query`, `successful_payment`).
public enum TelegramPayments {
    public static let providerName = "telegram"
    /// What Telegram's payment sheet says when the bot refuses a payment before it is taken.
    public static let refusals = ["payments.refused_paid", "payments.refused_expired", "payments.refused_changed", "payments.refused_unavailable"]
}

/// What became of a bank's callback.
public enum PaymentCallbackOutcome: Sendable, Equatable {
    /// Signed with another secret, or not at all: nothing was read.
    case forged
    /// Signed, but outside the time window: a replay.
    case stale
    /// Not the JSON the contract says.
    case malformed
    /// The callback says something other than "paid" (pending, failed): nothing to record.
    case ignored
    /// The bank's status call does not confirm what the callback says.
    case unconfirmed
    /// The store's answer.
    case handled(PaymentRecording)
}

/// A request the payments refuse for what it says, not for a failure.
public enum PaymentRefusal: Error, Sendable, Equatable {
    /// The appointment named is not the patient's (or does not exist).
    case appointmentNotFound
}

/// What the clinic asks to be paid.
public struct InvoiceRequest: Sendable, Hashable {
    public var amountTiyn: Tiyn
    public var description: String
    public var appointmentID: Int64?
    /// nil: never expires.
    public var expires: Date?

    public init(amountTiyn: Tiyn, description: String, appointmentID: Int64? = nil, expires: Date? = nil) {
        self.amountTiyn = amountTiyn
        self.description = description
        self.appointmentID = appointmentID
        self.expires = expires
    }
}

/// A bank's transaction, as its callback and its status call describe it.
public struct ProviderTransaction: Sendable, Hashable, Codable {
    public let transactionID: String
    /// The invoice's reference.
    public let order: String
    public let amount: Tiyn
    public let currency: String
    /// "paid" counts; anything else ("pending", "failed", "refunded") does not.
    public let status: String

    public init(transactionID: String, order: String, amount: Tiyn, currency: String, status: String) {
        self.transactionID = transactionID
        self.order = order
        self.amount = amount
        self.currency = currency
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case order, amount, currency, status
        case transactionID = "transaction_id"
    }

    public var isPaid: Bool { status == "paid" }
}

public enum PaymentProviderError: Error, Sendable, Equatable {
    case unreachable
    case failed(status: Int)
    case malformedAnswer
}

/// Where payments are recorded, at most once each (`PaymentStore` on PostgreSQL).
public protocol PaymentLedger: Sendable {
    /// Records a provider's checked claim; a claim seen before is `duplicate`, never a second payment.
    func record(_ claim: PaymentClaim) async throws -> PaymentRecording
}

/// The invoice that prepays a held visit, or why there is none.
public enum PrepaymentInvoice: Sendable, Hashable {
    case invoice(Invoice)
    /// Paid already (the flow asked after the payment).
    case paid(Invoice)
    /// The hold is over: the time was given back, or is about to be.
    case expired
    /// No such visit of this patient.
    case notFound
}
