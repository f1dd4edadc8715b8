import ClinicContract
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// A bank's payment page in the style of Halyk ePay and Kaspi: the patient opens a link, pays
/// on the bank's page, and the bank posts a signed callback. Its wire contract (ours to fix, as
/// no live bank is reachable here; docs/architecture.md, "Payments"):
///
/// - the link: `{base}/pay?order=<reference>&amount=<tiyn>&currency=KZT&callback=<url>&ts=<unix>
///   &sign=sha256=<hex HMAC(secret, "<ts>.<the query before &ts>")>` — signed, so the bank knows
///   the amount came from the clinic;
/// - the callback: `POST /api/bot/payments/callback/`, body `{"transaction_id", "order",
///   "amount", "currency", "status"}`, signed as `PaymentSignature` says;
/// - the status call: `GET {base}/transactions/<transaction_id>` with `Authorization: Bearer
///   <token>`, answering the same JSON. A payment counts only when the bank's own answer to this
///   call says it is paid, with the callback's order, amount and currency.
///
/// The fake bank of the tests and the demo speaks exactly this.
public struct RedirectProvider: Sendable {
    public let name: String
    let base: String
    let signature: PaymentSignature
    let token: String
    let http: HTTPClient
    let timeout: TimeAmount

    public init(name: String, baseURL: String, secret: String, token: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(8)) {
        self.name = name
        base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        signature = PaymentSignature(secret: secret)
        self.token = token
        self.http = http
        self.timeout = timeout
    }

    /// The link the patient pays an invoice at.
    public func link(for invoice: Invoice, callback: String, now: Date = Date()) -> String {
        var query = URLComponents()
        query.queryItems = [
            URLQueryItem(name: "order", value: invoice.reference),
            URLQueryItem(name: "amount", value: String(invoice.amountTiyn)),
            URLQueryItem(name: "currency", value: invoice.currency),
            URLQueryItem(name: "callback", value: callback),
        ]
        let signed = query.percentEncodedQuery ?? ""
        let timestamp = Int64(now.timeIntervalSince1970)
        let sign = signature.sign(Array(signed.utf8), timestamp: timestamp)
        return "\(base)/pay?\(signed)&ts=\(timestamp)&sign=\(sign.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? sign)"
    }

    /// RFC 3986's unreserved characters, ASCII only (`.alphanumerics` has every script's letters).
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The bank's own word on a transaction; nil when it does not know it.
    public func transaction(_ id: String) async throws -> ProviderTransaction? {
        guard let escaped = id.addingPercentEncoding(withAllowedCharacters: Self.unreserved) else { return nil }
        var request = HTTPClientRequest(url: "\(base)/transactions/\(escaped)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout)
        } catch {
            throw PaymentProviderError.unreachable
        }
        // A status answer is a few hundred bytes; more is not the bank talking.
        let body = try await response.body.collect(upTo: 64 * 1024)
        if response.status == .notFound { return nil }
        guard response.status == .ok else { throw PaymentProviderError.failed(status: Int(response.status.code)) }
        guard let transaction = try? JSONDecoder().decode(ProviderTransaction.self, from: Data(buffer: body)) else {
            throw PaymentProviderError.malformedAnswer
        }
        return transaction
    }
}
