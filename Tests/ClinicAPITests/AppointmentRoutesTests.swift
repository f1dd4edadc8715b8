import Foundation
import Testing

@Suite("API: appointments")
struct AppointmentRoutesTests {
    static func booking(user: Int64 = FakeClinic.patient, doctor: Int64 = 100, service: Int64 = 10, start: String = "2031-03-05T09:30:00+05:00") -> String {
        #"{"telegram_user_id": \#(user), "doctor_id": \#(doctor), "service_id": \#(service), "start": "\#(start)"}"#
    }

    @Test("booking a free slot is a 201 with the appointment, its times in UTC, source api")
    func book() async throws {
        let test = APITest()
        try await test.run { api throws in
            let reply = try await api.post("/api/bot/appointments/", Self.booking())
            #expect(reply.status == 201, "\(reply)")
            #expect(reply.object["start"] as? String == "2031-03-05T04:30:00Z")
            #expect(reply.object["status"] as? String == "booked")
            #expect((reply.object["doctor_name"] as? [String: String])?["ru"] != nil)
            #expect(try await api.get("/api/bot/slots/?doctor_id=100&date=2031-03-05").array.count == 2)
        }
        #expect(await test.clinic.lastSource == "api")
    }

    @Test("the same slot twice: the second is a 409 slot_taken")
    func slotTaken() async throws {
        try await APITest().run { api throws in
            #expect(try await api.post("/api/bot/appointments", Self.booking()).status == 201)
            let second = try await api.post("/api/bot/appointments/", Self.booking(user: FakeClinic.otherPatient, start: "2031-03-05T04:30:00Z"))
            #expect(second.status == 409)
            #expect(second.errorCode == "slot_taken")
        }
    }

