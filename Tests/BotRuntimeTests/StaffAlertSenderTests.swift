@testable import ClinicPostgres
@testable import FlowActions
import BotRuntime
import FlowEngine
import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite("Staff alerts to the staff chat", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct StaffAlertSenderTests {
    struct Down: Error {}

    @Test("a low rating reaches the staff chat once, in the editors' words, with the visit and doctor and nothing of the patient; a failed send is tried again")
    func lowRating() async throws {
        let set = try ShippedFlows.load()
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let cipher = try PIICipher(base64Key: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString())
            _ = try await DemoSeeder(client: client, cipher: cipher).seed()
            let patient = DemoClinic.patients[0]
            let (appointment, code, doctor) = try await client.query("""
                SELECT a.id, a.code, d.full_name_ru FROM appointments a
                JOIN patient_telegram_links l ON l.patient_id = a.patient_id JOIN doctors d ON d.id = a.doctor_id
                WHERE l.telegram_user_id = \(patient.telegramUserID) ORDER BY a.starts_at LIMIT 1
                """).collect()[0].decode((Int64, String, String).self)
            _ = try await FeedbackStore(client: client).rate(appointmentID: appointment, telegramUserID: patient.telegramUserID, score: 2,
                                                            actor: .telegram(patient.telegramUserID))
            let failing = StaffAlertSender(store: StaffAlertStore(client: client), flows: FlowSetHolder(set), timeZone: .clinicDefault,
                                           logger: .init(label: "test.alerts")) { _ in throw Down() }
            try await failing.sendPending()

            let sent = Recorder<String>()
            let sender = StaffAlertSender(store: StaffAlertStore(client: client), flows: FlowSetHolder(set), timeZone: .clinicDefault,
                                          logger: .init(label: "test.alerts")) { sent.append($0) }
            try await sender.sendPending()
            try await sender.sendPending()
            #expect(sent.count == 1)
            let text = try #require(sent.all.first)
            #expect(text.hasPrefix("⚠️ Низкая оценка приёма: 2 из 10"))
            #expect(text.contains(code) && text.contains(doctor))
            #expect(!text.contains(patient.lastName) && !text.contains(patient.iin) && !text.contains("{"))
        }
    }
}
