@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import PostgresNIO
import Testing
import TestSupport

@Suite("Patient store", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct PatientStoreTests {
    private func saved(_ result: PatientUpsertResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> SavedPatient {
        guard case .saved(let patient) = result else {
            Issue.record("expected a saved patient, got \(result)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return patient
    }

    @Test("a new patient is created with IIN and phone stored only encrypted, and audited without them")
    func create() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let iin = TestIIN.random()
            let phone = TestData.phone()
            let draft = try TestData.draft(iin: iin, phone: phone, middleName: "Ерланқызы")
            let patient = try saved(try await store.upsert(draft, actor: .telegram(draft.telegramUserID)))
            #expect(patient.created)
            #expect(patient.fullName == "Сериккызы Айгерим Ерланқызы")

            let columns = try await client.query("""
                SELECT iin_cipher, iin_hash, phone_cipher, phone_hash FROM patients WHERE id = \(patient.patientID)
                """).collect()
            let bytes = try columns[0].decode((ByteBuffer, ByteBuffer, ByteBuffer, ByteBuffer).self)
            for column in [bytes.0, bytes.1, bytes.2, bytes.3] {
                let raw = Array(column.readableBytesView)
                #expect(!raw.contains(subsequence: Array(iin.digits.utf8)))
                #expect(!raw.contains(subsequence: Array(phone.dropFirst().utf8)))
            }
            // The whole row and its audit rows as PostgreSQL prints them.
            let rowText = try await client.query("SELECT p::text FROM patients p WHERE id = \(patient.patientID)")
                .collect()[0].decode(String.self)
            let auditText = try await client.query("""
                SELECT string_agg(a::text, ' ') FROM bot_audit a
                WHERE object_type = 'patient' AND object_id = \(String(patient.patientID))
                """).collect()[0].decode(String.self)
            for text in [rowText, auditText] {
                #expect(!text.contains(iin.digits))
                #expect(!text.contains(String(phone.dropFirst(2))))
            }
            #expect(auditText.contains("patient.create"))
        }
    }

    @Test("the same IIN from another Telegram user is refused and leaves one patient")
    func iinTaken() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let iin = TestIIN.random()
            let first = try TestData.draft(iin: iin)
            let patient = try saved(try await store.upsert(first, actor: .telegram(first.telegramUserID)))
            let second = try TestData.draft(iin: iin, firstName: "Другой")
            #expect(try await store.upsert(second, actor: .telegram(second.telegramUserID)) == .refused(.iinLinkedElsewhere))
            #expect(try await patientCount(client, store: store, iin: iin.digits) == 1)
            #expect(try await store.byTelegram(second.telegramUserID) == nil)
            #expect(try await store.byTelegram(first.telegramUserID)?.firstName == "Айгерим")
            #expect(try await auditActions(client, patientID: patient.patientID) == ["patient.create", "patient.upsert_refused"])
        }
    }

    @Test("registering again from the same Telegram account updates the same patient")
    func reRegistration() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let iin = TestIIN.random()
            let telegramUserID = TestData.telegramUserID()
            let first = try saved(try await store.upsert(
                TestData.draft(telegramUserID: telegramUserID, iin: iin), actor: .telegram(telegramUserID)))
            let newPhone = TestData.phone()
            let second = try saved(try await store.upsert(
                TestData.draft(telegramUserID: telegramUserID, iin: iin, phone: newPhone, firstName: "Айжан", language: "ru"),
                actor: .telegram(telegramUserID)))
            #expect(!second.created)
            #expect(second.patientID == first.patientID)
            #expect(second.telegramLinkID == first.telegramLinkID)
            let record = try #require(try await store.byTelegram(telegramUserID))
            #expect(record.firstName == "Айжан")
            #expect(record.phone == newPhone)
            #expect(record.language == "ru")
            #expect(try await patientCount(client, store: store, iin: iin.digits) == 1)
            let details = try await client.query("""
                SELECT details->'changed' FROM bot_audit WHERE action = 'patient.update' AND object_id = \(String(first.patientID))
                """).collect()[0].decode(String.self)
            #expect(details.contains("first_name") && details.contains("phone") && details.contains("language"))
            #expect(!details.contains("last_name"))
        }
    }

    @Test("changing one's IIN to another patient's IIN is refused")
    func iinOfAnotherPatient() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let other = try TestData.draft()
            _ = try saved(try await store.upsert(other, actor: .api))
            let mine = try TestData.draft()
            _ = try saved(try await store.upsert(mine, actor: .api))
            let stolen = try TestData.draft(telegramUserID: mine.telegramUserID, iin: TestIIN(digits: other.iin.digits, birthDate: other.birthDate.description, sex: other.sex.rawValue))
            #expect(try await store.upsert(stolen, actor: .api) == .refused(.iinLinkedElsewhere))
            #expect(try await store.byTelegram(mine.telegramUserID)?.iin == mine.iin.digits)
        }
    }

    @Test("20 Telegram users registering one IIN at once make exactly one patient")
    func concurrentRegistrations() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let iin = TestIIN.random()
            let drafts = try (0..<20).map { _ in try TestData.draft(iin: iin) }
            let results = try await withThrowingTaskGroup(of: PatientUpsertResult.self) { group throws in
                for draft in drafts { group.addTask { try await store.upsert(draft, actor: .telegram(draft.telegramUserID)) } }
                return try await group.reduce(into: [PatientUpsertResult]()) { $0.append($1) }
            }
            let savedOnes = results.compactMap { if case .saved(let p) = $0 { p } else { nil } }
            #expect(savedOnes.count == 1)
            #expect(savedOnes.first?.created == true)
            #expect(results.filter { $0 == .refused(.iinLinkedElsewhere) }.count == 19)
            #expect(try await patientCount(client, store: store, iin: iin.digits) == 1)
            let links = try await client.query("""
                SELECT count(*) FROM patient_telegram_links WHERE patient_id = \(savedOnes[0].patientID) AND is_active
                """).collect()[0].decode(Int.self)
            #expect(links == 1)
        }
    }

    @Test("one Telegram user submitting twice at once ends with one patient and one link")
    func concurrentSameUser() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let draft = try TestData.draft()
            let results = try await withThrowingTaskGroup(of: PatientUpsertResult.self) { group throws in
                for _ in 0..<5 { group.addTask { try await store.upsert(draft, actor: .telegram(draft.telegramUserID)) } }
                return try await group.reduce(into: [PatientUpsertResult]()) { $0.append($1) }
            }
            let ids = Set(try results.map { try saved($0).patientID })
            #expect(ids.count == 1)
            #expect(try await patientCount(client, store: store, iin: draft.iin.digits) == 1)
        }
    }

    @Test("without the required consents nothing is stored")
    func consents() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            for consents in [PatientConsents(personalData: false, medicalIntervention: true, marketing: true),
                             PatientConsents(personalData: true, medicalIntervention: false)] {
                let draft = try TestData.draft(consents: consents)
                #expect(try await store.upsert(draft, actor: .api) == .consentRequired)
                #expect(try await patientCount(client, store: store, iin: draft.iin.digits) == 0)
            }
        }
    }

    @Test("unlinking frees the card for the registry to link to another account, and every write is audited")
    func unlinkAndAudit() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let iin = TestIIN.random()
            let first = try TestData.draft(iin: iin)
            let patient = try saved(try await store.upsert(first, actor: .telegram(first.telegramUserID)))
            _ = try saved(try await store.upsert(first, actor: .telegram(first.telegramUserID)))
            #expect(try await store.unlink(telegramUserID: first.telegramUserID, actor: .telegram(first.telegramUserID)))
            #expect(try await !store.unlink(telegramUserID: first.telegramUserID, actor: .telegram(first.telegramUserID)))
            #expect(try await store.byTelegram(first.telegramUserID) == nil)

            let second = try TestData.draft(iin: iin, firstName: "Новый")
            let relinked = try saved(try await store.upsert(second, actor: .api))
            #expect(!relinked.created)
            #expect(relinked.patientID == patient.patientID)
            #expect(relinked.telegramLinkID != patient.telegramLinkID)
            // Linking keeps the card's identity: the name typed by the new account is not written.
            #expect(try await store.byTelegram(second.telegramUserID)?.firstName == "Айгерим")
            #expect(try await auditActions(client, patientID: patient.patientID)
                == ["patient.create", "patient.update", "patient.unlink", "patient.link"])
            let actors = try await client.query("""
                SELECT actor FROM bot_audit WHERE object_type = 'patient' AND object_id = \(String(patient.patientID)) ORDER BY id
                """).collect().map { try $0.decode(String.self) }
            #expect(actors.first == "telegram:\(first.telegramUserID)")
            #expect(actors.last == "api")
        }
    }

    @Test("a record read back is decrypted and masked")
    func byTelegram() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let draft = try TestData.draft(phone: "+77015550167")
            _ = try saved(try await store.upsert(draft, actor: .api))
            let record = try #require(try await store.byTelegram(draft.telegramUserID))
            #expect(record.iin == draft.iin.digits)
            #expect(record.iinMasked == String(draft.iin.digits.prefix(4)) + "••••••" + String(draft.iin.digits.suffix(2)))
            #expect(record.phoneMasked == "+7 701 ••• •• 67")
            #expect(record.birthDate == draft.birthDate.description)
            #expect(record.sex == draft.sex.rawValue)
            #expect(record.tags == [])
            #expect(record.osmsStatus == nil)
            #expect(record.consents.personalData && record.consents.medicalIntervention && !record.consents.marketing)
            // A read from outside the bot is audited, with whether it revealed the IIN and phone.
            _ = try await store.byTelegram(draft.telegramUserID, readBy: .api, revealing: true)
            let read = try await client.query("""
                SELECT details->>'revealed' FROM bot_audit WHERE action = 'patient.read' AND object_id = \(String(record.patientID))
                """).collect().map { try $0.decode(String.self) }
            #expect(read == ["true"])
        }
    }

    private func patientCount(_ client: PostgresClient, store: PatientStore, iin: String) async throws -> Int {
        let hash = ByteBuffer(bytes: store.cipher.lookupHash(kind: .iin, value: iin))
        return try await client.query("SELECT count(*) FROM patients WHERE iin_hash = \(hash)").collect()[0].decode(Int.self)
    }

    private func auditActions(_ client: PostgresClient, patientID: Int64) async throws -> [String] {
        try await client.query("""
            SELECT action FROM bot_audit WHERE object_type = 'patient' AND object_id = \(String(patientID)) ORDER BY id
            """).collect().map { try $0.decode(String.self) }
    }
}

extension Array where Element: Equatable {
    func contains(subsequence: [Element]) -> Bool {
        guard !subsequence.isEmpty, subsequence.count <= count else { return subsequence.isEmpty }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<($0 + subsequence.count)]) == subsequence }
    }
}
