import FlowEngine
import Logging
import PostgresNIO

/// Patients and their Telegram links in PostgreSQL. Every write runs in one transaction
/// together with its `bot_audit` row.
public struct PatientStore: Sendable {
    let client: PostgresClient
    let cipher: PIICipher
    let logger: Logger

    public init(client: PostgresClient, cipher: PIICipher, logger: Logger = Logger(label: "clinic-bot.patients")) {
        self.client = client
        self.cipher = cipher
        self.logger = logger
    }

    /// The patient the Telegram user is actively linked to, or nil.
    public func byTelegram(_ telegramUserID: Int64) async throws -> PatientRecord? {
        let rows = try await client.query("""
            SELECT p.id, l.id, p.first_name, p.last_name, p.middle_name, p.language,
                   to_char(p.birth_date, 'YYYY-MM-DD'), p.sex::text, p.iin_cipher, p.phone_cipher,
                   p.consent_personal_data, p.consent_medical_intervention, p.consent_marketing,
                   p.osms_status, p.tags
            FROM patient_telegram_links l JOIN patients p ON p.id = l.patient_id
            WHERE l.telegram_user_id = \(telegramUserID) AND l.is_active
            """, logger: logger)
        // The whole result is read before decoding: an abandoned row stream would hold its connection.
        for row in try await rows.collect() {
            let row = try row.decode(
                (Int64, Int64, String, String, String?, String, String, String, ByteBuffer, ByteBuffer,
                 Bool, Bool, Bool, String?, [String]).self)
            return PatientRecord(
                patientID: row.0, telegramLinkID: row.1, firstName: row.2, lastName: row.3, middleName: row.4,
                language: row.5, birthDate: row.6, sex: row.7,
                iin: try cipher.open(Array(row.8.readableBytesView)),
                phone: try cipher.open(Array(row.9.readableBytesView)),
                consents: PatientConsents(personalData: row.10, medicalIntervention: row.11, marketing: row.12),
                osmsStatus: row.13, tags: row.14)
        }
        return nil
    }

    /// `byTelegram` for someone outside the bot (the REST API): every read of a card is audited,
    /// with whether the IIN and phone were asked for in clear.
    public func byTelegram(_ telegramUserID: Int64, readBy actor: AuditActor, revealing: Bool) async throws -> PatientRecord? {
        guard let record = try await byTelegram(telegramUserID) else { return nil }
        try await client.withConnection { connection in
            try await AuditLog.record(
                AuditEntry(actor: actor, action: "patient.read", objectType: "patient", objectID: String(record.patientID),
                           details: ["revealed": .bool(revealing)]),
                on: connection, logger: logger)
        }
        return record
    }

    /// Ends the Telegram user's active link (the patient card stays). Returns whether there was one.
    @discardableResult
    public func unlink(telegramUserID: Int64, actor: AuditActor) async throws -> Bool {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let unlinked = try await endLinks(telegramUserID: telegramUserID, on: connection)
                for (linkID, patientID) in unlinked {
                    try await AuditLog.record(
                        AuditEntry(
                            actor: actor, action: "patient.unlink", objectType: "patient", objectID: String(patientID),
                            details: ["telegram_link_id": .int(Int(linkID))]),
                        on: connection, logger: logger)
                }
                return !unlinked.isEmpty
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }
}

extension PatientStore {
    /// Ends the Telegram user's active links in the caller's transaction: (link, patient) ids.
    func endLinks(telegramUserID: Int64, on connection: PostgresConnection) async throws -> [(Int64, Int64)] {
        let rows = try await connection.query("""
            UPDATE patient_telegram_links SET is_active = false, unlinked_at = now()
            WHERE telegram_user_id = \(telegramUserID) AND is_active
            RETURNING id, patient_id
            """, logger: logger)
        // Read every row before the next query: a connection runs one query at a time.
        return try await rows.collect().map { try $0.decode((Int64, Int64).self) }
    }
}

extension ByteBuffer {
    /// Binds bytes as `bytea`: a `[UInt8]` would bind as an array of `"char"`.
    init(sealed bytes: [UInt8]) { self.init(bytes: bytes) }
}
