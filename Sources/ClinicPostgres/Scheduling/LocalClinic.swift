import ClinicContract
import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// The clinic's scheduling on this bot's own PostgreSQL.
public struct LocalClinic: Clinic {
    let client: PostgresClient
    let policy: BookingPolicy
    let logger: Logger
    /// The clock, a parameter so tests can book "tomorrow" deterministically.
    let now: @Sendable () -> Date

    public init(client: PostgresClient, policy: BookingPolicy = BookingPolicy(), logger: Logger = Logger(label: "clinic-bot.clinic"),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.policy = policy
        self.logger = logger
        self.now = now
    }

    public func branches() async throws -> [ClinicContract.Branch] {
        let rows = try await client.query("""
            SELECT id, name_ru, name_kk, address_ru, address_kk, phone, latitude, longitude, working_hours_ru, working_hours_kk
            FROM branches WHERE is_active ORDER BY id
            """, logger: logger)
        return try await rows.collect().map { row in
            let r = try row.decode((Int64, String, String, String, String, String, Double?, Double?, String, String).self)
            return ClinicContract.Branch(id: r.0, name: .init(ru: r.1, kk: r.2), address: .init(ru: r.3, kk: r.4), phone: r.5,
                          latitude: r.6, longitude: r.7, workingHours: .init(ru: r.8, kk: r.9))
        }
    }

    public func services(branchID: Int64?) async throws -> [Service] {
        let rows = try await client.query("""
            SELECT id, branch_id, name_ru, name_kk, duration_minutes, price_tenge, prepayment_required, osms_covered, online_booking
            FROM services
            WHERE is_active AND online_booking AND (\(branchID)::bigint IS NULL OR branch_id = \(branchID))
            ORDER BY branch_id, id
            """, logger: logger)
        return try await rows.collect().map { row in
            let r = try row.decode((Int64, Int64, String, String, Int, Int, Bool, Bool, Bool).self)
            return Service(id: r.0, branchID: r.1, name: .init(ru: r.2, kk: r.3), durationMinutes: r.4, priceTenge: r.5,
                           prepaymentRequired: r.6, osmsCovered: r.7, onlineBooking: r.8)
        }
    }

    public func doctors(serviceID: Int64?, date: CalendarDate?) async throws -> [Doctor] {
        let rows = try await client.query("""
            SELECT d.id, d.full_name_ru, d.full_name_kk, d.specialty_ru, d.specialty_kk, d.slot_step_minutes, d.min_gap_minutes,
                   COALESCE(array_agg(db.branch_id ORDER BY db.branch_id) FILTER (WHERE db.branch_id IS NOT NULL), '{}'),
                   ds.price_override_tenge
            FROM doctors d
            LEFT JOIN doctor_branches db ON db.doctor_id = d.id
            LEFT JOIN doctor_services ds ON ds.doctor_id = d.id AND ds.service_id = \(serviceID)
            WHERE d.is_active AND (\(serviceID)::bigint IS NULL OR ds.service_id IS NOT NULL)
            GROUP BY d.id, ds.price_override_tenge
            ORDER BY d.full_name_ru, d.id
            """, logger: logger)
        let doctors = try await rows.collect().map { row in
            let r = try row.decode((Int64, String, String, String, String, Int, Int, [Int64], Int?).self)
            return Doctor(id: r.0, fullName: .init(ru: r.1, kk: r.2), specialty: .init(ru: r.3, kk: r.4), branchIDs: r.7,
                          slotStepMinutes: r.5, minGapMinutes: r.6, priceTenge: r.8)
        }
        guard let date else { return doctors }
        // Only doctors with free time that day.
        var free: [Doctor] = []
        for doctor in doctors where try await !slots(doctorID: doctor.id, serviceID: serviceID, date: date).isEmpty {
            free.append(doctor)
        }
        return free
    }
}
