@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import PostgresNIO
import Testing
import TestSupport

@Suite("Profile actions: phone, consents, unlinking", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct PatientProfileActionsTests {
    private func context(_ id: Int64, sharedPhone: String? = nil) -> ActionContext {
        ActionContext(telegramUserID: id, telegramUsername: nil, locale: "kk", sharedPhone: sharedPhone)
    }

    /// What `wording('key')` gives a flow.
    private func shown(_ key: String, _ text: String) -> Value { .map(["key": .string(key), "text": .string(text)]) }

    private var consentTexts: [String: Value] {
        [
            "consent_personal_data_text": shown("registration.consent_personal_data", "Дербес деректерді өңдеуге келісім"),
            "consent_medical_intervention_text": shown("registration.consent_medical", "Медициналық араласуға келісім"),
        ]
    }

    /// A registered patient and the registry to act for them.
    private func registered(_ client: PostgresClient) async throws -> (ActionRegistry, Int64, TestIIN) {
        let registry = ActionRegistry(PatientActions.all(store: try TestDatabase.store(client)))
        let iin = TestIIN.random(), me = TestData.telegramUserID()
        let created = await registry.perform(ActionCall(name: "patient.upsert", arguments: [
            "language": "kk", "first_name": "Асқар", "last_name": "Беков", "middle_name": nil, "phone": "+77015550167",
            "birth_date": .string(iin.birthDate), "sex": .string(iin.sex), "iin": .string(iin.digits),
            "consent_personal_data": true, "consent_medical_intervention": true,
        ].merging(consentTexts) { a, _ in a }, context: context(me, sharedPhone: "+77015550167")))
        #expect(created.outcome == "ok")
        return (registry, me, iin)
    }

    @Test("a new phone is stored sealed, shown masked, and audited without the number")
    func phone() async throws {
        try await TestDatabase.withMigrated { client in
            let (registry, me, _) = try await registered(client)
            let changed = await registry.perform(ActionCall(name: "patient.set_phone", arguments: ["phone": "8 705 123 45 11"], context: context(me)))
            #expect(changed.outcome == "ok")
            #expect(changed.value["phone_masked"] == "+7 705 ••• •• 11")
            let read = await registry.perform(ActionCall(name: "patient.by_telegram", arguments: [:], context: context(me)))
            #expect(read.value["phone_masked"] == "+7 705 ••• •• 11")
            // Nowhere in clear text: not in the patients table, not in the audit log.
            let rows = try await client.query("SELECT count(*) FROM patients WHERE encode(phone_cipher, 'escape') LIKE '%7051234511%'")
            for try await count in rows.decode(Int.self) { #expect(count == 0) }
            let audit = try await client.query("SELECT details::text FROM bot_audit WHERE action = 'patient.phone' AND actor = \("telegram:\(me)")")
            var entries = 0
            for try await details in audit.decode(String.self) {
                entries += 1
                #expect(!details.contains("7051234511"))
            }
            #expect(entries == 1)
            let bad = await registry.perform(ActionCall(name: "patient.set_phone", arguments: ["phone": "+7 999 555 01 67"], context: context(me)))
            #expect(bad.outcome == "error")
            let nobody = await registry.perform(ActionCall(name: "patient.set_phone", arguments: ["phone": "+77051234511"], context: context(me + 1)))
            #expect(nobody.outcome == "not_found")
        }
    }

    @Test("the marketing consent is recorded both ways, each time in the ledger with its text")
    func marketing() async throws {
        try await TestDatabase.withMigrated { client in
            let (registry, me, _) = try await registered(client)
            for consent in [true, false, true] {
                let saved = await registry.perform(ActionCall(name: "patient.set_consent", arguments: [
                    "kind": "marketing", "granted": .bool(consent), "text": shown("registration.consent_marketing", "Жаңалықтар"),
                ], context: context(me)))
                #expect(saved.outcome == "ok")
                #expect(saved.value["unlinked"] == false)
                let read = await registry.perform(ActionCall(name: "patient.by_telegram", arguments: [:], context: context(me)))
                #expect(read.value["consent_marketing"] == .bool(consent))
            }
            let marketing = try await client.query("""
                SELECT count(*) FROM patient_consent_events e JOIN patient_telegram_links l ON l.patient_id = e.patient_id
                WHERE l.telegram_user_id = \(me) AND e.kind = 'marketing' AND e.text_key = 'registration.consent_marketing'
                """).collect()[0].decode(Int.self)
            #expect(marketing == 3)
            // A consent without the text it was given to is refused.
            let bare = await registry.perform(ActionCall(name: "patient.set_consent", arguments: [
                "kind": "marketing", "granted": true, "text": .null,
            ], context: context(me)))
            #expect(bare.outcome == "error")
        }
    }

    @Test("unlinking ends the link, keeps the card, and registering again links it back")
    func unlink() async throws {
        try await TestDatabase.withMigrated { client in
            let (registry, me, iin) = try await registered(client)
            #expect(await registry.perform(ActionCall(name: "patient.unlink", arguments: [:], context: context(me))).outcome == "ok")
            #expect(await registry.perform(ActionCall(name: "patient.by_telegram", arguments: [:], context: context(me))).outcome == "not_found")
            #expect(await registry.perform(ActionCall(name: "patient.unlink", arguments: [:], context: context(me))).outcome == "not_found")
            let arguments: [String: Value] = [
                "language": "kk", "first_name": "Асқар", "last_name": "Беков", "middle_name": nil, "phone": "+77015550167",
                "birth_date": .string(iin.birthDate), "sex": .string(iin.sex), "iin": .string(iin.digits),
                "consent_personal_data": true, "consent_medical_intervention": true,
            ].merging(consentTexts) { a, _ in a }
            // The phone typed proves nothing, even the card's own number.
            let typed = await registry.perform(ActionCall(name: "patient.upsert", arguments: arguments, context: context(me)))
            #expect(typed.outcome == "refused")
            let again = await registry.perform(ActionCall(
                name: "patient.upsert", arguments: arguments, context: context(me, sharedPhone: "+77015550167")))
            #expect(again.outcome == "ok")
            #expect(again.value["created"] == false)
        }
    }
}
