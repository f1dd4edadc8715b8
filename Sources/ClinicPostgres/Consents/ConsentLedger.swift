import FlowEngine
import Logging
import PostgresNIO

/// The consent ledger: every consent a patient gave or withdrew, append-only. The patient's
/// three booleans are the current state, kept in step in the same transaction; the ledger is
/// the proof — what was agreed to, in which words and language, through which channel, by whom.
/// The database itself refuses to change or delete an entry.
public enum ConsentLedger {
    static let schema = Migration(version: 8, name: "patient_consent_ledger", sql: """
        CREATE TABLE patient_consent_events (
            id           bigserial PRIMARY KEY,
            patient_id   bigint NOT NULL REFERENCES patients (id),
            kind         text NOT NULL CHECK (kind IN ('personal_data', 'medical_intervention', 'marketing')),
            granted      boolean NOT NULL,
            text_key     text NOT NULL CHECK (length(text_key) BETWEEN 1 AND 200),
            text_sha256  bytea NOT NULL CHECK (length(text_sha256) = 32),
            language     text NULL CHECK (language IN ('ru', 'kk')),
            channel      text NOT NULL CHECK (channel IN ('bot', 'api', 'desk')),
            actor        text NOT NULL,
            at           timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX patient_consent_events_patient_idx ON patient_consent_events (patient_id, id);

        CREATE FUNCTION patient_consent_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'patient_consent_events is append-only: record a withdrawal instead';
        END $$;
        CREATE TRIGGER patient_consent_events_no_update BEFORE UPDATE OR DELETE ON patient_consent_events
            FOR EACH ROW EXECUTE FUNCTION patient_consent_events_append_only();
        CREATE TRIGGER patient_consent_events_no_truncate BEFORE TRUNCATE ON patient_consent_events
            FOR EACH STATEMENT EXECUTE FUNCTION patient_consent_events_append_only();
        """)

    /// Appends `events` for the patient and brings the patient's current consents in step, in
    /// the caller's transaction — one statement, however many events (a registration gives three
    /// in the middle of its transaction, so each round trip counted in the webhook benchmark).
    static func record(
        _ events: [ConsentEvent], patientID: Int64, actor: AuditActor, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !events.isEmpty else { return }
        let kinds = events.map(\.kind.rawValue), granted = events.map(\.granted)
        let keys = events.map(\.wording.key), hashes = events.map(\.wording.sha256Hex)
        let languages = events.map { $0.wording.language ?? "" }, channels = events.map(\.channel.rawValue)
        // The current state is each kind's last event; a kind without an event keeps its value.
        func last(_ kind: ConsentKind) -> Bool? { events.last { $0.kind == kind }?.granted }
        let personalData = last(.personalData), medical = last(.medicalIntervention), marketing = last(.marketing)
        try await connection.query("""
            -- A data-modifying WITH always runs to completion, referenced or not.
            WITH appended AS (
                INSERT INTO patient_consent_events (patient_id, kind, granted, text_key, text_sha256, language, channel, actor)
                SELECT \(patientID), k, g, t, decode(h, 'hex'), NULLIF(l, ''), c, \(actor.text)
                FROM unnest(\(kinds)::text[], \(granted)::bool[], \(keys)::text[], \(hashes)::text[], \(languages)::text[], \(channels)::text[])
                    WITH ORDINALITY AS e(k, g, t, h, l, c, n)
                ORDER BY n
            )
            UPDATE patients SET
                consent_personal_data = coalesce(\(personalData)::bool, consent_personal_data),
                consent_medical_intervention = coalesce(\(medical)::bool, consent_medical_intervention),
                consent_marketing = coalesce(\(marketing)::bool, consent_marketing),
                consents_at = now(), updated_at = now()
            WHERE id = \(patientID)
            """, logger: logger)
    }

    /// The patient's ledger, oldest first.
    public static func history(patientID: Int64, client: PostgresClient, logger: Logger) async throws -> [ConsentRecord] {
        let rows = try await client.query("""
            SELECT id, kind, granted, text_key, text_sha256, language, channel, actor,
                   to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM patient_consent_events WHERE patient_id = \(patientID) ORDER BY id
            """, logger: logger).collect()
        return try rows.map { row in
            let c = try row.decode((Int64, String, Bool, String, ByteBuffer, String?, String, String, String).self)
            guard let kind = ConsentKind(rawValue: c.1), let channel = ConsentChannel(rawValue: c.6) else {
                throw InvalidInput(field: "consent", reason: "an unknown kind or channel in the ledger")
            }
            let wording = ConsentWording(key: c.3, sha256: Array(c.4.readableBytesView), language: c.5)
            return ConsentRecord(
                id: c.0, event: ConsentEvent(kind: kind, granted: c.2, wording: wording, channel: channel), actor: c.7, at: c.8)
        }
    }
}
