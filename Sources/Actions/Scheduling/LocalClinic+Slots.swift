import FlowEngine
import Foundation
import PostgresNIO

extension LocalClinic {
    /// What slot calculation needs to know about a doctor and a service.
    struct BookingContext {
        let calculator: SlotCalculator
        let durationMinutes: Int
        /// The service's branch: only windows there count.
        let branchID: Int64?
        let priceTenge: Int
    }

    /// Loads the doctor's step, gap, schedule and exceptions, and the service's duration.
    /// Throws `.notFound` for an unknown doctor or service, `.serviceNotProvided` when the doctor
    /// does not provide it.
    func context(doctorID: Int64, serviceID: Int64?, on connection: PostgresConnection) async throws -> BookingContext {
        guard let doctor = try await connection.query("""
            SELECT slot_step_minutes, min_gap_minutes FROM doctors WHERE id = \(doctorID) AND is_active
            """, logger: logger).collect().first.map({ try $0.decode((Int, Int).self) }) else { throw ClinicRefusal.notFound }

        var duration = doctor.0, branchID: Int64?, price = 0
        if let serviceID {
            guard let service = try await connection.query("""
                SELECT s.duration_minutes, s.branch_id, COALESCE(ds.price_override_tenge, s.price_tenge), ds.doctor_id IS NOT NULL
                FROM services s LEFT JOIN doctor_services ds ON ds.service_id = s.id AND ds.doctor_id = \(doctorID)
                WHERE s.id = \(serviceID) AND s.is_active
                """, logger: logger).collect().first.map({ try $0.decode((Int, Int64, Int, Bool).self) }) else { throw ClinicRefusal.notFound }
            guard service.3 else { throw ClinicRefusal.serviceNotProvided }
            (duration, branchID, price) = (service.0, service.1, service.2)
        }

        let windowRows = try await connection.query("""
            SELECT s.id, s.branch_id, s.weekday,
                   (extract(epoch FROM s.starts) / 60)::int, (extract(epoch FROM s.ends) / 60)::int,
                   COALESCE(array_agg((extract(epoch FROM b.starts) / 60)::int ORDER BY b.starts) FILTER (WHERE b.id IS NOT NULL), '{}'),
                   COALESCE(array_agg((extract(epoch FROM b.ends) / 60)::int ORDER BY b.starts) FILTER (WHERE b.id IS NOT NULL), '{}')
            FROM doctor_schedules s LEFT JOIN schedule_breaks b ON b.schedule_id = s.id
            WHERE s.doctor_id = \(doctorID)
            GROUP BY s.id
            """, logger: logger).collect()
        let windows = try windowRows.map { row in
            let r = try row.decode((Int64, Int64, Int, Int, Int, [Int], [Int]).self)
            return WeeklyWindow(branchID: r.1, weekday: r.2, start: r.3, end: r.4, breaks: zip(r.5, r.6).map { ClosedOpen($0, $1) })
        }
        let exceptionRows = try await connection.query("""
            SELECT to_char(date_from, 'YYYY-MM-DD'), to_char(date_to, 'YYYY-MM-DD'), kind,
                   (extract(epoch FROM starts) / 60)::int, (extract(epoch FROM ends) / 60)::int
            FROM schedule_exceptions WHERE doctor_id = \(doctorID) AND date_to >= current_date - 1
            """, logger: logger).collect()
        let exceptions = try exceptionRows.compactMap { row -> ScheduleException? in
            let r = try row.decode((String, String, String, Int?, Int?).self)
            guard let from = CalendarDate(iso: r.0), let to = CalendarDate(iso: r.1), let kind = ScheduleException.Kind(rawValue: r.2) else { return nil }
            return ScheduleException(from: from, to: to, kind: kind, hours: r.3.flatMap { s in r.4.map { ClosedOpen(s, $0) } })
        }
        return BookingContext(
            calculator: SlotCalculator(windows: windows, exceptions: exceptions, stepMinutes: doctor.0, gapMinutes: doctor.1, timeZone: policy.timeZone),
            durationMinutes: duration, branchID: branchID, priceTenge: price)
    }

    /// The doctor's live appointments overlapping `from…to`, as busy ranges.
    func busy(doctorID: Int64, from: Date, to: Date, excluding appointmentID: Int64? = nil, on connection: PostgresConnection) async throws -> [BusyRange] {
        try await connection.query("""
            SELECT starts_at, busy_until FROM appointments
            WHERE doctor_id = \(doctorID) AND status <> 'cancelled' AND starts_at < \(to) AND busy_until > \(from)
              AND id IS DISTINCT FROM \(appointmentID)
            ORDER BY starts_at
            """, logger: logger).collect().map { row in
            let r = try row.decode((Date, Date).self)
            return BusyRange(start: r.0, end: r.1)
        }
    }

    /// Slots are offered no sooner than this.
    var earliest: Date { now().addingTimeInterval(TimeInterval(policy.leadTime.components.seconds)) }

    /// The last day patients may book.
    var horizon: CalendarDate { Moment.localParts(now(), policy.timeZone).date.adding(days: policy.horizonDays) }

    func slots(_ context: BookingContext, doctorID: Int64, date: CalendarDate, excluding appointmentID: Int64? = nil,
               on connection: PostgresConnection) async throws -> [Slot] {
        guard date <= horizon else { return [] }
        let dayStart = context.calculator.moment(date, 0), dayEnd = context.calculator.moment(date.adding(days: 1), 0)
        let taken = try await busy(doctorID: doctorID, from: dayStart.addingTimeInterval(-86_400), to: dayEnd.addingTimeInterval(86_400),
                                   excluding: appointmentID, on: connection)
        return context.calculator.slots(on: date, durationMinutes: context.durationMinutes, branchID: context.branchID, busy: taken,
                                        earliest: earliest, doctorID: doctorID)
    }

    public func slots(doctorID: Int64, serviceID: Int64?, date: CalendarDate) async throws -> [Slot] {
        try await client.withConnection { connection in
            let context = try await context(doctorID: doctorID, serviceID: serviceID, on: connection)
            return try await slots(context, doctorID: doctorID, date: date, on: connection)
        }
    }

    public func bookableDays(doctorID: Int64, serviceID: Int64?, from: CalendarDate, to: CalendarDate) async throws -> [CalendarDate] {
        let last = min(to, horizon, from.adding(days: 92))
        guard from <= last else { return [] }
        return try await client.withConnection { connection in
            let context = try await context(doctorID: doctorID, serviceID: serviceID, on: connection)
            // One query for the whole range; each day is then computed in memory.
            let taken = try await busy(doctorID: doctorID, from: context.calculator.moment(from, 0).addingTimeInterval(-86_400),
                                       to: context.calculator.moment(last.adding(days: 1), 0).addingTimeInterval(86_400), on: connection)
            let earliest = self.earliest
            var days: [CalendarDate] = []
            var day = from
            while day <= last {
                if !context.calculator.slots(on: day, durationMinutes: context.durationMinutes, branchID: context.branchID, busy: taken,
                                             earliest: earliest, doctorID: doctorID).isEmpty {
                    days.append(day)
                }
                day = day.adding(days: 1)
            }
            return days
        }
    }
}
