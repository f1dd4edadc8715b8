import FlowEngine
import Logging
import PostgresNIO

extension PatientStore {
    /// Changes the phone of the patient linked to this Telegram user: sealed and hashed like at
    /// registration, audited without the number. `verified`: the owner shared it as their
    /// contact (only then can it prove a later link). Returns false when no patient is linked.
    public func setPhone(telegramUserID: Int64, phone: PhoneNumber, verified: Bool, actor: AuditActor) async throws -> Bool {
        let cipherBytes = ByteBuffer(sealed: try cipher.seal(phone.e164))
        let hash = ByteBuffer(sealed: cipher.lookupHash(kind: .phone, value: phone.e164))
        return try await updateLinkedPatient(
            telegramUserID: telegramUserID, actor: actor, audit: "patient.phone", details: ["verified": .bool(verified)]
        ) { patientID, connection in
            try await connection.query("""
                UPDATE patients SET phone_cipher = \(cipherBytes), phone_hash = \(hash), phone_verified = \(verified), updated_at = now()
                WHERE id = \(patientID)
                """, logger: logger)
        }
    }

    /// Records a consent given or withdrawn in the ledger, for the patient linked to this
    /// Telegram user. Withdrawing a consent the bot cannot work without (personal data, medical
    /// intervention) also unlinks the account: the card and its records stay, as the law
    /// requires, and the bot stops using the data. Returns nil when no patient is linked.
    public func setConsent(telegramUserID: Int64, _ event: ConsentEvent, actor: AuditActor) async throws -> ConsentChange? {
        let unlinks = !event.granted && event.kind != .marketing
        var details: [String: Value] = [
            "kind": .string(event.kind.rawValue), "granted": .bool(event.granted), "text_key": .string(event.wording.key),
        ]
        if unlinks { details["unlinked"] = .bool(true) }
        let found = try await updateLinkedPatient(
            telegramUserID: telegramUserID, actor: actor, audit: "patient.consent", details: details
        ) { patientID, connection in
            try await ConsentLedger.record([event], patientID: patientID, actor: actor, on: connection, logger: logger)
            if unlinks { _ = try await endLinks(telegramUserID: telegramUserID, on: connection) }
        }
        return found ? ConsentChange(unlinked: unlinks) : nil
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
