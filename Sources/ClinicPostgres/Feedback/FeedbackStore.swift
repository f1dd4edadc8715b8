import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// Ratings after visits, on PostgreSQL. Every write commits with its audit row.
public struct FeedbackStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger = Logger(label: "clinic-bot.feedback")) {
        self.client = client
        self.logger = logger
    }


    /// Rates the appointment of the patient linked to `telegramUserID`, with a comment or
    /// without. One rating per appointment; a low one leaves a staff alert in the same
    /// transaction. `source`: "telegram" or "api".
    public func rate(appointmentID: Int64, telegramUserID: Int64, score: Int, comment: String? = nil, source: String = "telegram",
                     actor: AuditActor) async throws -> FeedbackRated {
        guard (0...10).contains(score) else { throw FeedbackRefusal.scoreOutOfRange }
        let comment = comment.map { String($0.prefix(4096)) }.flatMap { $0.isEmpty ? nil : $0 }
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    SELECT a.id, a.patient_id, a.doctor_id, a.code, a.starts_at, d.full_name_ru, a.starts_at <= now()
                    FROM appointments a
                    JOIN patient_telegram_links l ON l.patient_id = a.patient_id AND l.is_active AND l.telegram_user_id = \(telegramUserID)
                    JOIN doctors d ON d.id = a.doctor_id
                    WHERE a.id = \(appointmentID) AND a.status NOT IN ('cancelled', 'no_show')
                    """, logger: logger).collect()
                guard let row = rows.first else { return .notFound }
                let (_, patientID, doctorID, code, start, doctor, begun) = try row.decode((Int64, Int64, Int64, String, Date, String, Bool).self)
                guard begun else { return .notYet }
                let inserted = try await connection.query("""
                    INSERT INTO bot_feedback (appointment_id, patient_id, doctor_id, score, comment, commented_at, source)
                    VALUES (\(appointmentID), \(patientID), \(doctorID), \(score), \(comment),
                            CASE WHEN \(comment)::text IS NULL THEN NULL ELSE now() END, \(source))
                    ON CONFLICT (appointment_id) DO NOTHING
                    RETURNING id
                    """, logger: logger).collect()
                guard let id = try inserted.first?.decode(Int64.self) else { return .alreadyRated }
                try await AuditLog.record(
                    AuditEntry(actor: actor, action: "feedback.rate", objectType: "appointment", objectID: String(appointmentID),
                               details: ["score": .int(score), "feedback_id": .int(Int(id)), "source": .string(source),
                                         "comment_length": .int(comment?.count ?? 0)]),
                    on: connection, logger: logger)
                if score <= FeedbackRated.staffAlertAtOrBelow {
                    let details = try AuditLog.detailsJSON([
                        "appointment_id": .int(Int(appointmentID)), "code": .string(code), "doctor": .string(doctor),
                        "score": .int(score), "start": .string(Moment.format(start)),
                    ])
                    try await connection.query("INSERT INTO staff_alerts (kind, details) VALUES ('low_rating', \(details)::jsonb)", logger: logger)
                }
                return .saved(id: id)
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    /// Adds the patient's comment to their rating of the appointment, once. False when there is
    /// no rating of theirs without a comment.
    public func comment(appointmentID: Int64, telegramUserID: Int64, text: String, actor: AuditActor) async throws -> Bool {
        let text = String(text.prefix(4096))
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    UPDATE bot_feedback f SET comment = \(text), commented_at = now()
                    FROM patient_telegram_links l
                    WHERE f.appointment_id = \(appointmentID) AND f.comment IS NULL
                      AND l.patient_id = f.patient_id AND l.is_active AND l.telegram_user_id = \(telegramUserID)
                    RETURNING f.id
                    """, logger: logger).collect()
                guard let id = try rows.first?.decode(Int64.self) else { return false }
                try await AuditLog.record(
                    AuditEntry(actor: actor, action: "feedback.comment", objectType: "appointment", objectID: String(appointmentID),
                               details: ["feedback_id": .int(Int(id)), "length": .int(text.count)]),
                    on: connection, logger: logger)
                return true
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }
}

/// A rating the clinic does not take.
public enum FeedbackRefusal: Error, Sendable {
    case scoreOutOfRange
}
