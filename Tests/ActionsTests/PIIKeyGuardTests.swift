@testable import ClinicPostgres
@testable import FlowActions
import Foundation
import PostgresNIO
import Testing
import TestSupport

/// A server given another PII key than the database's refuses to start, rather than register
/// every returning patient anew.
@Suite("The PII key guard", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct PIIKeyGuardTests {
    static func newKey() throws -> PIICipher {
        try PIICipher(base64Key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
    }

    @Test("the first start records the key's fingerprint, not the key; the same key starts again, another is refused")
    func recordsThenCompares() async throws {
        let key = try Self.newKey(), other = try Self.newKey()
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            try await PIIKeyGuard.verify(key, client: client)
            try await PIIKeyGuard.verify(key, client: client)
            await #expect(throws: PIIKeyMismatch.self) { try await PIIKeyGuard.verify(other, client: client) }
            let stored = try await client.query("SELECT fingerprint FROM pii_key").collect().map { Array(try $0.decode(ByteBuffer.self).readableBytesView) }
            #expect(stored == [key.fingerprint])
            #expect(key.fingerprint != other.fingerprint && key.fingerprint.count == 32)
        }
    }

    @Test("a database from before the fingerprint: a sealed IIN that the new key cannot open refuses it; the right key is recorded")
    func legacyDatabase() async throws {
        let key = try Self.newKey(), other = try Self.newKey()
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let iin = ByteBuffer(bytes: try key.seal("900305300016")), phone = ByteBuffer(bytes: try key.seal("+77011234567"))
            let iinHash = ByteBuffer(bytes: key.lookupHash(kind: .iin, value: "900305300016"))
            let phoneHash = ByteBuffer(bytes: key.lookupHash(kind: .phone, value: "+77011234567"))
            _ = try await client.query("""
                INSERT INTO patients (first_name, last_name, birth_date, sex, iin_cipher, iin_hash, phone_cipher, phone_hash, language,
                                      consent_personal_data, consent_medical_intervention, consents_at)
                VALUES ('Айдос', 'Қасымов', '1990-03-05', 'M', \(iin), \(iinHash), \(phone), \(phoneHash), 'kk', true, true, now())
                """).collect()
            await #expect(throws: PIIKeyMismatch.self) { try await PIIKeyGuard.verify(other, client: client) }
            #expect(try await client.query("SELECT count(*)::int FROM pii_key").collect()[0].decode(Int.self) == 0)
            try await PIIKeyGuard.verify(key, client: client)
            await #expect(throws: PIIKeyMismatch.self) { try await PIIKeyGuard.verify(other, client: client) }
        }
    }

    @Test("the refusal says what happened and what to do, and names no key")
    func message() throws {
        let text = PIIKeyMismatch().description
        #expect(text.contains("PII_ENCRYPTION_KEY") && text.contains(".local/pii.key") && text.contains("refuses to start"))
    }
}
