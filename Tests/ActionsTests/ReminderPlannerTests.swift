@testable import ClinicPostgres
@testable import FlowActions
@testable import FlowEngine
import Foundation
import PostgresNIO
import Testing
import TestSupport

/// The shipped plan's entries, as flows/reminders.yaml gives them.
private let entries: [ReminderPlan.Entry] = [
    entry("day_before", "reminder", .start, -86_400, .evening),
    entry("three_hours", "reminder", .start, -3 * 3600, .skip),
    entry("one_hour", "reminder", .start, -3600, .skip),
    entry("arrival", "arrival_check", .start, 300, .send),
]

private func entry(_ name: String, _ flow: String, _ anchor: ReminderPlan.Moment.Anchor, _ offset: Int, _ quiet: ReminderPlan.Quiet) -> ReminderPlan.Entry {
    let here = SourceLocation(file: "flows/reminders.yaml", line: 1, column: 1)
    return ReminderPlan.Entry(name: Located(name, at: here), flow: Located(flow, at: here),
                              moment: ReminderPlan.Moment(anchor: anchor, offsetSeconds: offset), quiet: quiet)
}

private func at(_ text: String) -> Date { Moment.parse(text)! }

@Suite("Reminder planning: an appointment's moments")
struct ReminderMomentsTests {
    let planner = ReminderPlanner.Moments(quiet: QuietHours(), grace: 600)

    func dues(start: String, now: String) -> [String: String] {
        let visit = ReminderPlanner.Visit(id: 42, chat: 7, start: at(start), end: at(start).addingTimeInterval(1800))
        let jobs = planner.jobs(for: visit, entries: entries, now: at(now))
        return Dictionary(uniqueKeysWithValues: jobs.map { (String($0.origin.split(separator: ":")[2]), Moment.format($0.due)) })
    }

    @Test("a visit at 15:00 (10:00 UTC) booked days ahead: every message at its moment, named by the visit, entry and start")
    func daytime() {
        let visit = ReminderPlanner.Visit(id: 42, chat: 7, start: at("2026-12-10T10:00:00Z"), end: at("2026-12-10T10:30:00Z"))
        let jobs = planner.jobs(for: visit, entries: entries, now: at("2026-12-04T12:00:00Z"))
        #expect(jobs.map(\.origin) == ["plan:42:day_before:1796896800", "plan:42:three_hours:1796896800",
                                       "plan:42:one_hour:1796896800", "plan:42:arrival:1796896800"])
        #expect(jobs.map { Moment.format($0.due) } == ["2026-12-09T10:00:00Z", "2026-12-10T07:00:00Z", "2026-12-10T09:00:00Z", "2026-12-10T10:05:00Z"])
        #expect(jobs.allSatisfy { $0.chat == 7 && $0.step == nil })
        #expect(jobs.first?.params == ["appointment_id": 42, "start": "2026-12-10T10:00:00Z", "end": "2026-12-10T10:30:00Z", "language": "ru"])
    }

    @Test("a visit at 08:30: the day-before at 08:30 goes, the 05:30 and 07:30 ones are not sent at night")
    func morningVisit() {
        #expect(dues(start: "2026-12-10T03:30:00Z", now: "2026-12-04T12:00:00Z")
            == ["day_before": "2026-12-09T03:30:00Z", "arrival": "2026-12-10T03:35:00Z"])
    }

    @Test("a visit at 07:00: the day-before would be at 07:00, inside the night, so it goes at 21:00 two evenings before")
    func earlyVisit() {
        #expect(dues(start: "2026-12-10T02:00:00Z", now: "2026-12-04T12:00:00Z")["day_before"] == "2026-12-08T16:00:00Z")
    }

    @Test("a visit at 23:00 (a night visit): its 3-hour and 1-hour reminders go although it is night")
    func nightVisit() {
        let dues = dues(start: "2026-12-10T18:00:00Z", now: "2026-12-04T12:00:00Z")
        #expect(dues["one_hour"] == "2026-12-10T17:00:00Z")
        #expect(dues["three_hours"] == "2026-12-10T15:00:00Z")
    }

    @Test("a visit booked two hours ahead: the day-before and 3-hour moments have passed and are not planned")
    func bookedLate() {
        #expect(Set(dues(start: "2026-12-10T10:00:00Z", now: "2026-12-10T08:00:00Z").keys) == ["one_hour", "arrival"])
    }
}

