import Foundation
import Logging
import PostgresNIO

/// Makes sure the PII key a process was given is the one this database's IINs and phones were
/// sealed with. A server started with another key (a lost `.local/pii.key` silently made anew,
/// a secret store holding the wrong value) could read no stored IIN: every returning patient
/// would be registered again as a duplicate card. So the first start records the key's
/// fingerprint (never the key) and every later start compares, and refuses to go on with
/// another key.
public enum PIIKeyGuard {
    static let schema = Migration(version: 7, name: "pii_key", sql: """
        -- One row: the fingerprint of the key that seals the IINs and phones (PIICipher.fingerprint).
        CREATE TABLE pii_key (
            only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            fingerprint bytea NOT NULL CHECK (length(fingerprint) = 32),
            recorded_at timestamptz NOT NULL DEFAULT now()
        );
        """)

    /// Records the fingerprint on first use; throws `PIIKeyMismatch` when the database belongs
    /// to another key. A database from before the fingerprint (patients sealed, no row) is
    /// checked by opening one sealed IIN.
    public static func verify(_ cipher: PIICipher, client: PostgresClient, logger: Logger = Logger(label: "clinic-bot.pii")) async throws {
        let rows = try await client.query("SELECT fingerprint FROM pii_key", logger: logger).collect()
        if let stored = try rows.first?.decode(ByteBuffer.self) {
            guard constantTimeEquals(Array(stored.readableBytesView), cipher.fingerprint) else { throw PIIKeyMismatch() }
            return
        }
        let sealed = try await client.query("""
            SELECT iin_cipher FROM patients ORDER BY id DESC LIMIT 1
            """, logger: logger).collect().first?.decode(ByteBuffer.self)
        if let sealed {
            do {
                _ = try cipher.open(Array(sealed.readableBytesView))
            } catch PIIOpenError.notAuthentic {
                throw PIIKeyMismatch()
            } catch {
                // Not a value this build sealed (a placeholder of generated benchmark data): it
                // proves nothing either way.
            }
        }
        _ = try await client.query("""
            INSERT INTO pii_key (fingerprint) VALUES (\(ByteBuffer(bytes: cipher.fingerprint))) ON CONFLICT (only_row) DO NOTHING
            """, logger: logger).collect()
        // Two first starts at once: whichever recorded first decides.
        let recorded = try await client.query("SELECT fingerprint FROM pii_key", logger: logger).collect()[0].decode(ByteBuffer.self)
        guard constantTimeEquals(Array(recorded.readableBytesView), cipher.fingerprint) else { throw PIIKeyMismatch() }
        logger.notice("recorded the PII key's fingerprint: later starts must use the same key")
    }
}

/// The process was given another PII key than the one the database's personal data are sealed
/// with. Says what to do; names no key.
public struct PIIKeyMismatch: PIIFreeError, Sendable, Equatable {
    public init() {}
    public var description: String {
        """
        PII_ENCRYPTION_KEY is not the key this database's IINs and phones were encrypted with. \
        With it no stored IIN could be read, and returning patients would be registered again as new cards, \
        so clinic-bot refuses to start. Give it the original key (scripts/run.sh keeps it in .local/pii.key; \
        a deployment in its secret store). If the key is truly lost, the stored IINs and phones are lost with it: \
        a new key needs a new database.
        """
    }
}
