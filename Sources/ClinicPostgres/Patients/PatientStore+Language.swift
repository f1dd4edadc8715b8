import FlowEngine
import Logging
import PostgresNIO

extension PatientStore {
    /// Records the language the patient chose on their card and their Telegram link, audited.
    /// Returns false when the Telegram user is linked to no patient.
    public func setLanguage(telegramUserID: Int64, language: Language, actor: AuditActor) async throws -> Bool {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    UPDATE patient_telegram_links SET language = \(language.rawValue)
                    WHERE telegram_user_id = \(telegramUserID) AND is_active
                    RETURNING patient_id
                    """, logger: logger)
                let patients = try await rows.collect().map { try $0.decode(Int64.self) }
                for patientID in patients {
                    try await connection.query(
                        "UPDATE patients SET language = \(language.rawValue), updated_at = now() WHERE id = \(patientID)", logger: logger)
                    try await AuditLog.record(
                        AuditEntry(
                            actor: actor, action: "patient.language", objectType: "patient", objectID: String(patientID),
                            details: ["language": .string(language.rawValue)]),
                        on: connection, logger: logger)
                }
                return !patients.isEmpty
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }
}
