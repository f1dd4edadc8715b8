import ClinicPostgres
import FlowEngine
import Foundation
import Testing
import TestSupport

@Suite("Scheduling on PostgreSQL", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct LocalClinicTests {
    static func times(_ slots: [Slot]) -> [String] { SlotCalculatorTests.times(slots) }

    @Test("slots come from the schedule, its break and the doctor's gap; a booking takes its slot away")
    func slotsAndBooking() async throws {
        try await TestDatabase.withMigrated { client in
            let clinic = try await SchedulingFixture.create(client)
            var slots = try await clinic.clinic.slots(doctorID: clinic.doctorID, serviceID: clinic.serviceID, date: SchedulingFixture.monday)
            #expect(Self.times(slots) == ["09:00", "09:30", "10:00", "11:00", "11:30"])
            let patient = try await clinic.patient()
            let booked = try await clinic.clinic.book(telegramUserID: patient, doctorID: clinic.doctorID, serviceID: clinic.serviceID,
                                                      start: clinic.at(9, 30), source: "telegram")
            #expect(booked.status == .booked && booked.priceTenge == 8000 && booked.code.count == 7)
            #expect(booked.serviceName.kk == "Терапевттің кеңесі")
            slots = try await clinic.clinic.slots(doctorID: clinic.doctorID, serviceID: clinic.serviceID, date: SchedulingFixture.monday)
            // 09:00 would end at 09:30 plus the 10-minute gap; 09:30 is taken; 10:00 falls in its gap.
            #expect(Self.times(slots) == ["11:00", "11:30"])
            let mine = try await clinic.clinic.appointments(telegramUserID: patient)
            #expect(mine.upcoming.map(\.id) == [booked.id] && mine.past.isEmpty)
        }
    }

    @Test("50 patients pressing the same slot at once: exactly one booking, 49 'slot taken'")
    func race() async throws {
        try await TestDatabase.withMigrated { client in
            let clinic = try await SchedulingFixture.create(client)
            var patients: [Int64] = []
            for _ in 0..<50 { patients.append(try await clinic.patient()) }
            let outcomes = await withTaskGroup(of: String.self) { group in
                for patient in patients {
                    group.addTask {
                        do {
                            _ = try await clinic.clinic.book(telegramUserID: patient, doctorID: clinic.doctorID, serviceID: clinic.serviceID,
                                                             start: clinic.at(11), source: "telegram")
                            return "ok"
                        } catch let refusal as ClinicRefusal {
                            return refusal.rawValue
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.filter { $0 == "slot_taken" }.count == 49, "\(Set(outcomes))")
            let rows = try await client.query("SELECT count(*) FROM appointments WHERE doctor_id = \(clinic.doctorID) AND status <> 'cancelled'").collect()
            #expect(try rows[0].decode(Int.self) == 1)
        }
    }

    @Test("a time the doctor does not offer is refused: off the grid, in the break, in the past, unknown doctor")
    func notBookable() async throws {
        try await TestDatabase.withMigrated { client in
            let clinic = try await SchedulingFixture.create(client)
            let patient = try await clinic.patient()
            for start in [clinic.at(9, 10), clinic.at(10, 30), clinic.at(12), Moment.parse("2026-11-23T04:00:00Z")!] {
                await #expect(throws: ClinicRefusal.notBookable) {
                    try await clinic.clinic.book(telegramUserID: patient, doctorID: clinic.doctorID, serviceID: clinic.serviceID, start: start, source: "api")
                }
            }
            await #expect(throws: ClinicRefusal.notFound) {
                try await clinic.clinic.book(telegramUserID: patient, doctorID: -1, serviceID: clinic.serviceID, start: clinic.at(9), source: "api")
            }
            await #expect(throws: ClinicRefusal.patientNotFound) {
                try await clinic.clinic.book(telegramUserID: 1, doctorID: clinic.doctorID, serviceID: clinic.serviceID, start: clinic.at(9), source: "api")
            }
        }
    }

    @Test("reschedule: to a free slot, not onto a taken one, never someone else's appointment, not past the cut-off")
    func reschedule() async throws {
        try await TestDatabase.withMigrated { client in
            let clinic = try await SchedulingFixture.create(client)
            let (me, other) = (try await clinic.patient(), try await clinic.patient())
            let mine = try await clinic.clinic.book(telegramUserID: me, doctorID: clinic.doctorID, serviceID: clinic.serviceID, start: clinic.at(9), source: "telegram")
            let theirs = try await clinic.clinic.book(telegramUserID: other, doctorID: clinic.doctorID, serviceID: clinic.serviceID, start: clinic.at(11), source: "telegram")
            // Moving by one step overlaps its own old time: allowed.
            let moved = try await clinic.clinic.reschedule(appointmentID: mine.id, telegramUserID: me, start: clinic.at(9, 30))
            #expect(moved.start == clinic.at(9, 30) && moved.id == mine.id)
            await #expect(throws: ClinicRefusal.slotTaken) {
                try await clinic.clinic.reschedule(appointmentID: mine.id, telegramUserID: me, start: clinic.at(11))
            }
            #expect(try await clinic.clinic.appointments(telegramUserID: me).upcoming.first?.start == clinic.at(9, 30))
            await #expect(throws: ClinicRefusal.notFound) {
                try await clinic.clinic.reschedule(appointmentID: theirs.id, telegramUserID: me, start: clinic.at(11, 30))
            }
            // Two hours before the start the cut-off has passed.
            let late = LocalClinic(client: client, now: { Moment.parse("2026-11-30T08:00:00+05:00")! })
            await #expect(throws: ClinicRefusal.tooLate) {
                try await late.reschedule(appointmentID: mine.id, telegramUserID: me, start: clinic.at(11, 30))
            }
        }
    }

    @Test("cancel: frees the slot; not someone else's; not twice; not past the cut-off")
    func cancel() async throws {
        try await TestDatabase.withMigrated { client in
            let clinic = try await SchedulingFixture.create(client)
            let (me, other) = (try await clinic.patient(), try await clinic.patient())
            let mine = try await clinic.clinic.book(telegramUserID: me, doctorID: clinic.doctorID, serviceID: clinic.serviceID, start: clinic.at(9), source: "telegram")
            await #expect(throws: ClinicRefusal.notFound) { try await clinic.clinic.cancel(appointmentID: mine.id, telegramUserID: other) }
            let late = LocalClinic(client: client, now: { Moment.parse("2026-11-30T07:30:00+05:00")! })
            await #expect(throws: ClinicRefusal.tooLate) { try await late.cancel(appointmentID: mine.id, telegramUserID: me) }
            let cancelled = try await clinic.clinic.cancel(appointmentID: mine.id, telegramUserID: me)
            #expect(cancelled.status == .cancelled)
            await #expect(throws: ClinicRefusal.notChangeable) { try await clinic.clinic.cancel(appointmentID: mine.id, telegramUserID: me) }
            let slots = try await clinic.clinic.slots(doctorID: clinic.doctorID, serviceID: clinic.serviceID, date: SchedulingFixture.monday)
            #expect(Self.times(slots).first == "09:00")
            let history = try await clinic.clinic.appointments(telegramUserID: me)
            #expect(history.upcoming.isEmpty && history.past.map(\.id) == [mine.id])
            let audit = try await client.query("""
                SELECT action FROM bot_audit WHERE object_type = 'appointment' AND object_id = \(String(mine.id)) ORDER BY id
                """).collect().map { try $0.decode(String.self) }
            #expect(audit == ["appointment.create", "appointment.cancel"])
        }
    }

    @Test("bookable days skip days off and days without work, within the horizon")
    func bookableDays() async throws {
        try await TestDatabase.withMigrated { client in
            let clinic = try await SchedulingFixture.create(client)
            try await client.query("""
                INSERT INTO schedule_exceptions (doctor_id, date_from, date_to, kind) VALUES (\(clinic.doctorID), '2026-12-07', '2026-12-07', 'day_off')
                """)
            let days = try await clinic.clinic.bookableDays(doctorID: clinic.doctorID, serviceID: clinic.serviceID,
                                                            from: CalendarDate(iso: "2026-11-29")!, to: CalendarDate(iso: "2026-12-20")!)
            #expect(days.map(\.iso) == ["2026-11-30", "2026-12-14"])
        }
    }
}
