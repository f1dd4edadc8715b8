import ClinicContract
import Foundation
import HTTPTypes
import Hummingbird

extension APIHandlers {
    /// 201 with the invoice and, when a bank is configured, the link to pay it at.
    func createInvoice(_ request: Request, payments: any PaymentDirectory) async throws -> Response {
        let body = try await JSONBody.decode(InvoiceBody.self, from: request)
        let now = Date()
        guard let issued = try await payments.createInvoice(try body.request(now: now), telegramUserID: body.telegramUserID.value, actor: .api, now: now)
        else { throw APIError.patientNotFound }
        return try APIResponse.json(InvoiceAnswer(invoice: issued.invoice, payURL: issued.payURL), status: .created)
    }

    func invoiceStatus(invoiceID: Int64, payments: any PaymentDirectory) async throws -> Response {
        guard let invoice = try await payments.invoice(id: invoiceID) else { throw APIError.invoiceNotFound }
        return try APIResponse.json(InvoiceAnswer(invoice: invoice, payURL: payments.payURL(for: invoice, now: Date())))
    }

    func balance(_ query: QueryParameters, payments: any PaymentDirectory) async throws -> Response {
        guard let balance = try await payments.balance(telegramUserID: try query.id("telegram_user_id")) else {
            throw APIError.patientNotFound
        }
        return try APIResponse.json(balance)
    }

    /// The bank's callback: no bearer (the bank does not have ours); its signature over the
    /// raw body is its proof, checked before the body is read as JSON. A signed callback is
    /// answered 200 with what became of it, so the bank stops repeating it; one the bank's
    /// status call does not confirm is 409, and 503 when the bank cannot be asked now.
    func paymentCallback(_ request: Request, payments: any PaymentDirectory) async throws -> Response {
        let buffer = try await JSONBody.bytes(of: request, limit: Self.callbackLimit)
        let timestamp = request.headers[HTTPField.Name(PaymentSignature.timestampHeader)!]
        let signature = request.headers[HTTPField.Name(PaymentSignature.signatureHeader)!]
        let outcome: PaymentCallbackOutcome?
        do {
            outcome = try await payments.callback(body: Array(buffer.readableBytesView), timestamp: timestamp, signature: signature, now: Date())
        } catch is PaymentProviderError {
            throw APIError.providerUnreachable
        }
        switch outcome {
        case nil: throw APIError.routeNotFound
        case .forged: throw APIError.signatureInvalid
        case .stale: throw APIError.signatureExpired
        case .malformed: throw APIError.invalidJSON("The callback must be {transaction_id, order, amount, currency, status}")
        case .unconfirmed: throw APIError.paymentUnconfirmed
        case .ignored: return try APIResponse.json(CallbackAnswer(result: "ignored", invoiceID: nil))
        case .handled(let recording): return try APIResponse.json(CallbackAnswer(recording))
        }
    }

    /// A callback is a few hundred bytes.
    static let callbackLimit = 16 * 1024
}
