@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import PostgresNIO
import Testing
import TestSupport

/// appointment.create, .my, .reschedule and .cancel against the real database: every
/// `ClinicRefusal` the domain gives becomes a named outcome the flow routes.
@Suite("Scheduling actions: appointments", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct AppointmentActionsTests {
    private func call(_ registry: ActionRegistry, _ name: String, _ arguments: [String: Value], _ context: ActionContext) async -> ActionResult {
        await registry.perform(ActionCall(name: name, arguments: arguments, context: context))
    }

    private func booking(_ f: BookingFixture, _ start: String) -> [String: Value] {
        ["doctor_id": .int(Int(f.doctorID)), "service_id": .int(Int(f.consultationID)), "start": .string(start)]
    }

    @Test("a fourth upcoming booking through the bot is refused; the registry books past the limit; cancelling frees a place")
    func upcomingLimit() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            for hour in [9, 10, 11] {
                #expect(await call(f.registry(), "appointment.create", booking(f, f.at(hour)), f.context()).outcome == "ok")
            }
            #expect(await call(f.registry(), "appointment.create", booking(f, f.at(12)), f.context()).outcome == "too_many_upcoming")
            let held = try await client.query("""
                SELECT count(*) FROM appointments a JOIN patient_telegram_links l ON l.patient_id = a.patient_id
                WHERE l.telegram_user_id = \(f.patientTelegramID) AND l.is_active
                """).collect()[0].decode(Int.self)
            #expect(held == 3)
            // The registry (the REST API) is not limited.
            let clinic = LocalClinic(client: client)
            _ = try await clinic.book(telegramUserID: f.patientTelegramID, doctorID: f.doctorID, serviceID: f.consultationID,
                                      start: Moment.parse(f.at(12))!, source: "api")
            // Four held now: one cancelled still leaves three; a second one frees a place.
            let mine = await call(f.registry(), "appointment.my", [:], f.context())
            let ids = try #require(mine.value["upcoming"].listValue?.map { $0["id"] })
            #expect(ids.count == 4)
            #expect(await call(f.registry(), "appointment.cancel", ["appointment_id": ids[0]], f.context()).outcome == "ok")
            #expect(await call(f.registry(), "appointment.create", booking(f, f.at(14)), f.context()).outcome == "too_many_upcoming")
            #expect(await call(f.registry(), "appointment.cancel", ["appointment_id": ids[1]], f.context()).outcome == "ok")
            #expect(await call(f.registry(), "appointment.create", booking(f, f.at(14)), f.context()).outcome == "ok")
        }
    }

    @Test("appointment.create books and answers labels; the same slot again is slot_taken")
    func create() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            let booked = await call(f.registry(), "appointment.create", booking(f, f.at(10)), f.context(locale: "kk"))
            #expect(booked.outcome == "ok")
            #expect(Set(booked.value.fieldNames) == Set(AppointmentCreateAction.signature.resultFields))
            #expect(booked.value["start"] == .string(f.at(10)))
            #expect(booked.value["end"] == .string(f.at(10, 30)))
            #expect(booked.value["time_text"] == "10:00")
            #expect(booked.value["date_text"] == .string(CalendarText.longDate(f.day, .kk)))
            #expect(booked.value["weekday_text"] == .string(CalendarText.weekdayName(f.day, .kk)))
            #expect(booked.value["doctor"] == .string("Серікбаева Айгүл \(f.tag)"))
            #expect(booked.value["service"] == "Терапевттің кеңесі")
            #expect(booked.value["address"] == "Абай көшесі, 10")
            #expect(booked.value["price_text"] == "5\u{00A0}000\u{00A0}₸")
            #expect(booked.value["status"] == "booked")
            #expect(booked.value["status_text"] == "Жоспарланған")
            #expect(booked.value["code"].stringValue?.count == 7)

            let other = TestData.telegramUserID()
            _ = try await TestDatabase.store(client).upsert(try TestData.draft(telegramUserID: other), actor: .telegram(other))
            #expect(await call(f.registry(), "appointment.create", booking(f, f.at(10)), f.context(other)).outcome == "slot_taken")
            // The 10:00 visit ends at 10:30, so the next step is free (the doctor has no gap).
            #expect(await call(f.registry(), "appointment.create", booking(f, f.at(10, 30)), f.context(other)).outcome == "ok")
        }
    }

    @Test("appointment.create refuses a time the doctor never offers, and a Telegram user with no patient", arguments: [
        (13, 0), (9, 10), (18, 0), (7, 0),
    ])
    func notBookable(_ hour: Int, _ minute: Int) async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            #expect(await call(f.registry(), "appointment.create", booking(f, f.at(hour, minute)), f.context()).outcome == "not_bookable")
            #expect(await call(f.registry(), "appointment.create", booking(f, f.at(9)), f.context(TestData.telegramUserID())).outcome
                    == "patient_not_found")
            var unknown = booking(f, f.at(9))
            unknown["doctor_id"] = 999_999_999
            #expect(await call(f.registry(), "appointment.create", unknown, f.context()).outcome == "not_bookable")
        }
    }

    @Test("the patient comes from the context: a telegram_user_id argument is refused as error")
    func noForeignUser() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            var arguments = booking(f, f.at(9))
            arguments["telegram_user_id"] = .int(Int(f.patientTelegramID))
            #expect(await call(f.registry(), "appointment.create", arguments, f.context(TestData.telegramUserID())) == .error)
            var wrong = booking(f, f.at(9))
            wrong["start"] = "tomorrow at nine"
            #expect(await call(f.registry(), "appointment.create", wrong, f.context()) == .error)
        }
    }

    @Test("appointment.my lists upcoming and past with labels; a user with no patient is patient_not_found")
    func my() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            let empty = await call(f.registry(), "appointment.my", [:], f.context())
            #expect(empty == .ok(["upcoming": [], "past": [], "count_upcoming": 0]))

            let later = await call(f.registry(), "appointment.create", booking(f, f.at(15)), f.context())
            let sooner = await call(f.registry(), "appointment.create", booking(f, f.at(9)), f.context())
            let cancelled = await call(f.registry(), "appointment.create", booking(f, f.at(11)), f.context())
            _ = await call(f.registry(), "appointment.cancel", ["appointment_id": cancelled.value["id"]], f.context())

            let mine = await call(f.registry(), "appointment.my", [:], f.context())
            #expect(mine.outcome == "ok")
            #expect(Set(mine.value.fieldNames) == Set(AppointmentMyAction.signature.resultFields))
            #expect(mine.value["count_upcoming"] == 2)
            #expect(mine.value["upcoming"].listValue?.map { $0["id"] } == [sooner.value["id"], later.value["id"]])
            #expect(mine.value["upcoming"].listValue?.first?["label"] == .string("\(CalendarText.shortDate(f.day)) 09:00 · Консультация терапевта"))
            #expect(mine.value["past"].listValue?.map { $0["status_text"] } == ["Отменена"])

            #expect(await call(f.registry(), "appointment.my", [:], f.context(TestData.telegramUserID())).outcome == "patient_not_found")
        }
    }

    @Test("appointment.reschedule moves to a free slot; a taken or invalid one is refused and the old time kept")
    func reschedule() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            let mine = await call(f.registry(), "appointment.create", booking(f, f.at(9)), f.context())
            let blocker = await call(f.registry(), "appointment.create", booking(f, f.at(11)), f.context())
            let id = mine.value["id"]

            let moved = await call(f.registry(), "appointment.reschedule", ["appointment_id": id, "start": .string(f.at(9, 30))], f.context())
            #expect(moved.outcome == "ok")
            #expect(moved.value["time_text"] == "09:30")
            #expect(Set(moved.value.fieldNames) == Set(AppointmentRescheduleAction.signature.resultFields))

            #expect(await call(f.registry(), "appointment.reschedule", ["appointment_id": id, "start": .string(f.at(11))], f.context()).outcome
                    == "slot_taken")
            #expect(await call(f.registry(), "appointment.reschedule", ["appointment_id": id, "start": .string(f.at(13))], f.context()).outcome
                    == "not_bookable")
            let stranger = TestData.telegramUserID()
            _ = try await TestDatabase.store(client).upsert(try TestData.draft(telegramUserID: stranger), actor: .telegram(stranger))
            #expect(await call(f.registry(), "appointment.reschedule", ["appointment_id": id, "start": .string(f.at(16))], f.context(stranger))
                .outcome == "not_found")
            #expect(await call(f.registry(), "appointment.reschedule", ["appointment_id": 999_999_999, "start": .string(f.at(16))], f.context())
                .outcome == "not_found")

            _ = await call(f.registry(), "appointment.cancel", ["appointment_id": blocker.value["id"]], f.context())
            #expect(await call(f.registry(), "appointment.reschedule", ["appointment_id": blocker.value["id"], "start": .string(f.at(16))],
                               f.context()).outcome == "not_changeable")

            // An hour before the start is past the two-hour cut-off.
            let start = try #require(Moment.parse(f.at(9, 30)))
            let late = f.registry(now: { start.addingTimeInterval(-3600) })
            #expect(await call(late, "appointment.reschedule", ["appointment_id": id, "start": .string(f.at(16))], f.context()).outcome == "too_late")

            let after = await call(f.registry(), "appointment.my", [:], f.context())
            #expect(after.value["upcoming"].listValue?.first?["start"] == .string(f.at(9, 30)))
        }
    }

    @Test("appointment.cancel works before the cut-off, once; too close to the start it is too_late")
    func cancel() async throws {
        try await TestDatabase.withMigrated { client in
            let f = try await BookingFixture.make(client)
            let first = await call(f.registry(), "appointment.create", booking(f, f.at(9)), f.context())
            let second = await call(f.registry(), "appointment.create", booking(f, f.at(10)), f.context())

            let cancelled = await call(f.registry(), "appointment.cancel", ["appointment_id": first.value["id"]], f.context(locale: "kk"))
            #expect(cancelled.outcome == "ok")
            #expect(cancelled.value["status"] == "cancelled")
            #expect(cancelled.value["status_text"] == "Бас тартылды")
            #expect(Set(cancelled.value.fieldNames) == Set(AppointmentCancelAction.signature.resultFields))
            #expect(await call(f.registry(), "appointment.cancel", ["appointment_id": first.value["id"]], f.context()).outcome == "not_changeable")
            // The freed time can be booked again.
            #expect(await call(f.registry(), "appointment.create", booking(f, f.at(9)), f.context()).outcome == "ok")

            #expect(await call(f.registry(), "appointment.cancel", ["appointment_id": second.value["id"]], f.context(TestData.telegramUserID()))
                .outcome == "not_found")
            let start = try #require(Moment.parse(f.at(10)))
            let late = f.registry(now: { start.addingTimeInterval(-90 * 60) })
            #expect(await call(late, "appointment.cancel", ["appointment_id": second.value["id"]], f.context()).outcome == "too_late")

            let audit = try await client.query("""
                SELECT count(*) FROM bot_audit WHERE action = 'appointment.cancel' AND object_id = \(String(first.value["id"].intValue ?? 0))
                """).collect()[0].decode(Int.self)
            #expect(audit == 1)
        }
    }
}
