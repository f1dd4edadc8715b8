import TestSupport
@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import PostgresNIO

/// A small clinic of its own in the shared test database: one branch, two services, a doctor who
/// works every day 09:00–18:00 (break 13:00–14:00, 30-minute step) and a colleague with no
/// schedule; plus a registered patient. Names carry a random tag so tests running side by side
/// never see each other's rows.
struct BookingFixture {
    let client: PostgresClient
    let tag: String
    let branchID: Int64
    let consultationID: Int64
    let ecgID: Int64
    let doctorID: Int64
    let idleDoctorID: Int64
    let patientTelegramID: Int64
    let timeZone = TimeZone.clinicDefault

    static func make(_ client: PostgresClient) async throws -> BookingFixture {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        func id(_ query: PostgresQuery) async throws -> Int64 { try await client.query(query).collect()[0].decode(Int64.self) }
        let branch = try await id("""
            INSERT INTO branches (name_ru, name_kk, address_ru, address_kk, phone, latitude, longitude, working_hours_ru, working_hours_kk)
            VALUES (\("Клиника " + tag), \("Клиника " + tag + " (қаз)"), 'ул. Абая, 10', 'Абай көшесі, 10', '+7 727 000 00 00', 43.24, 76.91,
                    'Пн–Пт 09:00–18:00', 'Дс–Жм 09:00–18:00')
            RETURNING id
            """)
        let consultation = try await id("""
            INSERT INTO services (branch_id, name_ru, name_kk, duration_minutes, price_tenge, osms_covered)
            VALUES (\(branch), 'Консультация терапевта', 'Терапевттің кеңесі', 30, 5000, true) RETURNING id
            """)
        let ecg = try await id("""
            INSERT INTO services (branch_id, name_ru, name_kk, duration_minutes, price_tenge, prepayment_required)
            VALUES (\(branch), 'ЭКГ', 'ЭКГ түсіру', 15, 3500, true) RETURNING id
            """)
        let doctor = try await id("""
            INSERT INTO doctors (full_name_ru, full_name_kk, specialty_ru, specialty_kk, slot_step_minutes)
            VALUES (\("Серикбаева Айгуль " + tag), \("Серікбаева Айгүл " + tag), 'терапевт', 'терапевт', 30) RETURNING id
            """)
        let idle = try await id("""
            INSERT INTO doctors (full_name_ru, full_name_kk, specialty_ru, specialty_kk, slot_step_minutes)
            VALUES (\("Иванова Елена " + tag), \("Иванова Елена " + tag), 'терапевт', 'терапевт', 15) RETURNING id
            """)
        for d in [doctor, idle] {
            _ = try await client.query("INSERT INTO doctor_branches (doctor_id, branch_id) VALUES (\(d), \(branch))").collect()
            _ = try await client.query("INSERT INTO doctor_services (doctor_id, service_id) VALUES (\(d), \(consultation))").collect()
        }
        _ = try await client.query("INSERT INTO doctor_services (doctor_id, service_id, price_override_tenge) VALUES (\(doctor), \(ecg), 4000)").collect()
        for weekday in 1...7 {
            let schedule = try await id("""
                INSERT INTO doctor_schedules (doctor_id, branch_id, weekday, starts, ends)
                VALUES (\(doctor), \(branch), \(weekday), '09:00', '18:00') RETURNING id
                """)
            _ = try await client.query("INSERT INTO schedule_breaks (schedule_id, starts, ends) VALUES (\(schedule), '13:00', '14:00')").collect()
        }
        let me = TestData.telegramUserID()
        _ = try await TestDatabase.store(client).upsert(try TestData.draft(telegramUserID: me), actor: .telegram(me))
        return BookingFixture(client: client, tag: tag, branchID: branch, consultationID: consultation, ecgID: ecg, doctorID: doctor,
                                 idleDoctorID: idle, patientTelegramID: me)
    }

    /// A day the doctor works whole, well inside the booking horizon.
    var day: CalendarDate { Moment.localParts(Date(), timeZone).date.adding(days: 3) }

    /// The UTC moment of a local time on `day`.
    func at(_ hour: Int, _ minute: Int = 0, on date: CalendarDate? = nil) -> String {
        let calculator = SlotCalculator(windows: [], exceptions: [], stepMinutes: 5, gapMinutes: 0, timeZone: timeZone)
        return Moment.format(calculator.moment(date ?? day, hour * 60 + minute))
    }

    /// The scheduling actions over the local clinic, with the clinic's clock at `now`.
    func registry(now: @escaping @Sendable () -> Date = { Date() }) -> ActionRegistry {
        ActionRegistry(SchedulingActions.all(clinic: LocalClinic(client: client, now: now), timeZone: timeZone))
    }

    func context(_ telegramUserID: Int64? = nil, locale: String = "ru") -> ActionContext {
        ActionContext(telegramUserID: telegramUserID ?? patientTelegramID, telegramUsername: nil, locale: locale)
    }
}
