import Foundation

/// An amount of money in tiyn (1 ₸ = 100 tiyn): integers only, so a sum never drifts.
public typealias Tiyn = Int64

public enum InvoiceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case unpaid, paid, cancelled, expired
}

/// An invoice as the API, the staff and the patient's flows see it.
public struct Invoice: Sendable, Hashable, Encodable {
    public let id: Int64
    public let number: String
    public let patientID: Int64
    public let appointmentID: Int64?
    public let description: String
    public let amountTiyn: Tiyn
    public let currency: String
    public let provider: String
    public let status: InvoiceStatus
    public let createdAt: Date
    public let expiresAt: Date?
    public let paidAt: Date?
    public let refundRequested: Bool
    /// What the provider was told the invoice is: never shown to the patient nor in the API's
    /// answers (not among `CodingKeys`).
    public let reference: String

    enum CodingKeys: String, CodingKey {
        case id, number, description, currency, provider, status
        case patientID = "patient_id"
        case appointmentID = "appointment_id"
        case amountTiyn = "amount_tiyn"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case paidAt = "paid_at"
        case refundRequested = "refund_requested"
    }

    /// Whether a payment may still settle it now.
    public func payable(at now: Date) -> Bool {
        status == .unpaid && (expiresAt.map { $0 > now } ?? true)
    }

    public init(id: Int64, number: String, patientID: Int64, appointmentID: Int64? = nil, description: String, amountTiyn: Tiyn, currency: String, provider: String, status: InvoiceStatus, createdAt: Date, expiresAt: Date? = nil, paidAt: Date? = nil, refundRequested: Bool, reference: String) {
        self.id = id
        self.number = number
        self.patientID = patientID
        self.appointmentID = appointmentID
        self.description = description
        self.amountTiyn = amountTiyn
        self.currency = currency
        self.provider = provider
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.paidAt = paidAt
        self.refundRequested = refundRequested
        self.reference = reference
    }
}

/// What a patient owes and has paid.
public struct PaymentBalance: Sendable, Hashable, Encodable {
    public let currency = "KZT"
    /// Unpaid invoices not yet expired.
    public let dueTiyn: Tiyn
    public let paidTiyn: Tiyn
    /// Paid for visits since cancelled: the clinic owes it back.
    public let refundPendingTiyn: Tiyn
    public let unpaidInvoices: Int

    enum CodingKeys: String, CodingKey {
        case currency
        case dueTiyn = "due_tiyn"
        case paidTiyn = "paid_tiyn"
        case refundPendingTiyn = "refund_pending_tiyn"
        case unpaidInvoices = "unpaid_invoices"
    }

    public init(dueTiyn: Tiyn, paidTiyn: Tiyn, refundPendingTiyn: Tiyn, unpaidInvoices: Int) {
        self.dueTiyn = dueTiyn
        self.paidTiyn = paidTiyn
        self.refundPendingTiyn = refundPendingTiyn
        self.unpaidInvoices = unpaidInvoices
    }
}

/// A provider's word that an invoice was paid, after its signature (and, for a redirect
/// provider, its status call) checked out.
public struct PaymentClaim: Sendable, Hashable {
    public let provider: String
    public let transactionID: String
    /// The invoice's `reference`, as the provider was told it.
    public let reference: String
    public let amountTiyn: Tiyn
    public let currency: String

    public init(provider: String, transactionID: String, reference: String, amountTiyn: Tiyn, currency: String) {
        self.provider = provider
        self.transactionID = transactionID
        self.reference = reference
        self.amountTiyn = amountTiyn
        self.currency = currency
    }
}

/// What recording a claim did. Only `recorded` changed anything a patient or the clinic sees.
public enum PaymentRecording: Sendable, Hashable {
    /// The invoice is paid now, by this transaction.
    case recorded(Invoice)
    /// This very transaction was recorded before (a replayed or duplicated callback).
    case duplicate(Invoice)
    /// Another transaction paid the invoice already: kept as an anomaly, money to return.
    case alreadyPaid(Invoice)
    /// The amount or currency is not the invoice's: kept as an anomaly, not counted.
    case amountMismatch(Invoice)
    /// Cancelled or expired: kept as an anomaly, not counted.
    case notPayable(Invoice)
    /// No invoice has this reference.
    case unknownInvoice
}