    @Test("refusals of a booking map to their statuses", arguments: [
        (booking(start: "2031-03-05T09:10:00+05:00"), 422, "not_bookable"),
        (booking(service: 11), 422, "service_not_provided"),
        (booking(doctor: 999), 404, "not_found"),
        (booking(service: 999), 404, "not_found"),
        (booking(user: 31337), 404, "patient_not_found"),
        (booking(start: "2031-03-05T09:30:00"), 400, "invalid_field"),
        (booking(start: "2031-03-05"), 400, "invalid_field"),
        (booking(start: "'; DELETE FROM appointments; --"), 400, "invalid_field"),
        (#"{"telegram_user_id": 42, "doctor_id": 100, "service_id": 10}"#, 400, "missing_field"),
        (#"{"telegram_user_id": "42", "doctor_id": 100, "service_id": 10, "start": "2031-03-05T04:30:00Z"}"#, 400, "invalid_field"),
        (#"{"telegram_user_id": 42, "doctor_id": 100.5, "service_id": 10, "start": "2031-03-05T04:30:00Z"}"#, 400, "invalid_field"),
        (#"{"telegram_user_id": 42, "doctor_id": null, "service_id": 10, "start": "2031-03-05T04:30:00Z"}"#, 400, "invalid_field"),
        (#"{"telegram_user_id": 42, "doctor_id": 100, "service_id": 10, "start": 1900000000}"#, 400, "invalid_field"),
    ] as [(String, Int, String)])
    func bookingRefusals(body: String, status: Int, code: String) async throws {
        try await APITest().run { api throws in
            let reply = try await api.post("/api/bot/appointments/", body)
            #expect(reply.status == status, "\(reply)")
            #expect(reply.errorCode == code)
        }
    }

    @Test("my appointments, upcoming and past")
    func mine() async throws {
        try await APITest().run { api throws in
            _ = try await api.post("/api/bot/appointments/", Self.booking())
            let reply = try await api.get("/api/bot/appointments/my/?telegram_user_id=42")
            #expect(reply.status == 200)
            let upcoming = reply.object["upcoming"] as? [[String: Any]] ?? []
            #expect(upcoming.count == 3)
            #expect(reply.object["past"] is [Any])
            let nobody = try await api.get("/api/bot/appointments/my/?telegram_user_id=31337")
            #expect(nobody.status == 404 && nobody.errorCode == "patient_not_found")
        }
    }

    @Test("reschedule moves the patient's own appointment to a free slot")
    func reschedule() async throws {
        try await APITest().run { api throws in
            let booked = try await api.post("/api/bot/appointments/", Self.booking())
            let id = try #require(booked.object["id"] as? Int)
            let moved = try await api.patch("/api/bot/appointments/\(id)/", #"{"telegram_user_id": 42, "start": "2031-03-05T10:00:00+05:00"}"#)
            #expect(moved.status == 200, "\(moved)")
            #expect(moved.object["start"] as? String == "2031-03-05T05:00:00Z")

            let stranger = try await api.patch("/api/bot/appointments/\(id)", #"{"telegram_user_id": 43, "start": "2031-03-05T04:00:00Z"}"#)
            #expect(stranger.status == 404 && stranger.errorCode == "not_found")
            let taken = try await api.patch("/api/bot/appointments/\(id)/", #"{"telegram_user_id": 42, "start": "2031-03-05T05:00:00Z"}"#)
            #expect(taken.status == 409 && taken.errorCode == "slot_taken")
            let soon = try await api.patch("/api/bot/appointments/\(FakeClinic.soonAppointmentID)/", #"{"telegram_user_id": 42, "start": "2031-03-05T04:00:00Z"}"#)
            #expect(soon.status == 409 && soon.errorCode == "too_late")
            let unknown = try await api.patch("/api/bot/appointments/123456/", #"{"telegram_user_id": 42, "start": "2031-03-05T04:00:00Z"}"#)
            #expect(unknown.status == 404)
        }
    }

    @Test("cancel: the patient's own appointment before the cut-off")
    func cancel() async throws {
        try await APITest().run { api throws in
            let booked = try await api.post("/api/bot/appointments/", Self.booking())
            let id = try #require(booked.object["id"] as? Int)
            let stranger = try await api.post("/api/bot/appointments/\(id)/cancel/", #"{"telegram_user_id": 43}"#)
            #expect(stranger.status == 404)
            let cancelled = try await api.post("/api/bot/appointments/\(id)/cancel/", #"{"telegram_user_id": 42}"#)
            #expect(cancelled.status == 200)
            #expect(cancelled.object["status"] as? String == "cancelled")
            let again = try await api.post("/api/bot/appointments/\(id)/cancel", #"{"telegram_user_id": 42}"#)
            #expect(again.status == 409 && again.errorCode == "not_changeable")
            let soon = try await api.post("/api/bot/appointments/\(FakeClinic.soonAppointmentID)/cancel/", #"{"telegram_user_id": 42}"#)
            #expect(soon.status == 409 && soon.errorCode == "too_late")
        }
    }

    @Test("a malformed appointment id is a 400, an unknown one a 404", arguments: [
        ("/api/bot/appointments/abc/", 400), ("/api/bot/appointments/0/", 400), ("/api/bot/appointments/-1/", 400),
        ("/api/bot/appointments/1%20OR%201=1/", 400), ("/api/bot/appointments/1'--/", 400),
        ("/api/bot/appointments/99999999999999999999/", 400), ("/api/bot/appointments/777/", 404),
    ])
    func appointmentIDs(path: String, status: Int) async throws {
        try await APITest().run { api throws in
            let reply = try await api.patch(path, #"{"telegram_user_id": 42, "start": "2031-03-05T04:00:00Z"}"#)
            #expect(reply.status == status, "\(path): \(reply)")
            #expect(reply.isJSONClientError)
            let cancel = try await api.post(path + "cancel/", #"{"telegram_user_id": 42}"#)
            #expect(cancel.status == status, "\(path)cancel/: \(cancel)")
        }
    }
}
