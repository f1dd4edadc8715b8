import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// A prepaid service's visit and its invoice. Booked through the bot, the visit is `held` until
/// its prepayment arrives (`RecordPayment` books it in the payment's statement) or the hold
/// ends (`releaseExpired`, run by the scheduler, gives the time back). Every path takes the
/// invoice's lock before the appointment's, as a payment does, so none of them can deadlock
/// with a payment nor miss one.
public enum PrepaidVisits {
    /// The flow that tells the patient their held time was given back.
    public static let releasedFlow = "hold_released"

    /// The patient cancelled the visit (inside the cancelling transaction, after the invoices'
    /// locks): an unpaid invoice is cancelled; a paid one asks the staff to return the money
    /// (`refund_requested_at`, an audit row and a staff alert).
    static func cancelled(_ appointmentID: Int64, actor: AuditActor, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            WITH changed AS (
                UPDATE bot_invoices i
                SET status = CASE WHEN i.status = 'unpaid' THEN 'cancelled' ELSE i.status END,
                    refund_requested_at = CASE WHEN i.status = 'paid' THEN now() ELSE i.refund_requested_at END
                WHERE i.appointment_id = \(appointmentID) AND (i.status = 'unpaid' OR (i.status = 'paid' AND i.refund_requested_at IS NULL))
                RETURNING i.id, i.number, i.status, i.amount_tiyn
            ), audited AS (
                INSERT INTO bot_audit (actor, action, object_type, object_id, details)
                SELECT \(actor.text), CASE WHEN c.status = 'paid' THEN 'invoice.refund_request' ELSE 'invoice.cancel' END, 'invoice', c.id::text,
                       jsonb_build_object('appointment_id', \(appointmentID)::int8, 'amount_tiyn', c.amount_tiyn)
                FROM changed c
            )
            INSERT INTO staff_alerts (kind, details)
            SELECT 'refund_request', jsonb_build_object('invoice', c.number, 'amount_tiyn', c.amount_tiyn, 'code', a.code,
                                      'start', to_char(a.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
            FROM changed c JOIN appointments a ON a.id = \(appointmentID)
            WHERE c.status = 'paid'
            """, logger: logger)
    }

    /// Gives back every held time whose hold has ended and whose invoice is still unpaid: the
    /// appointment is cancelled, the invoice expires, the patient is told (`hold_released`), and
    /// each is audited. Returns how many were released.
    public static func releaseExpired(client: PostgresClient, logger: Logger) async throws -> Int {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                // The invoices first (a payment's order); one that was paid meanwhile is
                // re-read under the lock and left alone, and so is its visit (booked by then).
                try await connection.query("""
                    SELECT i.id FROM bot_invoices i JOIN appointments a ON a.id = i.appointment_id
                    WHERE a.status = 'held' AND a.hold_until <= now() AND i.status = 'unpaid'
                    ORDER BY i.id FOR UPDATE OF i
                    """, logger: logger)
                let rows = try await connection.query("""
                    WITH released AS (
                        UPDATE appointments a SET status = 'cancelled', cancelled_at = now(), updated_at = now()
                        WHERE a.status = 'held' AND a.hold_until <= now()
                        RETURNING a.id, a.patient_id, a.starts_at
                    ), expired AS (
                        UPDATE bot_invoices i SET status = 'expired'
                        FROM released r WHERE i.appointment_id = r.id AND i.status = 'unpaid'
                        RETURNING i.id, i.appointment_id
                    ), told AS (
                        INSERT INTO flow_jobs (origin, chat_id, flow, params, due_at)
                        SELECT 'hold:' || r.id, l.telegram_user_id, \(Self.releasedFlow), jsonb_build_object('appointment_id', r.id), now()
                        FROM released r JOIN patient_telegram_links l ON l.patient_id = r.patient_id AND l.is_active
                        ON CONFLICT (origin) DO NOTHING
                    ), audited AS (
                        INSERT INTO bot_audit (actor, action, object_type, object_id, details)
                        SELECT 'system:prepayment', 'appointment.release', 'appointment', r.id::text,
                               jsonb_build_object('invoices_expired', (SELECT coalesce(jsonb_agg(e.id), '[]') FROM expired e WHERE e.appointment_id = r.id))
                        FROM released r
                    )
                    SELECT count(*)::int FROM released
                    """, logger: logger).collect()
                return try rows[0].decode(Int.self)
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }
}
