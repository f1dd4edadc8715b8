import ClinicContract
import Foundation

/// `POST payments/invoice/`: what the clinic asks a patient to pay.
struct InvoiceBody: Decodable {
    let telegramUserID: PositiveID
    /// Tiyn: 1 ₸ = 100. An integer, never a fraction.
    let amountTiyn: Int64
    let description: BoundedText<TitleLimit>
    let appointmentID: PositiveID?
    let expiresAt: ZonedMoment?

    enum CodingKeys: String, CodingKey {
        case telegramUserID = "telegram_user_id"
        case amountTiyn = "amount_tiyn"
        case description
        case appointmentID = "appointment_id"
        case expiresAt = "expires_at"
    }

    /// Up to a billion tenge: a clinic's invoice, not an overflow.
    static let maximumTiyn: Int64 = 100_000_000_000

    func request(now: Date) throws(APIError) -> InvoiceRequest {
        guard (1...Self.maximumTiyn).contains(amountTiyn) else {
            throw .invalidField("amount_tiyn", "must be a whole number of tiyn from 1 to \(Self.maximumTiyn)")
        }
        if let expiresAt, expiresAt.date <= now { throw .invalidField("expires_at", "must be in the future") }
        return InvoiceRequest(amountTiyn: amountTiyn, description: description.text, appointmentID: appointmentID?.value, expires: expiresAt?.date)
    }
}

/// An invoice as the API answers it: the stored invoice and, while it can be paid at a bank,
/// the link to pay it at.
struct InvoiceAnswer: Encodable {
    let invoice: Invoice
    let payURL: String?

    enum CodingKeys: String, CodingKey {
        case payURL = "pay_url"
    }

    func encode(to encoder: any Encoder) throws {
        try invoice.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(payURL, forKey: .payURL)
    }
}

/// The answer to a bank's callback that was signed: what became of it.
struct CallbackAnswer: Encodable {
    let result: String
    let invoiceID: Int64?

    enum CodingKeys: String, CodingKey {
        case result
        case invoiceID = "invoice_id"
    }

    init(_ recording: PaymentRecording) {
        switch recording {
        case .recorded(let invoice): self.init(result: "recorded", invoiceID: invoice.id)
        case .duplicate(let invoice): self.init(result: "duplicate", invoiceID: invoice.id)
        case .alreadyPaid(let invoice): self.init(result: "already_paid", invoiceID: invoice.id)
        case .amountMismatch(let invoice): self.init(result: "amount_mismatch", invoiceID: invoice.id)
        case .notPayable(let invoice): self.init(result: "not_payable", invoiceID: invoice.id)
        case .unknownInvoice: self.init(result: "unknown_invoice", invoiceID: nil)
        }
    }

    init(result: String, invoiceID: Int64?) {
        self.result = result
        self.invoiceID = invoiceID
    }
}