@Suite("Reminder planning against PostgreSQL", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct ReminderPlannerTests {
    private let plan = ReminderPlan(name: Located("appointments", at: SourceLocation(file: "flows/reminders.yaml", line: 1, column: 1)),
                                    file: "flows/reminders.yaml", entries: entries)

    /// The demo clinic seeded in a schema of its own, and a booking for a linked demo patient
    /// (through the API, as the registry desk would) at the first free slot two days ahead.
    private func withBooking(_ body: (PostgresClient, LocalClinic, Appointment, ReminderPlanner) async throws -> Void) async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            _ = try await DemoSeeder(client: client, cipher: try PIICipher(base64Key: TestData.key())).seed()
            let clinic = LocalClinic(client: client)
            let patient = DemoClinic.patients[0].telegramUserID
            let (doctor, service) = try await client.query("SELECT doctor_id, service_id FROM doctor_services ORDER BY 1, 2 LIMIT 1")
                .collect()[0].decode((Int64, Int64).self)
            let today = Moment.localParts(Date(), BookingPolicy().timeZone).date
            let day = try #require(try await clinic.bookableDays(doctorID: doctor, serviceID: service, from: today.adding(days: 2), to: today.adding(days: 20)).first)
            let slots = try await clinic.slots(doctorID: doctor, serviceID: service, date: day)
            let slot = try #require(slots.first)
            let booked = try await clinic.book(telegramUserID: patient, doctorID: doctor, serviceID: service, start: slot.start, source: "api")
            try await body(client, clinic, booked, ReminderPlanner(client: client, quiet: QuietHours(), horizon: 30 * 86_400))
        }
    }

    private func pending(_ client: PostgresClient, appointment: Int64) async throws -> [String: Date] {
        var jobs: [String: Date] = [:]
        let rows = try await client.query("""
            SELECT origin, due_at FROM flow_jobs WHERE state = 'pending' AND origin LIKE \("plan:\(appointment):%")
            """).collect()
        for row in rows {
            let (origin, due) = try row.decode((String, Date).self)
            jobs[origin] = due
        }
        return jobs
    }

    @Test("an appointment made through the API gets its jobs once, however many passes run")
    func once() async throws {
        try await withBooking { client, _, booked, planner in
            let first = try await planner.pass([plan])
            #expect(first.appointments >= 1)
            let jobs = try await pending(client, appointment: booked.id)
            #expect(!jobs.isEmpty && jobs.count <= 4)
            #expect(jobs.keys.allSatisfy { $0.hasSuffix(":\(Int64(booked.start.timeIntervalSince1970))") })
            let chats = try await client.query("SELECT DISTINCT chat_id FROM flow_jobs WHERE origin LIKE \("plan:\(booked.id):%")")
                .collect().map { try $0.decode(Int64.self) }
            #expect(chats == [DemoClinic.patients[0].telegramUserID])
            try await planner.pass([plan])
            try await planner.pass([plan])
            #expect(try await pending(client, appointment: booked.id) == jobs)
        }
    }

    @Test("a moved appointment's jobs follow its new time; the ones for the old time are dropped")
    func moved() async throws {
        try await withBooking { client, clinic, booked, planner in
            try await planner.pass([plan])
            let before = try await pending(client, appointment: booked.id)
            let day = Moment.localParts(booked.start, BookingPolicy().timeZone).date
            let later = try await clinic.slots(doctorID: booked.doctorID, serviceID: booked.serviceID, date: day).last { $0.start > booked.start }
            let slot = try #require(later)
            let moved = try await clinic.reschedule(appointmentID: booked.id, telegramUserID: DemoClinic.patients[0].telegramUserID, start: slot.start)
            let pass = try await planner.pass([plan])
            #expect(pass.dropped == before.count)
            let after = try await pending(client, appointment: booked.id)
            #expect(!after.isEmpty)
            #expect(after.keys.allSatisfy { $0.hasSuffix(":\(Int64(moved.start.timeIntervalSince1970))") })
            #expect(Set(after.keys).isDisjoint(with: before.keys))
        }
    }

    @Test("a cancelled appointment's jobs never go out, and no new ones are planned")
    func cancelled() async throws {
        try await withBooking { client, clinic, booked, planner in
            try await planner.pass([plan])
            #expect(!(try await pending(client, appointment: booked.id)).isEmpty)
            _ = try await clinic.cancel(appointmentID: booked.id, telegramUserID: DemoClinic.patients[0].telegramUserID)
            try await planner.pass([plan])
            #expect(try await pending(client, appointment: booked.id).isEmpty)
            let skipped = try await client.query("SELECT count(*)::int FROM flow_jobs WHERE state = 'skipped' AND outcome = 'changed'")
                .collect()[0].decode(Int.self)
            #expect(skipped >= 1)
        }
    }

    @Test("a patient without a Telegram link gets no jobs")
    func unlinked() async throws {
        try await withBooking { client, _, booked, planner in
            _ = try await client.query("UPDATE patient_telegram_links SET is_active = false, unlinked_at = now()").collect()
            try await planner.pass([plan])
            #expect(try await pending(client, appointment: booked.id).isEmpty)
        }
    }
}
