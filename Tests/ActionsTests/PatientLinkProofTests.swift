@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import PostgresNIO
import Testing
import TestSupport

/// A card without an active Telegram link (unlinked, or registered at the desk) is linked to
/// a Telegram account only with proof: the person's own contact, shared through Telegram's
/// button, whose number is the card's. Knowing the IIN is not enough.
@Suite("Linking an existing card", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct PatientLinkProofTests {
    /// The victim's card, registered at the desk: no Telegram link.
    private func deskCard(_ store: PatientStore, iin: TestIIN, phone: String) async throws -> SavedPatient {
        let draft = try TestData.draft(iin: iin, phone: phone)
        guard case .saved(let saved) = try await store.upsert(draft, actor: .api) else { throw CancellationError() }
        _ = try await store.unlink(telegramUserID: draft.telegramUserID, actor: .api)
        return saved
    }

    @Test("someone who knows the IIN and types the card's phone is refused, and the card is unchanged")
    func takeoverRefused() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let iin = TestIIN.random()
            let phone = TestData.phone()
            let card = try await deskCard(store, iin: iin, phone: phone)
            let before = try await row(client, card.patientID)

            let attacker = try TestData.draft(iin: iin, phone: phone, firstName: "Чужой", lastName: "Человек")
            // Typed (no proof), or a contact of another number: both refused alike.
            for shared in [nil, TestData.phone()] {
                #expect(try await store.upsert(attacker, actor: .telegram(attacker.telegramUserID), authority: .patient(sharedPhone: shared))
                    == .refused(.noProof))
            }
            #expect(try await store.byTelegram(attacker.telegramUserID) == nil)
            #expect(try await row(client, card.patientID) == before)
            let refusals = try await client.query("""
                SELECT count(*) FROM bot_audit WHERE action = 'patient.upsert_refused' AND details->>'reason' = 'no_proof'
                  AND actor = \("telegram:\(attacker.telegramUserID)")
                """).collect()[0].decode(Int.self)
            #expect(refusals == 2)
        }
    }

    @Test("the card's own number shared as a contact links it, keeping the card's identity")
    func sharedContactLinks() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let iin = TestIIN.random()
            let phone = TestData.phone()
            let card = try await deskCard(store, iin: iin, phone: phone)
            let before = try await row(client, card.patientID)

            let owner = try TestData.draft(iin: iin, phone: phone, firstName: "Айша", language: "ru")
            let result = try await store.upsert(owner, actor: .telegram(owner.telegramUserID), authority: .patient(sharedPhone: phone))
            guard case .saved(let linked) = result else { Issue.record("expected a link, got \(result)"); return }
            #expect(linked.patientID == card.patientID)
            #expect(!linked.created)
            #expect(linked.fullName == "Сериккызы Айгерим")
            let record = try #require(try await store.byTelegram(owner.telegramUserID))
            #expect(record.firstName == "Айгерим")
            #expect(record.language == "ru")
            // Names, birth date, sex, IIN and phone as the clinic recorded them.
            let after = try await row(client, card.patientID)
            #expect(after.identity == before.identity)
            let method = try await client.query("""
                SELECT details->>'method' FROM bot_audit WHERE action = 'patient.link' AND object_id = \(String(card.patientID))
                """).collect()[0].decode(String.self)
            #expect(method == "shared_contact")
        }
    }

    @Test("a card whose phone was only typed is not linked by a contact of that number: the squatter's own number proves nothing")
    func typedPhoneProvesNothing() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let iin = TestIIN.random()
            let phone = TestData.phone()
            // Someone registered this IIN in the bot with a typed number, then unlinked.
            let squatter = try TestData.draft(iin: iin, phone: phone)
            guard case .saved = try await store.upsert(squatter, actor: .telegram(squatter.telegramUserID)) else {
                Issue.record("not registered"); return
            }
            _ = try await store.unlink(telegramUserID: squatter.telegramUserID, actor: .telegram(squatter.telegramUserID))
            let again = try TestData.draft(iin: iin, phone: phone)
            #expect(try await store.upsert(again, actor: .telegram(again.telegramUserID), authority: .patient(sharedPhone: phone))
                == .refused(.noProof))
            // Shared as a contact in the profile, the number becomes proof.
            let owner = try TestData.draft(iin: iin, phone: phone)
            _ = try await store.upsert(owner, actor: .api)
            #expect(try await store.setPhone(telegramUserID: owner.telegramUserID, phone: try PhoneNumber(phone), verified: true,
                                             actor: .telegram(owner.telegramUserID)))
            _ = try await store.unlink(telegramUserID: owner.telegramUserID, actor: .telegram(owner.telegramUserID))
            guard case .saved = try await store.upsert(again, actor: .telegram(again.telegramUserID), authority: .patient(sharedPhone: phone)) else {
                Issue.record("a shared, proven number did not link the card"); return
            }
        }
    }

    @Test("the registry's one-time code links the card once; a wrong, used, replaced or expired code is refused")
    func registryCode() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let iin = TestIIN.random()
            let card = try await deskCard(store, iin: iin, phone: TestData.phone())
            let iinValue = try IIN(checking: iin.digits)
            #expect(try await store.issueLinkCode(iin: try IIN(checking: TestIIN.random().digits), actor: .api) == nil)
            let replaced = try #require(try await store.issueLinkCode(iin: iinValue, actor: .api))
            let issued = try #require(try await store.issueLinkCode(iin: iinValue, actor: .api))
            #expect(issued.code.count == 8 && issued.code.allSatisfy(\.isNumber))

            // The phone changed since: a new number typed, and the code.
            let owner = try TestData.draft(iin: iin, phone: TestData.phone())
            let actor = AuditActor.telegram(owner.telegramUserID)
            #expect(try await store.upsert(owner, actor: actor, authority: .patient(sharedPhone: nil, linkCode: "00000000")) == .refused(.noProof))
            if replaced.code != issued.code {
                #expect(try await store.upsert(owner, actor: actor, authority: .patient(sharedPhone: nil, linkCode: replaced.code)) == .refused(.noProof))
            }
            let spaced = String(issued.code.prefix(4)) + " " + String(issued.code.suffix(4))
            guard case .saved(let linked) = try await store.upsert(owner, actor: actor, authority: .patient(sharedPhone: nil, linkCode: spaced)) else {
                Issue.record("the registry's code did not link the card"); return
            }
            #expect(linked.patientID == card.patientID)
            let method = try await client.query("""
                SELECT details->>'method' FROM bot_audit WHERE action = 'patient.link' AND object_id = \(String(card.patientID))
                """).collect()[0].decode(String.self)
            #expect(method == "registry_code")

            // Used once: after an unlink, the same code proves nothing.
            _ = try await store.unlink(telegramUserID: owner.telegramUserID, actor: actor)
            #expect(try await store.upsert(owner, actor: actor, authority: .patient(sharedPhone: nil, linkCode: issued.code)) == .refused(.noProof))
            // An expired one neither.
            let late = try #require(try await store.issueLinkCode(iin: iinValue, actor: .api))
            _ = try await client.query("UPDATE patient_link_codes SET expires_at = now() - interval '1 second' WHERE patient_id = \(card.patientID)").collect()
            let other = try TestData.draft(iin: iin, phone: TestData.phone())
            #expect(try await store.upsert(other, actor: .telegram(other.telegramUserID), authority: .patient(sharedPhone: nil, linkCode: late.code))
                == .refused(.noProof))
            // The code is kept only as a keyed hash.
            let stored = try await client.query("SELECT encode(code_hash, 'escape') FROM patient_link_codes").collect().map { try $0.decode(String.self) }
            #expect(!stored.contains { $0.contains(issued.code) })
        }
    }

    @Test("an account refused five times in a day is stopped, even with a free IIN")
    func attemptLimit() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let taken = try TestData.draft()
            _ = try await store.upsert(taken, actor: .telegram(taken.telegramUserID))
            let prober = TestData.telegramUserID()
            let probe = try TestData.draft(
                telegramUserID: prober, iin: TestIIN(digits: taken.iin.digits, birthDate: taken.birthDate.description, sex: taken.sex.rawValue))
            for _ in 0..<PatientStore.attemptsPerDay {
                #expect(try await store.upsert(probe, actor: .telegram(prober)) == .refused(.iinLinkedElsewhere))
            }
            let honest = try TestData.draft(telegramUserID: prober)
            #expect(try await store.upsert(honest, actor: .telegram(prober)) == .tooManyAttempts)
            #expect(try await store.byTelegram(prober) == nil)
            // The desk is not limited: it checked the person's document.
            guard case .saved = try await store.upsert(honest, actor: .api) else { Issue.record("the desk was refused"); return }
        }
    }

    private struct Row: Equatable {
        let identity: [String]
        let updatedAt: String
    }

    private func row(_ client: PostgresClient, _ id: Int64) async throws -> Row {
        let r = try await client.query("""
            SELECT first_name, last_name, coalesce(middle_name, ''), birth_date::text, sex::text,
                   encode(iin_cipher, 'hex'), encode(phone_cipher, 'hex'), updated_at::text
            FROM patients WHERE id = \(id)
            """).collect()[0].decode((String, String, String, String, String, String, String, String).self)
        return Row(identity: [r.0, r.1, r.2, r.3, r.4, r.5, r.6], updatedAt: r.7)
    }
}
