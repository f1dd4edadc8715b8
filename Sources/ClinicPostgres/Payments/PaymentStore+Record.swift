import Foundation
import PostgresNIO

extension PaymentStore {
    /// Records a provider's checked claim: at most one payment per invoice and per transaction,
    /// whatever order, how often and how concurrently the callbacks come. A paid invoice also
    /// books the visit it prepays (if held) and schedules the flow that tells the patient. A
    /// payment is audited; so is an anomaly, the first time it is seen (once per transaction and
    /// reason, like its row).
    ///
    /// One statement, so one round trip and its own transaction: the callbacks' hot path.
    /// Why it cannot count twice:
    /// - the invoice's row lock (`FOR UPDATE`) puts claims for one invoice one after another,
    ///   and a claim that waited reads the invoice as the one before it left it (`paid_*`);
    /// - a transaction claimed for two invoices at once meets `bot_payments`' unique keys:
    ///   the second insert waits for the first and then inserts nothing (`already_paid`).
    public func record(_ claim: PaymentClaim) async throws -> PaymentRecording {
        do {
            var outcomes = try await client.execute(RecordPayment(claim: claim), logger: logger).makeAsyncIterator()
            guard let outcome = try await outcomes.next() else { throw PaymentStoreError.noOutcome }
            while try await outcomes.next() != nil {}
            return outcome
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }
}

/// The statement `record` runs. Prepared once per connection: parsing and planning a statement
/// of this size cost PostgreSQL more than running it.
struct RecordPayment: PostgresPreparedStatement {
    typealias Row = PaymentRecording
    let claim: PaymentClaim

    static let name = "clinic_bot_record_payment_v1"
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .text, .int8, .text]

    static let sql = """
        WITH claim AS (
            SELECT $1::text AS reference, $2::text AS provider, $3::text AS transaction_id, $4::int8 AS amount_tiyn, $5::text AS currency
        ), inv AS (
            SELECT i.* FROM bot_invoices i WHERE i.reference = $1 FOR UPDATE
        ), known AS (
            SELECT p.invoice_id FROM bot_payments p WHERE p.provider = $2 AND p.transaction_id = $3
        ), verdict AS (
            SELECT i.id AS invoice_id, i.patient_id, i.appointment_id,
                   CASE WHEN i.id IS NULL THEN 'unknown_invoice'
                        WHEN k.invoice_id = i.id OR (i.paid_provider = c.provider AND i.paid_transaction_id = c.transaction_id)
                            THEN 'duplicate'
                        WHEN k.invoice_id IS NOT NULL OR i.status = 'paid' THEN 'already_paid'
                        WHEN c.amount_tiyn <> i.amount_tiyn OR c.currency <> i.currency THEN 'amount_mismatch'
                        WHEN i.status <> 'unpaid' OR i.expires_at <= now() THEN 'not_payable'
                        ELSE 'recorded' END AS outcome
            FROM claim c LEFT JOIN inv i ON true LEFT JOIN known k ON true
        ), payment AS (
            INSERT INTO bot_payments (invoice_id, provider, transaction_id, amount_tiyn)
            SELECT v.invoice_id, c.provider, c.transaction_id, c.amount_tiyn FROM verdict v, claim c WHERE v.outcome = 'recorded'
            ON CONFLICT DO NOTHING
            RETURNING invoice_id
        ), settled AS (
            UPDATE bot_invoices i SET status = 'paid', paid_at = now(), paid_provider = c.provider, paid_transaction_id = c.transaction_id
            FROM payment p, claim c WHERE i.id = p.invoice_id
            RETURNING i.*
        ), outcome AS (
            SELECT v.invoice_id, v.patient_id, v.appointment_id,
                   CASE WHEN v.outcome = 'recorded' AND NOT EXISTS (SELECT 1 FROM payment) THEN 'already_paid' ELSE v.outcome END AS outcome
            FROM verdict v
        ), booked AS (
            -- A prepaid visit held for this invoice is booked now (its hold_until stays, as history).
            UPDATE appointments a SET status = 'booked', updated_at = now()
            FROM payment p JOIN outcome o ON o.invoice_id = p.invoice_id
            WHERE a.id = o.appointment_id AND a.status = 'held'
        ), told AS (
            -- In the patient's chat (their active link), once: the job is named after the invoice.
            INSERT INTO flow_jobs (origin, chat_id, flow, params, due_at)
            SELECT 'payment:' || o.invoice_id, l.telegram_user_id, '\(PaymentStore.receivedFlow)', jsonb_build_object('invoice_id', o.invoice_id), now()
            FROM payment p JOIN outcome o ON o.invoice_id = p.invoice_id
            JOIN patient_telegram_links l ON l.patient_id = o.patient_id AND l.is_active
            ON CONFLICT (origin) DO NOTHING
        ), paid_audit AS (
            INSERT INTO bot_audit (actor, action, object_type, object_id, details)
            SELECT 'provider:' || c.provider, 'payment.record', 'invoice', o.invoice_id::text,
                   jsonb_build_object('transaction_id', c.transaction_id, 'amount_tiyn', c.amount_tiyn, 'patient_id', o.patient_id)
            FROM payment p JOIN outcome o ON o.invoice_id = p.invoice_id, claim c
        ), anomaly AS (
            -- A provider's word that did not count: money may have been taken all the same, the staff see it.
            INSERT INTO bot_payment_anomalies (invoice_id, provider, transaction_id, amount_tiyn, reason)
            SELECT o.invoice_id, c.provider, c.transaction_id, c.amount_tiyn, o.outcome FROM outcome o, claim c
            WHERE o.outcome NOT IN ('recorded', 'duplicate')
            ON CONFLICT DO NOTHING
            RETURNING invoice_id, reason
        ), anomaly_audit AS (
            INSERT INTO bot_audit (actor, action, object_type, object_id, details)
            SELECT 'provider:' || c.provider, 'payment.anomaly', 'invoice', a.invoice_id::text,
                   jsonb_build_object('transaction_id', c.transaction_id, 'amount_tiyn', c.amount_tiyn, 'reason', a.reason)
            FROM anomaly a, claim c
        )
        SELECT o.outcome, \(PaymentStore.columns)
        FROM outcome o
        LEFT JOIN LATERAL (SELECT * FROM settled UNION ALL SELECT * FROM inv WHERE NOT EXISTS (SELECT 1 FROM settled)) i ON true
        """

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(claim.reference)
        bindings.append(claim.provider)
        bindings.append(claim.transactionID)
        bindings.append(claim.amountTiyn)
        bindings.append(claim.currency)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PaymentRecording {
        let outcome = try row.makeRandomAccess()[0].decode(String.self)
        if outcome == "unknown_invoice" { return .unknownInvoice }
        let invoice = try PaymentStore.invoice(row, from: 1)
        switch outcome {
        case "recorded": return .recorded(invoice)
        case "duplicate": return .duplicate(invoice)
        case "already_paid": return .alreadyPaid(invoice)
        case "amount_mismatch": return .amountMismatch(invoice)
        case "not_payable": return .notPayable(invoice)
        default: throw PaymentStoreError.noOutcome
        }
    }
}

/// The recording statement answered something it never says: a bug, not a callback's fault.
enum PaymentStoreError: Error {
    case noOutcome
}
