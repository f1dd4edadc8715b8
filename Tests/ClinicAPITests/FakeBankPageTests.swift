import AsyncHTTPClient
import ClinicContract
import ClinicRemote
import FlowEngine
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LoopbackServer
import NIOCore
import NIOHTTP1
import PaymentFakes
import Synchronization
import Testing

/// The demo bank's page (`clinic-bot fake-bank`): a person opens the clinic's signed link, sees
/// what is asked, pays, and the bank posts its signed callback to the clinic.
@Suite("The demo bank's payment page")
struct FakeBankPageTests {
    /// What a clinic's callback route received.
    final class Received: Sendable {
        let calls = Mutex<[(body: [UInt8], timestamp: String?, signature: String?)]>([])
    }

    /// A clinic's callback route on loopback; `body` gets its URL.
    static func clinic(_ received: Received, _ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("callback") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 64 * 1024)
            received.calls.withLock {
                $0.append((Array(bytes.readableBytesView), request.headers[HTTPField.Name(PaymentSignature.timestampHeader)!],
                           request.headers[HTTPField.Name(PaymentSignature.signatureHeader)!]))
            }
            return Response(status: .ok)
        }
        try await LoopbackServer.serve(router, name: "test-clinic") { port in
            try await body("http://127.0.0.1:\(port)/callback")
        }
    }

    static func fetch(_ url: String, method: HTTPMethod = .GET) async throws -> (status: Int, html: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test("the clinic's link shows the amount; paying posts one signed callback the clinic can check; an altered link is refused")
    func payAtThePage() async throws {
        let received = Received()
        try await Self.clinic(received) { callbackURL in
            try await FakeBank.serve { bank, baseURL in
                let provider = RedirectProvider(name: "bank", baseURL: baseURL, secret: bank.secret, token: bank.token)
                let invoice = Invoice(id: 7, number: "2026-000007", patientID: 1, appointmentID: nil, description: "УЗИ",
                                      amountTiyn: 1_500_050, currency: "KZT", provider: "bank", status: .unpaid, createdAt: Date(),
                                      expiresAt: nil, paidAt: nil, refundRequested: false, reference: "ref-abc")
                let link = provider.link(for: invoice, callback: callbackURL)

                let shown = try await Self.fetch(link)
                #expect(shown.status == 200)
                #expect(shown.html.contains(Money.format(tiyn: 1_500_050)) && shown.html.contains("ref-abc"), "\(shown.html)")
                let altered = link.replacingOccurrences(of: "amount=1500050", with: "amount=150")
                #expect(try await Self.fetch(altered).status == 403)
                #expect(try await Self.fetch(altered, method: .POST).status == 403)
                #expect(received.calls.withLock { $0.isEmpty })

                let paid = try await Self.fetch(link, method: .POST)
                #expect(paid.status == 200 && paid.html.contains("Оплачено"))
                let calls = received.calls.withLock { $0 }
                #expect(calls.count == 1)
                let call = try #require(calls.first)
                #expect(PaymentSignature(secret: bank.secret).check(call.body, timestamp: call.timestamp, signature: call.signature) == .valid)
                let said = try JSONDecoder().decode(ProviderTransaction.self, from: Data(call.body))
                #expect(said.order == "ref-abc" && said.amount == 1_500_050 && said.isPaid)
                // The bank's own record confirms it, as the clinic's status call will ask.
                #expect(await bank.transaction(said.transactionID) == said)
            }
        }
    }
}
