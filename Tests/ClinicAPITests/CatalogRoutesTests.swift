import Foundation
import Testing

@Suite("API: branches, services, doctors, slots")
struct CatalogRoutesTests {
    @Test("branches answer the clinic's branches in both languages")
    func branches() async throws {
        try await APITest().run { api throws in
            let reply = try await api.get("/api/bot/branches/")
            #expect(reply.status == 200 && reply.isJSON)
            let branch = try #require(reply.array.first)
            #expect(branch["id"] as? Int == 1)
            #expect((branch["name"] as? [String: String])?["kk"] == "Алматы, Абай")
            #expect((branch["working_hours"] as? [String: String])?["ru"] != nil)
        }
    }

    @Test("services, by branch or all; an unknown branch has none")
    func services() async throws {
        try await APITest().run { api throws in
            #expect(try await api.get("/api/bot/services/?branch_id=1").array.map { $0["id"] as? Int } == [10, 11])
            #expect(try await api.get("/api/bot/services").array.count == 2)
            let service = try await api.get("/api/bot/services/?branch_id=1").array[0]
            #expect(service["duration_minutes"] as? Int == 30)
            #expect(service["osms_covered"] as? Bool == true)
            #expect(try await api.get("/api/bot/services/?branch_id=999").array.isEmpty)
        }
    }

    @Test("doctors of a service on a date")
    func doctors() async throws {
        try await APITest().run { api throws in
            let reply = try await api.get("/api/bot/doctors/?service_id=10&date=2031-03-05")
            #expect(reply.status == 200)
            #expect(reply.array.map { $0["id"] as? Int } == [100])
            #expect(reply.array.first?["branch_ids"] as? [Int] == [1])
            #expect(try await api.get("/api/bot/doctors/?service_id=10&date=2031-03-06").array.isEmpty)
            #expect(try await api.get("/api/bot/doctors/").array.count == 2)
            #expect(try await api.get("/api/bot/doctors/?service_id=12345").array.isEmpty)
        }
    }

    @Test("slots of a day, in UTC with Z")
    func slotsOfADay() async throws {
        try await APITest().run { api throws in
            let reply = try await api.get("/api/bot/slots/?doctor_id=100&date=2031-03-05&service_id=10")
            #expect(reply.status == 200)
            #expect(reply.array.map { $0["start"] as? String } == ["2031-03-05T04:00:00Z", "2031-03-05T04:30:00Z", "2031-03-05T05:00:00Z"])
            #expect(reply.array.first?["end"] as? String == "2031-03-05T04:30:00Z")
            #expect(reply.array.first?["doctor_id"] as? Int == 100)
            #expect(try await api.get("/api/bot/slots/?doctor_id=100&date=2031-03-06").array.isEmpty)
            let unknown = try await api.get("/api/bot/slots/?doctor_id=999&date=2031-03-05")
            #expect(unknown.status == 404 && unknown.errorCode == "not_found")
            let notProvided = try await api.get("/api/bot/slots/?doctor_id=101&date=2031-03-05&service_id=10")
            #expect(notProvided.status == 422 && notProvided.errorCode == "service_not_provided")
        }
    }

    @Test("slots over a range answer the bookable days for a calendar")
    func bookableDays() async throws {
        try await APITest().run { api throws in
            let reply = try await api.get("/api/bot/slots/?doctor_id=100&date_from=2031-03-01&date_to=2031-03-31")
            #expect(reply.status == 200)
            #expect(reply.object["days"] as? [String] == ["2031-03-05"])
            #expect(try await api.get("/api/bot/slots/?doctor_id=100&date_from=2031-04-01&date_to=2031-04-30").object["days"] as? [String] == [])
        }
    }

    @Test("bad query parameters are a 400 naming the parameter", arguments: [
        "/api/bot/services/?branch_id=abc", "/api/bot/services/?branch_id=", "/api/bot/services/?branch_id=0",
        "/api/bot/services/?branch_id=-1", "/api/bot/services/?branch_id=1.5", "/api/bot/services/?branch_id=1%27%20OR%201=1--",
        "/api/bot/services/?branch_id=99999999999999999999", "/api/bot/services/?branch_id=1&branch_id=2",
        "/api/bot/doctors/?date=2031-02-30", "/api/bot/doctors/?date=05.03.2031", "/api/bot/doctors/?service_id=x",
        "/api/bot/slots/", "/api/bot/slots/?date=2031-03-05", "/api/bot/slots/?doctor_id=100",
        "/api/bot/slots/?doctor_id=100&date=tomorrow", "/api/bot/slots/?doctor_id=100&date_from=2031-03-01",
        "/api/bot/slots/?doctor_id=100&date_from=2031-03-10&date_to=2031-03-01",
        "/api/bot/slots/?doctor_id=100&date_from=2031-01-01&date_to=2031-12-31",
        "/api/bot/slots/?doctor_id=100&date=2031-03-05&date_from=2031-03-01&date_to=2031-03-31",
        "/api/bot/slots/?doctor_id=100;DROP%20TABLE%20appointments&date=2031-03-05",
        "/api/bot/appointments/my/", "/api/bot/appointments/my/?telegram_user_id=%00",
    ])
    func badQuery(uri: String) async throws {
        try await APITest().run { api throws in
            let reply = try await api.get(uri)
            #expect(reply.status == 400, "\(uri): \(reply)")
            #expect(reply.errorCode == "invalid_parameter")
        }
    }
}
