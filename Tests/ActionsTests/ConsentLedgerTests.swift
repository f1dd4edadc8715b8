@testable import ClinicPostgres
@testable import FlowActions
import Crypto
import FlowEngine
import PostgresNIO
import Testing
import TestSupport

/// Every consent can be shown later with the words it was given to, and the ledger cannot be
/// rewritten.
@Suite("Consent ledger", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct ConsentLedgerTests {
    @Test("registration records each answer with the SHA-256 of the exact text, the language and the channel")
    func registrationRecorded() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let draft = try TestData.draft(consents: TestData.consents(marketing: true))
            guard case .saved(let patient) = try await store.upsert(draft, actor: .telegram(draft.telegramUserID)) else {
                Issue.record("not saved"); return
            }
            let ledger = try await ConsentLedger.history(patientID: patient.patientID, client: client, logger: .init(label: "test"))
            #expect(ledger.map(\.event.kind) == [.personalData, .medicalIntervention, .marketing])
            #expect(ledger.allSatisfy { $0.event.granted && $0.event.channel == .bot && $0.actor == "telegram:\(draft.telegramUserID)" })
            let personal = try #require(ledger.first)
            #expect(personal.event.wording.key == "registration.consent_personal_data")
            #expect(personal.event.wording.language == "kk")
            #expect(personal.event.wording.sha256 == Array(SHA256.hash(data: Array("Дербес деректерді өңдеуге келісім".utf8))))
        }
    }

    @Test("a withdrawn consent is a new row with its text's hash; withdrawing personal data unlinks the account")
    func withdrawal() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let draft = try TestData.draft()
            guard case .saved(let patient) = try await store.upsert(draft, actor: .telegram(draft.telegramUserID)) else {
                Issue.record("not saved"); return
            }
            let shown = "Келісімді кері қайтарасыз ба?"
            let withdrawal = ConsentEvent(
                kind: .personalData, granted: false,
                wording: ConsentWording(key: "profile.withdraw_personal_data", text: shown, language: "kk"), channel: .bot)
            let change = try await store.setConsent(telegramUserID: draft.telegramUserID, withdrawal, actor: .telegram(draft.telegramUserID))
            #expect(change == ConsentChange(unlinked: true))
            #expect(try await store.byTelegram(draft.telegramUserID) == nil)

            let ledger = try await ConsentLedger.history(patientID: patient.patientID, client: client, logger: .init(label: "test"))
            let last = try #require(ledger.last)
            #expect(ledger.count == 4)
            #expect(last.event.kind == .personalData && !last.event.granted)
            #expect(last.event.wording.sha256Hex == SHA256.hash(data: Array(shown.utf8)).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
            // The grant is still there: the ledger only grows.
            #expect(ledger[0].event.granted)
            let current = try await client.query("SELECT consent_personal_data FROM patients WHERE id = \(patient.patientID)")
                .collect()[0].decode(Bool.self)
            #expect(!current)
            // Nobody else can withdraw: the account is unlinked now.
            #expect(try await store.setConsent(telegramUserID: draft.telegramUserID, withdrawal, actor: .telegram(draft.telegramUserID)) == nil)
        }
    }

    @Test("the database refuses to change or delete a ledger row")
    func appendOnly() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let draft = try TestData.draft()
            _ = try await store.upsert(draft, actor: .telegram(draft.telegramUserID))
            for statement in ["UPDATE patient_consent_events SET granted = NOT granted", "DELETE FROM patient_consent_events",
                              "TRUNCATE patient_consent_events"] {
                await #expect(throws: (any Error).self) {
                    try await client.query(PostgresQuery(unsafeSQL: statement)).collect()
                }
            }
            let rows = try await client.query("SELECT count(*) FROM patient_consent_events WHERE granted").collect()[0].decode(Int.self)
            #expect(rows >= 2)
        }
    }

    @Test("a consent without the text it was given to is not stored")
    func wordingRequired() async throws {
        try await TestDatabase.withMigrated { client in
            let store = try TestDatabase.store(client)
            let draft = try TestData.draft(consents: PatientConsents(personalData: true, medicalIntervention: true))
            await #expect(throws: InvalidInput.self) { try await store.upsert(draft, actor: .api) }
        }
    }
}
