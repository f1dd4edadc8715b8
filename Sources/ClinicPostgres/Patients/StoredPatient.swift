import Logging
import PostgresNIO

/// A patient row as it is before an upsert changes it, to tell the audit which fields changed.
struct StoredPatient: Sendable {
    let id: Int64
    let firstName: String
    let lastName: String
    let middleName: String?
    let birthDate: String
    let sex: String
    let language: String
    let iinHash: [UInt8]
    let phoneHash: [UInt8]
    /// The phone was shared by its owner or written by the registry (see `PatientSchema.phoneVerified`).
    let phoneVerified: Bool
    let consents: PatientConsents

    /// "Last First Middle", as the card has it.
    var fullName: String { [lastName, firstName, middleName].compactMap { $0 }.joined(separator: " ") }

    /// Locks the row (`FOR UPDATE`): whoever registers this IIN next waits for this transaction.
    static func byIINHash(_ hash: ByteBuffer, on connection: PostgresConnection, logger: Logger) async throws -> StoredPatient? {
        try await fetch(where: "iin_hash = $1", hash, on: connection, logger: logger)
    }

    static func byID(_ id: Int64, on connection: PostgresConnection, logger: Logger) async throws -> StoredPatient {
        guard let patient = try await fetch(where: "id = $1", id, on: connection, logger: logger) else {
            // The link's foreign key guarantees the row exists; if a hand-edited database breaks
            // that, the one request fails, not the server.
            throw InvalidInput(field: "patient", reason: "an active link points at a missing patient")
        }
        return patient
    }

    private static func fetch(
        where condition: String, _ value: some PostgresEncodable & Sendable, on connection: PostgresConnection, logger: Logger
    ) async throws -> StoredPatient? {
        var bindings = PostgresBindings()
        try bindings.append(value)
        let query = PostgresQuery(unsafeSQL: """
            SELECT id, first_name, last_name, middle_name, to_char(birth_date, 'YYYY-MM-DD'), sex::text, language,
                   iin_hash, phone_hash, consent_personal_data, consent_medical_intervention, consent_marketing, phone_verified
            FROM patients WHERE \(condition) FOR UPDATE
            """, binds: bindings)
        guard let row = try await connection.query(query, logger: logger).collect().first else { return nil }
        let c = try row.decode(
            (Int64, String, String, String?, String, String, String, ByteBuffer, ByteBuffer, Bool, Bool, Bool, Bool).self)
        return StoredPatient(
            id: c.0, firstName: c.1, lastName: c.2, middleName: c.3, birthDate: c.4, sex: c.5, language: c.6,
            iinHash: Array(c.7.readableBytesView), phoneHash: Array(c.8.readableBytesView), phoneVerified: c.12,
            consents: PatientConsents(personalData: c.9, medicalIntervention: c.10, marketing: c.11))
    }

    /// The names of the fields `draft` changes, for the audit trail: names only, never values.
    func changedFields(comparedTo draft: PatientDraft, sealed: SealedPatientPII) -> [String] {
        var changed: [String] = []
        if firstName != draft.firstName.text { changed.append("first_name") }
        if lastName != draft.lastName.text { changed.append("last_name") }
        if middleName != draft.middleName?.text { changed.append("middle_name") }
        if birthDate != draft.birthDate.description { changed.append("birth_date") }
        if sex != draft.sex.rawValue { changed.append("sex") }
        if language != draft.language.rawValue { changed.append("language") }
        // Keyed hashes of personal data: compared without leaking where they differ.
        if !constantTimeEquals(iinHash, sealed.iinHashBytes) { changed.append("iin") }
        if !constantTimeEquals(phoneHash, sealed.phoneHashBytes) { changed.append("phone") }
        if ConsentKind.allCases.contains(where: { consents.granted($0) != draft.consents.granted($0) }) { changed.append("consents") }
        return changed
    }
}
