import FlowEngine
import Logging
import PostgresNIO

extension PatientStore {
    /// Changes the phone of the patient linked to this Telegram user: sealed and hashed like at
    /// registration, audited without the number. Returns false when no patient is linked.
    public func setPhone(telegramUserID: Int64, phone: PhoneNumber, actor: AuditActor) async throws -> Bool {
        let cipherBytes = ByteBuffer(sealed: try cipher.seal(phone.e164))
        let hash = ByteBuffer(sealed: cipher.lookupHash(kind: .phone, value: phone.e164))
        return try await updateLinkedPatient(telegramUserID: telegramUserID, actor: actor, audit: "patient.phone", details: [:]) { patientID, connection in
            try await connection.query(
                "UPDATE patients SET phone_cipher = \(cipherBytes), phone_hash = \(hash), updated_at = now() WHERE id = \(patientID)",
                logger: logger)
        }
    }

    /// Records whether the patient agrees to news and offers, audited with the new value.
    public func setMarketingConsent(telegramUserID: Int64, consent: Bool, actor: AuditActor) async throws -> Bool {
        try await updateLinkedPatient(telegramUserID: telegramUserID, actor: actor, audit: "patient.consent_marketing", details: ["consent": .bool(consent)]) { patientID, connection in
            try await connection.query(
                "UPDATE patients SET consent_marketing = \(consent), consents_at = now(), updated_at = now() WHERE id = \(patientID)",
                logger: logger)
        }
    }

    /// Runs `change` for the patient linked to the Telegram user, in one transaction with its
    /// audit entry.
    private func updateLinkedPatient(
        telegramUserID: Int64, actor: AuditActor, audit action: String, details: [String: Value],
        _ change: @escaping @Sendable (Int64, PostgresConnection) async throws -> Void
    ) async throws -> Bool {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    "SELECT patient_id FROM patient_telegram_links WHERE telegram_user_id = \(telegramUserID) AND is_active FOR UPDATE",
                    logger: logger)
                let patients = try await rows.collect().map { try $0.decode(Int64.self) }
                for patientID in patients {
                    try await change(patientID, connection)
                    try await AuditLog.record(
                        AuditEntry(actor: actor, action: action, objectType: "patient", objectID: String(patientID), details: details),
                        on: connection, logger: logger)
                }
                return !patients.isEmpty
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }
}
