import ClinicContract
import Foundation
import Hummingbird
import Logging
import LoopbackServer
import NIOCore

/// A bank's payment page on loopback, with the wire behaviour `RedirectProvider` expects: it
/// pays what a signed payment link asks, signs its callbacks with the shared secret, and
/// answers status calls (`GET /transactions/<id>`, bearer token) with its own record. The
/// tests and the callbacks benchmark (`clinic-bot bench-payments`) pay through it, and
/// `clinic-bot fake-bank` serves it for a demo, with a page a person pays at (`FakeBankPage`).
public actor FakeBank {
    public nonisolated let secret: String
    public nonisolated let token: String
    private var transactions: [String: ProviderTransaction] = [:]
    private var serial = 0
    /// Status calls answered so far.
    public private(set) var statusCalls = 0
    /// While true, status calls get a 503 (the bank is down).
    public var down = false

    public init(secret: String = "bank-callback-secret-0123456789abcdef", token: String = "bank-status-token-0123456789abcdef") {
        self.secret = secret
        self.token = token
    }

    public func setDown(_ down: Bool) { self.down = down }

    /// A callback as the bank would post it.
    public struct Callback: Sendable {
        public let body: [UInt8]
        public let timestamp: String
        public let signature: String
        public let transactionID: String
        public var json: String { String(decoding: body, as: UTF8.self) }

        public init(body: [UInt8], timestamp: String, signature: String, transactionID: String) {
            self.body = body
            self.timestamp = timestamp
            self.signature = signature
            self.transactionID = transactionID
        }
    }

    public enum Refusal: Error { case unsignedLink, notALink }

    /// Pays the invoice a payment link names, as a patient on the bank's page would: the link's
    /// signature must be the clinic's. Returns the callback to deliver.
    public func pay(link: String, now: Date = Date()) throws -> Callback {
        let asked = try check(link: link, now: now)
        return settle(order: asked.order, amount: asked.amount, currency: asked.currency, now: now)
    }

    /// What a payment link asks, if the clinic signed it (within the signature's time window).
    public func check(link: String, now: Date = Date()) throws -> (order: String, amount: Int64, currency: String) {
        guard let components = URLComponents(string: link), let query = components.percentEncodedQuery,
              let range = query.range(of: "&ts=") else { throw Refusal.notALink }
        let signed = String(query[..<range.lowerBound])
        let items = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
        guard PaymentSignature(secret: secret).check(Array(signed.utf8), timestamp: items["ts"], signature: items["sign"], now: now) == .valid,
              let order = items["order"], let amount = items["amount"].flatMap({ Int64($0) }), let currency = items["currency"]
        else { throw Refusal.unsignedLink }
        return (order, amount, currency)
    }

    /// Records a transaction of this bank (paid unless told otherwise) and signs its callback.
    public func settle(order: String, amount: Int64, currency: String = "KZT", status: String = "paid", now: Date = Date()) -> Callback {
        serial += 1
        let transaction = ProviderTransaction(transactionID: "T-\(serial)-\(UUID().uuidString.prefix(8))", order: order, amount: amount,
                                              currency: currency, status: status)
        transactions[transaction.transactionID] = transaction
        return callback(for: transaction, now: now)
    }

    /// A signed callback saying `transaction` (which the bank may or may not know).
    public func callback(for transaction: ProviderTransaction, now: Date = Date()) -> Callback {
        let body = Array(try! JSONEncoder().encode(transaction))
        let timestamp = Int64(now.timeIntervalSince1970)
        return Callback(body: body, timestamp: String(timestamp),
                        signature: PaymentSignature(secret: secret).sign(body, timestamp: timestamp), transactionID: transaction.transactionID)
    }

    public func transaction(_ id: String) -> ProviderTransaction? { transactions[id] }

    /// Changes what the bank says about a transaction (a payment reversed).
    public func setStatus(_ id: String, _ status: String) {
        guard let old = transactions[id] else { return }
        transactions[id] = ProviderTransaction(transactionID: old.transactionID, order: old.order, amount: old.amount, currency: old.currency, status: status)
    }

    fileprivate func answerStatus(_ id: String, authorization: String?) -> (Int, String) {
        guard authorization == "Bearer \(token)" else { return (401, #"{"error":"unauthorized"}"#) }
        statusCalls += 1
        if down { return (503, #"{"error":"maintenance"}"#) }
        guard let transaction = transactions[id] else { return (404, #"{"error":"not_found"}"#) }
        return (200, String(decoding: try! JSONEncoder().encode(transaction), as: UTF8.self))
    }

    /// Runs `body` against a bank served on 127.0.0.1 at `port` (0: a free one).
    public static func serve<T: Sendable>(_ bank: FakeBank = FakeBank(), port: Int = 0,
                                          _ body: @Sendable (_ bank: FakeBank, _ baseURL: String) async throws -> T) async throws -> T {
        let router = Router()
        router.get("transactions/:id") { request, context -> Response in
            let (status, json) = await bank.answerStatus(context.parameters.get("id") ?? "", authorization: request.headers[.authorization])
            return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        FakeBankPage.routes(on: router, bank: bank)
        return try await LoopbackServer.serve(router, port: port, name: "fake-bank") { bound in
            try await body(bank, "http://127.0.0.1:\(bound)")
        }
    }
}
