@testable import ClinicPostgres
@testable import FlowActions
import BotRuntime
import FlowEngine
import Foundation
import Logging
import PostgresNIO
import Telegram
import Testing
import TestSupport

/// Telegram Payments at the edge: the pre-checkout question answered yes only for the payer's
/// own unpaid invoice at its amount, and a successful payment recorded once.
@Suite("Telegram Payments: the pre-checkout answer and the payment recorded once", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct TelegramPaymentGateTests {
    static func seeded(_ body: (PostgresClient, PaymentStore, TelegramPaymentGate, Recorder<AnswerPreCheckoutQuery>) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let cipher = try PIICipher(base64Key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
            _ = try await DemoSeeder(client: client, cipher: cipher).seed()
            let store = PaymentStore(client: client)
            let answers = Recorder<AnswerPreCheckoutQuery>()
            let gate = TelegramPaymentGate(store: store, answer: { answers.append($0) }, wording: { key, language in "\(language.rawValue):\(key)" },
                                           logger: Logger(label: "test.payments"))
            try await body(client, store, gate, answers)
        }
    }

    static let payer = DemoClinic.patients[0].telegramUserID

    static func invoice(_ store: PaymentStore, amount: Tiyn = 1_500_000, provider: String = TelegramPayments.providerName, expires: Date? = nil) async throws -> Invoice {
        try #require(try await store.createInvoice(InvoiceRequest(amountTiyn: amount, description: "УЗИ", expires: expires), telegramUserID: payer,
                                                   provider: provider, actor: .api))
    }

    static func query(_ invoice: Invoice, amount: Tiyn? = nil, from user: Int64 = payer, language: String = "kk") -> Update {
        Update(updateId: 1, preCheckoutQuery: PreCheckoutQuery(id: "q-\(UUID().uuidString.prefix(6))", from: User(id: user, languageCode: language),
                                                               currency: "KZT", totalAmount: amount ?? invoice.amountTiyn, invoicePayload: invoice.reference))
    }

    static func paid(_ invoice: Invoice, charge: String) -> Update {
        Update(updateId: 2, message: IncomingMessage(
            messageId: 5, from: User(id: payer), chat: Chat(id: payer),
            successfulPayment: SuccessfulPayment(currency: "KZT", totalAmount: invoice.amountTiyn, invoicePayload: invoice.reference,
                                                 telegramPaymentChargeId: charge, providerPaymentChargeId: "prov-\(charge)")))
    }

    @Test("yes for the payer's own unpaid invoice at its amount; no, in their language, for a changed amount, someone else's, a bank's or an expired invoice")
    func preCheckout() async throws {
        try await Self.seeded { _, store, gate, answers in
            let invoice = try await Self.invoice(store)
            #expect(TelegramPaymentGate.isPayment(Self.query(invoice)))
            try await gate.handle(Self.query(invoice))
            try await gate.handle(Self.query(invoice, amount: 1_000_000))
            try await gate.handle(Self.query(invoice, from: DemoClinic.patients[1].telegramUserID, language: "ru"))
            try await gate.handle(Self.query(try await Self.invoice(store, provider: "bank")))
            let expiring = try await Self.invoice(store, expires: Date().addingTimeInterval(0.3))
            try await Task.sleep(for: .milliseconds(500))
            try await gate.handle(Self.query(expiring, language: "en"))
            #expect(answers.all.map(\.ok) == [true, false, false, false, false])
            #expect(answers.all.map(\.errorMessage) == [nil, "kk:payments.refused_changed", "ru:payments.refused_changed", "kk:payments.refused_changed",
                                                         "ru:payments.refused_expired"])
        }
    }

    @Test("a successful payment is recorded once however often it comes; then the invoice is paid and another checkout is refused")
    func recordedOnce() async throws {
        try await Self.seeded { client, store, gate, answers in
            let invoice = try await Self.invoice(store)
            #expect(TelegramPaymentGate.isPayment(Self.paid(invoice, charge: "c-1")))
            for _ in 0..<3 { try await gate.handle(Self.paid(invoice, charge: "c-1")) }
            #expect(try await store.invoice(id: invoice.id)?.status == .paid)
            #expect(try await client.query("SELECT count(*)::int FROM bot_payments WHERE provider = 'telegram' AND transaction_id = 'c-1'").collect()[0].decode(Int.self) == 1)
            #expect(try await client.query("SELECT count(*)::int FROM flow_jobs WHERE origin = \("payment:\(invoice.id)")").collect()[0].decode(Int.self) == 1)
            try await gate.handle(Self.query(invoice))
            #expect(answers.all.last?.ok == false && answers.all.last?.errorMessage == "kk:payments.refused_paid")
            // Telegram took a second payment all the same: kept for the staff, not counted.
            try await gate.handle(Self.paid(invoice, charge: "c-2"))
            #expect(try await client.query("SELECT count(*)::int FROM bot_payments").collect()[0].decode(Int.self) == 1)
            #expect(try await client.query("SELECT reason FROM bot_payment_anomalies").collect().map { try $0.decode(String.self) } == ["already_paid"])
        }
    }
}
