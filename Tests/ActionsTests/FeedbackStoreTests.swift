@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite("Ratings after a visit", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct FeedbackStoreTests {
    /// The demo clinic; one of the first demo patient's appointments, and two Telegram ids.
    private func seeded(_ body: (PostgresClient, FeedbackStore, Int64, Int64, Int64) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            _ = try await DemoSeeder(client: client, cipher: try PIICipher(base64Key: TestData.key())).seed()
            let me = DemoClinic.patients[0].telegramUserID, someoneElse = DemoClinic.patients[1].telegramUserID
            let appointment = try await client.query("""
                SELECT a.id FROM appointments a JOIN patient_telegram_links l ON l.patient_id = a.patient_id
                WHERE l.telegram_user_id = \(me) ORDER BY a.starts_at LIMIT 1
                """).collect()[0].decode(Int64.self)
            try await body(client, FeedbackStore(client: client), appointment, me, someoneElse)
        }
    }

    @Test("one rating per appointment: the second is refused, and only the patient's own appointment can be rated")
    func once() async throws {
        try await seeded { client, store, appointment, me, someoneElse in
            #expect(try await store.rate(appointmentID: appointment, telegramUserID: someoneElse, score: 10, actor: .telegram(someoneElse)) == .notFound)
            guard case .saved = try await store.rate(appointmentID: appointment, telegramUserID: me, score: 9, actor: .telegram(me)) else {
                Issue.record("the first rating was not saved")
                return
            }
            #expect(try await store.rate(appointmentID: appointment, telegramUserID: me, score: 1, actor: .telegram(me)) == .alreadyRated)
            let score = try await client.query("SELECT score FROM bot_feedback WHERE appointment_id = \(appointment)").collect()[0].decode(Int.self)
            #expect(score == 9)
            let alerts = try await client.query("SELECT count(*)::int FROM staff_alerts").collect()[0].decode(Int.self)
            #expect(alerts == 0, "a 9 alerts nobody")
            let audited = try await client.query("SELECT count(*)::int FROM bot_audit WHERE action = 'feedback.rate'").collect()[0].decode(Int.self)
            #expect(audited == 1)
        }
    }

    @Test("a low score leaves a staff alert with the appointment, doctor and score, and nothing of the patient; the comment is saved once")
    func lowScore() async throws {
        try await seeded { client, store, appointment, me, someoneElse in
            _ = try await store.rate(appointmentID: appointment, telegramUserID: me, score: 3, actor: .telegram(me))
            let details = try await client.query("SELECT details::text FROM staff_alerts WHERE kind = 'low_rating'").collect()
            #expect(details.count == 1)
            let alert = try details[0].decode(String.self)
            #expect(alert.contains("\"score\": 3") || alert.contains("\"score\":3"))
            #expect(alert.contains("appointment_id") && alert.contains("doctor") && alert.contains("code"))
            let patient = DemoClinic.patients[0]
            #expect(!alert.contains(patient.iin) && !alert.contains(patient.phone.dropFirst(2)) && !alert.contains(patient.lastName))
            #expect(try await store.comment(appointmentID: appointment, telegramUserID: someoneElse, text: "чужой", actor: .telegram(someoneElse)) == false)
            #expect(try await store.comment(appointmentID: appointment, telegramUserID: me, text: "Долго ждала", actor: .telegram(me)) == true)
            #expect(try await store.comment(appointmentID: appointment, telegramUserID: me, text: "Ещё", actor: .telegram(me)) == false)
            let comment = try await client.query("SELECT comment FROM bot_feedback").collect()[0].decode(String.self)
            #expect(comment == "Долго ждала")
        }
    }
}
