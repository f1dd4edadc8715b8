import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// One-time codes the registry gives a patient whose card cannot be linked by phone (the
/// number changed, no Telegram contact to share): eight digits, valid for a day, used once,
/// stored only as a keyed hash. Typed in the bot, a code proves the card is the person's as
/// a shared contact does; a wrong one counts against the account's daily attempts.
public enum LinkCodes {
    static let schema = Migration(version: 10, name: "patient_link_codes", sql: """
        CREATE TABLE patient_link_codes (
            id          bigserial PRIMARY KEY,
            patient_id  bigint NOT NULL REFERENCES patients (id),
            code_hash   bytea NOT NULL CHECK (length(code_hash) = 32),
            issued_by   text NOT NULL,
            issued_at   timestamptz NOT NULL DEFAULT now(),
            expires_at  timestamptz NOT NULL,
            used_at     timestamptz NULL,
            used_by     bigint NULL
        );
        CREATE INDEX patient_link_codes_patient_idx ON patient_link_codes (patient_id) WHERE used_at IS NULL;
        """)

    public static let validity: Duration = .seconds(86_400)

    /// "12345678": spaces and dashes a person types between groups are ignored.
    public static func normalized(_ typed: String) -> String? {
        let digits = typed.filter { $0 != " " && $0 != "-" }
        guard digits.count == 8, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<8).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
    }
}


extension PatientStore {
    /// Issues a code for the card with this IIN; nil when the clinic has no such card. Earlier
    /// unused codes of the card stop working. Audited, without the code.
    public func issueLinkCode(iin: IIN, actor: AuditActor) async throws -> IssuedLinkCode? {
        let iinHash = ByteBuffer(sealed: cipher.lookupHash(kind: .iin, value: iin.digits))
        let code = LinkCodes.make()
        let codeHash = ByteBuffer(sealed: cipher.lookupHash(kind: .linkCode, value: code))
        let seconds = Int(LinkCodes.validity.components.seconds)
        do {
            return try await client.withTransaction(logger: logger) { connection in
                guard let patient = try await StoredPatient.byIINHash(iinHash, on: connection, logger: logger) else { return nil }
                try await connection.query("""
                    UPDATE patient_link_codes SET expires_at = now() WHERE patient_id = \(patient.id) AND used_at IS NULL AND expires_at > now()
                    """, logger: logger)
                let expires = try await connection.query("""
                    INSERT INTO patient_link_codes (patient_id, code_hash, issued_by, expires_at)
                    VALUES (\(patient.id), \(codeHash), \(actor.text), now() + make_interval(secs => \(seconds)))
                    RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                    """, logger: logger).collect()[0].decode(String.self)
                try await AuditLog.record(
                    AuditEntry(actor: actor, action: "patient.link_code", objectType: "patient", objectID: String(patient.id),
                               details: ["expires_at": .string(expires)]),
                    on: connection, logger: logger)
                return IssuedLinkCode(code: code, expiresAt: expires)
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    /// Whether `code` is a live code of `patientID`; if so it is used up, in the caller's
    /// transaction, by this Telegram account.
    func useLinkCode(_ code: String, patientID: Int64, telegramUserID: Int64, on connection: PostgresConnection) async throws -> Bool {
        guard let digits = LinkCodes.normalized(code) else { return false }
        let hash = ByteBuffer(sealed: cipher.lookupHash(kind: .linkCode, value: digits))
        let used = try await connection.query("""
            UPDATE patient_link_codes SET used_at = now(), used_by = \(telegramUserID)
            WHERE patient_id = \(patientID) AND code_hash = \(hash) AND used_at IS NULL AND expires_at > now()
            RETURNING id
            """, logger: logger).collect()
        return !used.isEmpty
    }
}
