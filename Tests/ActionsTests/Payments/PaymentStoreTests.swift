@testable import ClinicPostgres
@testable import FlowActions
import Foundation
import Logging
import PostgresNIO
import Testing
import TestSupport

/// Payments are recorded once, whatever the callbacks do: replayed, reordered, duplicated,
/// concurrent, for an unknown or paid invoice, with another amount.
@Suite("Payments: invoices settled at most once", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct PaymentStoreTests {
    static func seeded(_ body: (PostgresClient, PaymentStore, Int64) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let cipher = try PIICipher(base64Key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
            _ = try await DemoSeeder(client: client, cipher: cipher).seed()
            try await body(client, PaymentStore(client: client), DemoClinic.patients[0].telegramUserID)
        }
    }

    static func claim(_ invoice: Invoice, transaction: String, amount: Tiyn? = nil, currency: String = "KZT") -> PaymentClaim {
        PaymentClaim(provider: "bank", transactionID: transaction, reference: invoice.reference, amountTiyn: amount ?? invoice.amountTiyn, currency: currency)
    }

    static let logger = Logger(label: "test.payments")

    static func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
        try await client.query(PostgresQuery(unsafeSQL: sql)).collect()[0].decode(Int.self)
    }

    @Test("an invoice is made only for a linked patient, numbered, unpaid, in KZT")
    func createInvoice() async throws {
        try await Self.seeded { client, store, patient in
            let invoice = try #require(try await store.createInvoice(
                InvoiceRequest(amountTiyn: 1_500_000, description: "Консультация кардиолога"), telegramUserID: patient, provider: "bank", actor: .api))
            #expect(invoice.status == .unpaid && invoice.currency == "KZT" && invoice.amountTiyn == 1_500_000)
            #expect(invoice.number.hasSuffix(String(format: "%06d", invoice.id)))
            #expect(invoice.reference.count == 22)
            #expect(try await store.createInvoice(InvoiceRequest(amountTiyn: 100, description: "x"), telegramUserID: 999_999_001, provider: "bank", actor: .api) == nil)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_audit WHERE action = 'invoice.create'") == 1)
        }
    }

    @Test("a claim pays its invoice once: the same callback again is a duplicate, and the patient is told once")
    func replayed() async throws {
        try await Self.seeded { client, store, patient in
            let invoice = try #require(try await store.createInvoice(InvoiceRequest(amountTiyn: 1_250_050, description: "Анализы"), telegramUserID: patient,
                                                                     provider: "bank", actor: .api))
            guard case .recorded(let paid) = try await store.record(Self.claim(invoice, transaction: "T-1")) else { Issue.record("not recorded"); return }
            #expect(paid.status == .paid && paid.paidAt != nil)
            for _ in 0..<3 {
                #expect(try await store.record(Self.claim(invoice, transaction: "T-1")) == .duplicate(paid))
            }
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_payments") == 1)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_audit WHERE action = 'payment.record'") == 1)
            let jobs = try await client.query("SELECT chat_id, flow, params::text FROM flow_jobs WHERE origin = \("payment:\(invoice.id)")").collect()
            #expect(jobs.count == 1)
            let (chat, flow, params) = try jobs[0].decode((Int64, String, String).self)
            #expect(chat == patient && flow == "payment_received" && params.contains("\"invoice_id\": \(invoice.id)"))
        }
    }

    @Test("a second transaction for a paid invoice, another amount or currency, an expired or cancelled invoice: nothing counts, the staff see why")
    func refused() async throws {
        try await Self.seeded { client, store, patient in
            func invoice(_ amount: Tiyn, expires: Date? = nil) async throws -> Invoice {
                try #require(try await store.createInvoice(InvoiceRequest(amountTiyn: amount, description: "Приём", expires: expires),
                                                           telegramUserID: patient, provider: "bank", actor: .api))
            }
            let paid = try await invoice(500_000)
            _ = try await store.record(Self.claim(paid, transaction: "T-A"))
            guard case .alreadyPaid = try await store.record(Self.claim(paid, transaction: "T-B")) else { Issue.record("a second payment counted"); return }

            let other = try await invoice(700_000)
            guard case .amountMismatch = try await store.record(Self.claim(other, transaction: "T-C", amount: 70_000)) else { Issue.record("amount"); return }
            guard case .amountMismatch = try await store.record(Self.claim(other, transaction: "T-D", currency: "USD")) else { Issue.record("currency"); return }
            #expect(try await store.invoice(id: other.id)?.status == .unpaid)

            let expired = try await invoice(900_000, expires: Date().addingTimeInterval(0.5))
            try await Task.sleep(for: .seconds(1))
            guard case .notPayable = try await store.record(Self.claim(expired, transaction: "T-E")) else { Issue.record("expired"); return }

            let cancelled = try await invoice(100_000)
            try await client.query("UPDATE bot_invoices SET status = 'cancelled' WHERE id = \(cancelled.id)")
            guard case .notPayable = try await store.record(Self.claim(cancelled, transaction: "T-F")) else { Issue.record("cancelled"); return }

            #expect(try await store.record(PaymentClaim(provider: "bank", transactionID: "T-G", reference: "no-such-invoice", amountTiyn: 1, currency: "KZT"))
                    == .unknownInvoice)
            // A transaction reused for another invoice does not pay it.
            guard case .alreadyPaid = try await store.record(Self.claim(other, transaction: "T-A")) else { Issue.record("reused transaction"); return }

            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_payments") == 1)
            let reasons = try await client.query("SELECT reason FROM bot_payment_anomalies ORDER BY id").collect().map { try $0.decode(String.self) }
            #expect(reasons == ["already_paid", "amount_mismatch", "amount_mismatch", "not_payable", "not_payable", "unknown_invoice", "already_paid"])
            // The same anomaly reported again is kept once.
            _ = try await store.record(Self.claim(paid, transaction: "T-B"))
            _ = try await store.record(PaymentClaim(provider: "bank", transactionID: "T-G", reference: "no-such-invoice", amountTiyn: 1, currency: "KZT"))
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_payment_anomalies") == 7)
        }
    }

    @Test("forty callbacks at once — the same transaction twenty times, twenty others — pay the invoice exactly once")
    func concurrent() async throws {
        try await Self.seeded { client, store, patient in
            let invoice = try #require(try await store.createInvoice(InvoiceRequest(amountTiyn: 300_000, description: "УЗИ"), telegramUserID: patient,
                                                                     provider: "bank", actor: .api))
            let outcomes = try await withThrowingTaskGroup(of: PaymentRecording.self) { group throws in
                for index in 0..<40 {
                    group.addTask { try await store.record(Self.claim(invoice, transaction: index.isMultiple(of: 2) ? "T-SAME" : "T-\(index)")) }
                }
                var outcomes: [PaymentRecording] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let recorded = outcomes.filter { if case .recorded = $0 { return true }; return false }
            #expect(recorded.count == 1)
            // The same transaction again is a duplicate, never money to return, even when it
            // waited on the first one's lock; every other transaction is kept once as an anomaly.
            let sameWon = try await Self.count(client, "SELECT count(*)::int FROM bot_payments WHERE transaction_id = 'T-SAME'") == 1
            let duplicates = outcomes.filter { if case .duplicate = $0 { return true }; return false }
            #expect(duplicates.count == (sameWon ? 19 : 0))
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_payment_anomalies WHERE reason = 'already_paid'") == 20)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_audit WHERE action = 'payment.record'") == 1)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_audit WHERE action = 'payment.anomaly'") == 20)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_payments") == 1)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM flow_jobs WHERE origin LIKE 'payment:%'") == 1)
            #expect(try await store.invoice(id: invoice.id)?.status == .paid)
        }
    }

    @Test("the same callback ten times, all waiting on the invoice while it is busy: one payment, nine duplicates, no anomaly")
    func duplicatesThatWaited() async throws {
        try await Self.seeded { client, store, patient in
            let invoice = try #require(try await store.createInvoice(InvoiceRequest(amountTiyn: 80_000, description: "Приём"), telegramUserID: patient,
                                                                     provider: "bank", actor: .api))
            let outcomes = try await client.withConnection { holder in
                // Staff busy with the invoice: every claim starts, takes its snapshot, and waits.
                try await holder.query("BEGIN", logger: Self.logger)
                try await holder.query("SELECT 1 FROM bot_invoices WHERE id = \(invoice.id) FOR UPDATE", logger: Self.logger)
                return try await withThrowingTaskGroup(of: PaymentRecording.self) { group throws in
                    for _ in 0..<10 { group.addTask { try await store.record(Self.claim(invoice, transaction: "T-WAIT")) } }
                    for _ in 0..<100 {
                        // Not on `holder`: inside a transaction pg_stat_activity stays as it was first read.
                        let waiting = try await client.query("""
                            SELECT count(*)::int FROM pg_stat_activity WHERE wait_event_type = 'Lock'
                              AND query LIKE '%WITH claim AS%'
                            """).collect()[0].decode(Int.self)
                        if waiting >= 10 { break }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    try await holder.query("ROLLBACK", logger: Self.logger)
                    var outcomes: [PaymentRecording] = []
                    for try await outcome in group { outcomes.append(outcome) }
                    return outcomes
                }
            }
            #expect(outcomes.filter { if case .recorded = $0 { return true }; return false }.count == 1)
            #expect(outcomes.filter { if case .duplicate = $0 { return true }; return false }.count == 9)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_payment_anomalies") == 0)
        }
    }

    @Test("one transaction claimed for two invoices at once pays only one of them; the other is kept for the staff")
    func oneTransactionTwoInvoices() async throws {
        try await Self.seeded { client, store, patient in
            let request = InvoiceRequest(amountTiyn: 120_000, description: "Приём")
            let first = try #require(try await store.createInvoice(request, telegramUserID: patient, provider: "bank", actor: .api))
            let second = try #require(try await store.createInvoice(request, telegramUserID: patient, provider: "bank", actor: .api))
            let outcomes = try await withThrowingTaskGroup(of: PaymentRecording.self) { group throws in
                for _ in 0..<5 {
                    group.addTask { try await store.record(Self.claim(first, transaction: "T-BOTH")) }
                    group.addTask { try await store.record(Self.claim(second, transaction: "T-BOTH")) }
                }
                var outcomes: [PaymentRecording] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.filter { if case .recorded = $0 { return true }; return false }.count == 1)
            #expect(outcomes.filter { if case .alreadyPaid = $0 { return true }; return false }.count == 5)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_payments") == 1)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_invoices WHERE status = 'paid'") == 1)
            #expect(try await Self.count(client, "SELECT count(*)::int FROM bot_payment_anomalies WHERE transaction_id = 'T-BOTH'") == 1)
        }
    }

    @Test("the balance: what is due (unexpired, unpaid), what was paid, and only the patient's own")
    func balance() async throws {
        try await Self.seeded { _, store, patient in
            let first = try #require(try await store.createInvoice(InvoiceRequest(amountTiyn: 1_000_000, description: "Приём"), telegramUserID: patient, provider: "bank", actor: .api))
            _ = try await store.createInvoice(InvoiceRequest(amountTiyn: 250_050, description: "Анализы"), telegramUserID: patient, provider: "bank", actor: .api)
            _ = try await store.createInvoice(InvoiceRequest(amountTiyn: 9_999, description: "Истёк", expires: Date().addingTimeInterval(0.3)),
                                              telegramUserID: patient, provider: "bank", actor: .api)
            _ = try await store.record(Self.claim(first, transaction: "T-1"))
            try await Task.sleep(for: .milliseconds(600))
            let balance = try #require(try await store.balance(telegramUserID: patient))
            #expect(balance == PaymentBalance(dueTiyn: 250_050, paidTiyn: 1_000_000, refundPendingTiyn: 0, unpaidInvoices: 1))
            let other = DemoClinic.patients[1].telegramUserID
            #expect(try await store.balance(telegramUserID: other) == PaymentBalance(dueTiyn: 0, paidTiyn: 0, refundPendingTiyn: 0, unpaidInvoices: 0))
            #expect(try await store.invoice(id: first.id, telegramUserID: other) == nil)
            #expect(try await store.balance(telegramUserID: 999_999_002) == nil)
        }
    }
}
