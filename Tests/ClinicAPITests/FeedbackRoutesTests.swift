@testable import ClinicPostgres
@testable import FlowActions
import ClinicAPI
import Foundation
import PostgresNIO
import Testing
import TestSupport

/// `POST /api/bot/feedback/` and the staff's listing, on the demo clinic in PostgreSQL.
@Suite("The ratings API", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct FeedbackRoutesTests {
    /// The demo clinic; two of the first demo patient's appointments, moved into the past; two
    /// Telegram ids.
    private func seeded(_ body: @Sendable (PostgresClient, APIClient, [Int64], Int64, Int64) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            _ = try await DemoSeeder(client: client, cipher: try PIICipher(base64Key: key)).seed()
            let me = DemoClinic.patients[0].telegramUserID, someoneElse = DemoClinic.patients[1].telegramUserID
            let visits = try await client.query("""
                SELECT a.id FROM appointments a JOIN patient_telegram_links l ON l.patient_id = a.patient_id
                WHERE l.telegram_user_id = \(me) AND a.status <> 'cancelled' ORDER BY a.starts_at LIMIT 2
                """).collect().map { try $0.decode(Int64.self) }
            try #require(visits.count == 2)
            // Both visits are over (a visit that has not begun cannot be rated).
            _ = try await client.query("""
                UPDATE appointments SET starts_at = starts_at - interval '400 days', ends_at = ends_at - interval '400 days',
                                        busy_until = busy_until - interval '400 days'
                WHERE id = ANY(\(visits))
                """).collect()
            try await APITest(feedback: FeedbackStore(client: client)).run { api in
                try await body(client, api, visits, me, someoneElse)
            }
        }
    }

    @Test("a rating is stored once, only for the patient's own visit; a bad score or comment is a 400")
    func rate() async throws {
        try await seeded { client, api, visits, me, someoneElse in
            let first = try await api.post("/api/bot/feedback/", #"{"telegram_user_id": \#(me), "appointment_id": \#(visits[0]), "score": 9}"#)
            #expect(first.status == 201, "\(first)")
            #expect(first.object["score"] as? Int == 9 && first.object["staff_alerted"] as? Bool == false)
            let again = try await api.post("/api/bot/feedback/", #"{"telegram_user_id": \#(me), "appointment_id": \#(visits[0]), "score": 2}"#)
            #expect(again.status == 409 && again.errorCode == "already_rated")
            let others = try await api.post("/api/bot/feedback/", #"{"telegram_user_id": \#(someoneElse), "appointment_id": \#(visits[1]), "score": 2}"#)
            #expect(others.status == 404 && others.errorCode == "not_found")
            for bad in [#""score": 11"#, #""score": -1"#, #""score": 7.5"#, #""score": "9""#, #""score": 5, "comment": "\#(String(repeating: "ы", count: 4097))""#] {
                let reply = try await api.post("/api/bot/feedback/", #"{"telegram_user_id": \#(me), "appointment_id": \#(visits[1]), \#(bad)}"#)
                #expect(reply.status == 400 && reply.errorCode == "invalid_field", "\(bad): \(reply.status)")
            }
            let ahead = try await client.query("""
                SELECT a.id FROM appointments a JOIN patient_telegram_links l ON l.patient_id = a.patient_id
                WHERE l.telegram_user_id = \(me) AND a.starts_at > now() AND a.status <> 'cancelled' LIMIT 1
                """).collect()[0].decode(Int64.self)
            let early = try await api.post("/api/bot/feedback/", #"{"telegram_user_id": \#(me), "appointment_id": \#(ahead), "score": 10}"#)
            #expect(early.status == 409 && early.errorCode == "not_visited_yet")
            let stored = try await client.query("SELECT score::int, source FROM bot_feedback ORDER BY id").collect().map { try $0.decode((Int, String).self) }
            #expect(stored.map(\.0) == [9] && stored.map(\.1) == ["api"])
            let audited = try await client.query("SELECT count(*)::int FROM bot_audit WHERE action = 'feedback.rate' AND actor = 'api'").collect()[0].decode(Int.self)
            #expect(audited == 1)
        }
    }

    @Test("a low score with a comment alerts the staff, without the patient's personal data")
    func lowScore() async throws {
        try await seeded { client, api, visits, me, _ in
            let reply = try await api.post("/api/bot/feedback/", #"{"telegram_user_id": \#(me), "appointment_id": \#(visits[0]), "score": 3, "comment": "Долго ждал в очереди"}"#)
            #expect(reply.status == 201 && reply.object["staff_alerted"] as? Bool == true, "\(reply)")
            let comment = try await client.query("SELECT comment FROM bot_feedback").collect()[0].decode(String.self)
            #expect(comment == "Долго ждал в очереди")
            let alert = try await client.query("SELECT details::text FROM staff_alerts").collect()[0].decode(String.self)
            #expect(alert.contains("\"score\": 3"))
            let patient = DemoClinic.patients[0]
            #expect(!alert.contains(patient.phone) && !alert.contains(patient.lastName) && !alert.contains("очереди"))
        }
    }

    @Test("the staff's listing: newest first, narrowed by score, comment, doctor and time, in pages with the total")
    func listing() async throws {
        try await seeded { client, api, visits, me, _ in
            _ = try await api.post("/api/bot/feedback/", #"{"telegram_user_id": \#(me), "appointment_id": \#(visits[0]), "score": 10}"#)
            _ = try await api.post("/api/bot/feedback/", #"{"telegram_user_id": \#(me), "appointment_id": \#(visits[1]), "score": 4, "comment": "Грубо"}"#)

            let all = try await api.get("/api/bot/feedback/")
            #expect(all.status == 200 && all.object["total"] as? Int == 2)
            let items = all.object["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["appointment_id"] as? Int } == [Int(visits[1]), Int(visits[0])])
            #expect(items.allSatisfy { $0["iin"] == nil && $0["phone"] == nil && $0["first_name"] == nil })

            let low = try await api.get("/api/bot/feedback/?score_max=6")
            #expect((low.object["items"] as? [[String: Any]])?.map { $0["score"] as? Int } == [4])
            let commented = try await api.get("/api/bot/feedback/?has_comment=true")
            #expect((commented.object["items"] as? [[String: Any]])?.first?["comment"] as? String == "Грубо")
            let doctor = try await client.query("SELECT doctor_id FROM appointments WHERE id = \(visits[0])").collect()[0].decode(Int64.self)
            let byDoctor = try await api.get("/api/bot/feedback/?doctor_id=\(doctor)")
            #expect(((byDoctor.object["items"] as? [[String: Any]]) ?? []).allSatisfy { $0["doctor_id"] as? Int == Int(doctor) })
            let page = try await api.get("/api/bot/feedback/?limit=1&offset=1")
            #expect((page.object["items"] as? [[String: Any]])?.count == 1 && page.object["total"] as? Int == 2)
            let past = try await api.get("/api/bot/feedback/?limit=1&offset=5")
            #expect((past.object["items"] as? [[String: Any]])?.isEmpty == true && past.object["total"] as? Int == 2)
            let future = try await api.get("/api/bot/feedback/?created_from=2099-01-01T00:00:00%2B05:00")
            #expect(future.status == 200 && future.object["total"] as? Int == 0)

            for bad in ["score_min=11", "score_max=x", "has_comment=yes", "created_to=yesterday", "limit=0", "limit=201", "offset=-1", "doctor_id=0"] {
                let reply = try await api.get("/api/bot/feedback/?\(bad)")
                #expect(reply.status == 400 && reply.errorCode == "invalid_parameter", "\(bad): \(reply)")
            }
        }
    }
}
