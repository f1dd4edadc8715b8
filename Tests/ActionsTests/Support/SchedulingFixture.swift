import TestSupport
import ClinicPostgres
import FlowEngine
import Foundation
import PostgresNIO

/// A small clinic in the test database: one branch, one 30-minute service, one doctor working
/// Mondays 09:00–12:00 (Almaty) with a 10-minute gap, a break 10:30–11:00 — and a clock fixed
/// on the Sunday before, so every test books "tomorrow".
struct SchedulingFixture {
    let branchID: Int64
    let serviceID: Int64
    let doctorID: Int64
    let clinic: LocalClinic
    let store: PatientStore
    /// Sunday 29 November 2026, 12:00 in Almaty.
    static let now = Moment.parse("2026-11-29T07:00:00Z")!
    static let monday = CalendarDate(iso: "2026-11-30")!

    static func create(_ client: PostgresClient, now: Date = now, policy: BookingPolicy = BookingPolicy()) async throws -> SchedulingFixture {
        let branch = try await client.query("""
            INSERT INTO branches (name_ru, name_kk, address_ru, address_kk, phone)
            VALUES ('Тестовый филиал', 'Сынақ филиалы', 'ул. Абая, 1', 'Абай к-сі, 1', '+77270000000') RETURNING id
            """).collect()[0].decode(Int64.self)
        let service = try await client.query("""
            INSERT INTO services (branch_id, name_ru, name_kk, duration_minutes, price_tenge)
            VALUES (\(branch), 'Консультация терапевта', 'Терапевттің кеңесі', 30, 8000) RETURNING id
            """).collect()[0].decode(Int64.self)
        let doctor = try await client.query("""
            INSERT INTO doctors (full_name_ru, full_name_kk, specialty_ru, specialty_kk, slot_step_minutes, min_gap_minutes)
            VALUES ('Серікбаева Айгүл', 'Серікбаева Айгүл', 'Терапевт', 'Терапевт', 30, 10) RETURNING id
            """).collect()[0].decode(Int64.self)
        try await client.query("INSERT INTO doctor_branches VALUES (\(doctor), \(branch))")
        try await client.query("INSERT INTO doctor_services (doctor_id, service_id) VALUES (\(doctor), \(service))")
        let schedule = try await client.query("""
            INSERT INTO doctor_schedules (doctor_id, branch_id, weekday, starts, ends) VALUES (\(doctor), \(branch), 1, '09:00', '12:00') RETURNING id
            """).collect()[0].decode(Int64.self)
        try await client.query("INSERT INTO schedule_breaks (schedule_id, starts, ends) VALUES (\(schedule), '10:30', '11:00')")
        let fixed = now
        return SchedulingFixture(branchID: branch, serviceID: service, doctorID: doctor,
                                 clinic: LocalClinic(client: client, policy: policy, now: { fixed }),
                                 store: try TestDatabase.store(client))
    }

    /// A registered patient; returns their Telegram user id.
    func patient() async throws -> Int64 {
        let draft = try TestData.draft()
        _ = try await store.upsert(draft, actor: .telegram(draft.telegramUserID))
        return draft.telegramUserID
    }

    /// A Monday time in Almaty.
    func at(_ hour: Int, _ minute: Int = 0) -> Date {
        Moment.parse(String(format: "2026-11-30T%02d:%02d:00+05:00", hour, minute))!
    }
}
