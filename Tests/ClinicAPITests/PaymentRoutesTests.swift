@testable import ClinicPostgres
@testable import FlowActions
import ClinicAPI
import Foundation
import HTTPTypes
import PaymentFakes
import PostgresNIO
import Testing
import TestSupport

/// `/api/bot/payments/…` on PostgreSQL, with a bank on loopback that pays what its links ask
/// and answers status calls: invoices, the bank's callbacks and every attack on them.
@Suite("The payments API", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct PaymentRoutesTests {
    private func seeded(_ body: @Sendable (PostgresClient, APIClient, FakeBank, Int64) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let cipher = try PIICipher(base64Key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
            _ = try await DemoSeeder(client: client, cipher: cipher).seed()
            try await FakeBank.serve { bank, baseURL in
                let provider = RedirectProvider(name: "bank", baseURL: baseURL, secret: bank.secret, token: bank.token)
                let service = PaymentService(store: PaymentStore(client: client), redirect: provider, publicBaseURL: "https://bot.clinic.test")
                try await APITest(payments: service).run { api in
                    try await body(client, api, bank, DemoClinic.patients[0].telegramUserID)
                }
            }
        }
    }

    static func post(_ api: APIClient, _ callback: FakeBank.Callback, signature: String? = nil, timestamp: String? = nil) async throws -> APIReply {
        var headers = HTTPFields()
        headers[HTTPField.Name(PaymentSignature.signatureHeader)!] = signature ?? callback.signature
        headers[HTTPField.Name(PaymentSignature.timestampHeader)!] = timestamp ?? callback.timestamp
        headers[.contentType] = "application/json"
        // The bank has no bearer token of ours.
        return try await api.send(.post, "/api/bot/payments/callback/", bytes: callback.body, authorization: nil, headers: headers)
    }

    @Test("an invoice comes with a signed bank link; paying it there records the payment once, whatever the callback does after")
    func payAtTheBank() async throws {
        try await seeded { client, api, bank, patient in
            let made = try await api.post("/api/bot/payments/invoice/", #"{"telegram_user_id": \#(patient), "amount_tiyn": 1500050, "description": "Консультация кардиолога"}"#)
            #expect(made.status == 201, "\(made)")
            let id = try #require(made.object["id"] as? Int)
            #expect(made.object["status"] as? String == "unpaid" && made.object["amount_tiyn"] as? Int == 1_500_050 && made.object["currency"] as? String == "KZT")
            let link = try #require(made.object["pay_url"] as? String)
            #expect(link.contains("&callback=https://bot.clinic.test/api/bot/payments/callback/&ts="))

            let callback = try await bank.pay(link: link)
            let first = try await Self.post(api, callback)
            #expect(first.status == 200 && first.object["result"] as? String == "recorded" && first.object["invoice_id"] as? Int == id, "\(first)")
            // Replayed, and delivered twice more at once: the same payment.
            async let second = Self.post(api, callback)
            async let third = Self.post(api, callback)
            for reply in try await [second, third] {
                #expect(reply.status == 200 && reply.object["result"] as? String == "duplicate", "\(reply)")
            }
            let status = try await api.get("/api/bot/payments/\(id)/status/")
            #expect(status.status == 200 && status.object["status"] as? String == "paid" && status.object["paid_at"] is String)
            #expect(status.object["pay_url"] is NSNull)
            let balance = try await api.get("/api/bot/payments/balance/?telegram_user_id=\(patient)")
            #expect(balance.object["paid_tiyn"] as? Int == 1_500_050 && balance.object["due_tiyn"] as? Int == 0, "\(balance)")
            #expect(try await client.query("SELECT count(*)::int FROM bot_payments").collect()[0].decode(Int.self) == 1)
            // Nothing to pay any more: the bank is not asked to take a second payment.
            let again = await bank.settle(order: try #require(URLComponents(string: link)?.queryItems?.first { $0.name == "order" }?.value), amount: 1_500_050)
            let refused = try await Self.post(api, again)
            #expect(refused.status == 200 && refused.object["result"] as? String == "already_paid")
        }
    }

    @Test("forged, replayed late, tampered or unconfirmed callbacks never pay; a bank that cannot be asked gets a 503 to try again")
    func attacks() async throws {
        try await seeded { client, api, bank, patient in
            let made = try await api.post("/api/bot/payments/invoice/", #"{"telegram_user_id": \#(patient), "amount_tiyn": 800000, "description": "УЗИ"}"#)
            let link = try #require(made.object["pay_url"] as? String)
            let order = try #require(URLComponents(string: link)?.queryItems?.first { $0.name == "order" }?.value)

            // Signed with another secret: 401, and the bank is not even asked.
            let forger = FakeBank(secret: "not-the-bank-secret-0123456789abcdef")
            let forged = await forger.settle(order: order, amount: 800_000)
            let refusedForged = try await Self.post(api, forged)
            #expect(refusedForged.status == 401 && refusedForged.errorCode == "invalid_signature")
            let unsigned = try await Self.post(api, forged, signature: "", timestamp: "")
            #expect(unsigned.status == 401 && unsigned.errorCode == "invalid_signature")
            #expect(await bank.statusCalls == 0)

            // The bank's own callback, an hour old: a replay.
            let old = await bank.settle(order: order, amount: 800_000, now: Date().addingTimeInterval(-3600))
            let late = try await Self.post(api, old)
            #expect(late.status == 401 && late.errorCode == "signature_expired")

            // A transaction the bank does not know, signed (a leaked secret): unconfirmed.
            let invented = await bank.callback(for: ProviderTransaction(transactionID: "T-invented", order: order, amount: 800_000, currency: "KZT", status: "paid"))
            #expect(try await Self.post(api, invented).errorCode == "payment_unconfirmed")
            // The bank says the payment failed; the callback says paid: unconfirmed.
            let failed = await bank.settle(order: order, amount: 800_000, status: "failed")
            let lying = await bank.callback(for: ProviderTransaction(transactionID: failed.transactionID, order: order, amount: 800_000, currency: "KZT", status: "paid"))
            #expect(try await Self.post(api, lying).status == 409)
            // A pending payment: nothing to do yet.
            let pending = await bank.settle(order: order, amount: 800_000, status: "pending")
            #expect(try await Self.post(api, pending).object["result"] as? String == "ignored")
            // Not JSON, though signed.
            let garbage = FakeBank.Callback(body: Array("paid!".utf8), timestamp: forged.timestamp,
                                            signature: PaymentSignature(secret: bank.secret).sign(Array("paid!".utf8), timestamp: Int64(forged.timestamp)!),
                                            transactionID: "")
            #expect(try await Self.post(api, garbage).status == 400)
            // Too little paid: recorded as an anomaly, not a payment.
            let short = await bank.settle(order: order, amount: 80_000)
            #expect(try await Self.post(api, short).object["result"] as? String == "amount_mismatch")
            // The bank down: 503, and the same callback later pays.
            let real = await bank.settle(order: order, amount: 800_000)
            await bank.setDown(true)
            let down = try await Self.post(api, real)
            #expect(down.status == 503 && down.errorCode == "provider_unreachable")
            await bank.setDown(false)
            #expect(try await Self.post(api, real).object["result"] as? String == "recorded")
            #expect(try await client.query("SELECT count(*)::int FROM bot_payments").collect()[0].decode(Int.self) == 1)
        }
    }

    @Test("bad invoices are JSON 4xx; status and balance need the bearer; someone unknown has no balance")
    func badInput() async throws {
        try await seeded { client, api, _, patient in
            for body in [
                #"{"telegram_user_id": \#(patient), "amount_tiyn": 0, "description": "x"}"#,
                #"{"telegram_user_id": \#(patient), "amount_tiyn": 15000.5, "description": "x"}"#,
                #"{"telegram_user_id": \#(patient), "amount_tiyn": "100", "description": "x"}"#,
                #"{"telegram_user_id": \#(patient), "amount_tiyn": 100000000001, "description": "x"}"#,
                #"{"telegram_user_id": \#(patient), "amount_tiyn": 100, "description": " "}"#,
                #"{"telegram_user_id": \#(patient), "amount_tiyn": 100, "description": "Приём\u0000"}"#,
                #"{"telegram_user_id": \#(patient), "amount_tiyn": 100, "description": "x", "expires_at": "2020-01-01T00:00:00Z"}"#,
            ] {
                let reply = try await api.post("/api/bot/payments/invoice/", body)
                #expect(reply.status == 400 && reply.isJSONClientError, "\(body) → \(reply)")
            }
            #expect(try await api.post("/api/bot/payments/invoice/", #"{"telegram_user_id": 999999003, "amount_tiyn": 100, "description": "x"}"#).status == 404)
            #expect(try await api.get("/api/bot/payments/balance/?telegram_user_id=999999003").status == 404)
            // Someone else's appointment, or none: not found, and no invoice made.
            let mine = "(SELECT patient_id FROM patient_telegram_links WHERE telegram_user_id = \(patient))"
            let others = try await client.query(PostgresQuery(unsafeSQL: "SELECT id FROM appointments WHERE patient_id <> \(mine) LIMIT 1")).collect()
            let own = try await client.query(PostgresQuery(unsafeSQL: "SELECT id FROM appointments WHERE patient_id = \(mine) LIMIT 1")).collect()
            let someoneElses = try #require(try others.first?.decode(Int64.self))
            let myOwn = try #require(try own.first?.decode(Int64.self))
            let forVisit = try await api.post("/api/bot/payments/invoice/",
                                              #"{"telegram_user_id": \#(patient), "amount_tiyn": 100, "description": "x", "appointment_id": \#(myOwn)}"#)
            #expect(forVisit.status == 201 && forVisit.object["appointment_id"] as? Int == Int(myOwn), "\(forVisit)")
            for appointment in [424_242, someoneElses] {
                let reply = try await api.post("/api/bot/payments/invoice/",
                                                #"{"telegram_user_id": \#(patient), "amount_tiyn": 100, "description": "x", "appointment_id": \#(appointment)}"#)
                #expect(reply.status == 404 && reply.errorCode == "not_found", "\(reply)")
            }
            #expect(try await api.get("/api/bot/payments/424242/status/").status == 404)
            #expect(try await api.send(.get, "/api/bot/payments/balance/?telegram_user_id=\(patient)", authorization: nil).status == 401)
            #expect(try await api.send(.post, "/api/bot/payments/invoice/", json: "{}", authorization: nil).status == 401)
        }
    }
}
