@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import PostgresNIO
import Testing
import TestSupport

@Suite("Patient actions", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct PatientActionsTests {
    private func arguments(_ iin: TestIIN, phone: String = "+77015550167") -> [String: Value] {
        [
            "language": "ru", "first_name": "Иван", "last_name": "Петров", "middle_name": nil, "phone": .string(phone),
            "birth_date": .string(iin.birthDate), "sex": .string(iin.sex), "iin": .string(iin.digits),
            "consent_personal_data": true, "consent_medical_intervention": true,
            "consent_personal_data_text": .map(["key": "registration.consent_personal_data", "text": "Согласие на обработку"]),
            "consent_medical_intervention_text": .map(["key": "registration.consent_medical", "text": "Согласие на вмешательство"]),
        ]
    }

    private func context(_ id: Int64) -> ActionContext {
        ActionContext(telegramUserID: id, telegramUsername: "ivan", locale: "ru")
    }

    @Test("a flow registers a patient and reads it back masked")
    func registerAndRead() async throws {
        try await TestDatabase.withMigrated { client in
            let registry = ActionRegistry(PatientActions.all(store: try TestDatabase.store(client)))
            let iin = TestIIN.random()
            let me = TestData.telegramUserID()
            let created = await registry.perform(ActionCall(name: "patient.upsert", arguments: arguments(iin), context: context(me)))
            #expect(created.outcome == "ok")
            #expect(created.value["created"] == true)
            #expect(created.value["full_name"] == "Петров Иван")
            #expect(created.value["patient_id"].intValue != nil)

            let read = await registry.perform(ActionCall(name: "patient.by_telegram", arguments: [:], context: context(me)))
            #expect(read.outcome == "ok")
            #expect(read.value["iin_masked"] == .string(String(iin.digits.prefix(4)) + "••••••" + String(iin.digits.suffix(2))))
            #expect(read.value["phone_masked"] == "+7 701 ••• •• 67")
            #expect(read.value["middle_name"] == .null)
            #expect(read.value["consent_marketing"] == false)
            #expect(Set(PatientByTelegramAction.signature.resultFields) == Set(read.value.fieldNames))
            #expect(Set(PatientUpsertAction.signature.resultFields) == Set(created.value.fieldNames))
            let everything = String(describing: read.value)
            #expect(!everything.contains(iin.digits))
            #expect(!everything.contains("5550167"))

            let other = await registry.perform(ActionCall(name: "patient.upsert", arguments: arguments(iin), context: context(me + 1)))
            #expect(other.outcome == "refused")
            let nobody = await registry.perform(ActionCall(name: "patient.by_telegram", arguments: [:], context: context(me + 1)))
            #expect(nobody.outcome == "not_found")
        }
    }

    @Test("bad input is answered with error and never stored", arguments: [
        ("iin", Value.string("123456789012")), ("phone", "+7 999 555 01 67"), ("sex", "X"), ("first_name", .string(String(repeating: "а", count: 51))),
        ("language", "en"), ("last_name", "   "), ("consent_personal_data_text", .null),
        ("consent_medical_intervention_text", .map(["key": "registration.consent_medical"])),
    ])
    func badInput(_ field: String, _ value: Value) async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let registry = ActionRegistry(PatientActions.all(store: store))
            let me = TestData.telegramUserID()
            var args = arguments(TestIIN.random())
            args[field] = value
            let result = await registry.perform(ActionCall(name: "patient.upsert", arguments: args, context: context(me)))
            #expect(result == .error)
            #expect(try await store.byTelegram(me) == nil)
        }
    }

    @Test("an IIN linked elsewhere and a desk card without proof get the same outcome")
    func neutralRefusal() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let registry = ActionRegistry(PatientActions.all(store: store))
            let linked = TestIIN.random(), desk = TestIIN.random()
            let owner = TestData.telegramUserID()
            #expect(await registry.perform(ActionCall(name: "patient.upsert", arguments: arguments(linked), context: context(owner))).outcome == "ok")
            let deskDraft = try TestData.draft(iin: desk)
            _ = try await store.upsert(deskDraft, actor: .api)
            _ = try await store.unlink(telegramUserID: deskDraft.telegramUserID, actor: .api)

            let stranger = TestData.telegramUserID()
            let first = await registry.perform(ActionCall(name: "patient.upsert", arguments: arguments(linked), context: context(stranger)))
            let second = await registry.perform(ActionCall(name: "patient.upsert", arguments: arguments(desk), context: context(stranger)))
            #expect(first == second)
            #expect(first == ActionResult(outcome: "refused"))
        }
    }

    @Test("refused consents answer consent_required")
    func consentRequired() async throws {
        try await TestDatabase.withMigrated { client in
            let registry = ActionRegistry(PatientActions.all(store: try TestDatabase.store(client)))
            var args = arguments(TestIIN.random())
            args["consent_medical_intervention"] = false
            let result = await registry.perform(ActionCall(name: "patient.upsert", arguments: args, context: context(TestData.telegramUserID())))
            #expect(result.outcome == "consent_required")
        }
    }
}

extension Value {
    var fieldNames: [String] { if case .map(let fields) = self { Array(fields.keys) } else { [] } }
}
