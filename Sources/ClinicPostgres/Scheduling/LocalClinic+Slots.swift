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
        /// The service is paid before the visit: a booking through the bot holds the time.
        let prepaymentRequired: Bool
    }

    /// Loads, in one round trip, the doctor's step, gap, schedule and exceptions, the service's
    /// duration, branch and price, and the doctor's busy ranges between `from` and `to`.
    /// Throws `.notFound` for an unknown doctor or service, `.serviceNotProvided` when the doctor
    /// does not provide it.
    func context(doctorID: Int64, serviceID: Int64?, busyFrom from: Date = .distantPast, to: Date = .distantPast,
                 excluding appointmentID: Int64? = nil, on connection: PostgresConnection) async throws -> (BookingContext, [BusyRange]) {
        // No visit and gap lasts a day (services are at most 8 hours, gaps 4), so the index on
        // (doctor, start) is read only from a day before `from`, not from the doctor's first visit.
        let earliestStart = from.addingTimeInterval(-86_400)
        let rows = try await connection.query("""
            SELECT d.slot_step_minutes, d.min_gap_minutes,
                   s.duration_minutes, s.branch_id, COALESCE(ds.price_override_tenge, s.price_tenge), ds.doctor_id IS NOT NULL, s.id IS NOT NULL,
                   COALESCE(s.prepayment_required, false),
                   (SELECT COALESCE(json_agg(json_build_array(w.branch_id, w.weekday,
                            (extract(epoch FROM w.starts) / 60)::int, (extract(epoch FROM w.ends) / 60)::int,
                            (SELECT COALESCE(json_agg(json_build_array((extract(epoch FROM b.starts) / 60)::int, (extract(epoch FROM b.ends) / 60)::int)), '[]')
                             FROM schedule_breaks b WHERE b.schedule_id = w.id))), '[]')::text
                    FROM doctor_schedules w WHERE w.doctor_id = d.id),
                   (SELECT COALESCE(json_agg(json_build_array(to_char(e.date_from, 'YYYY-MM-DD'), to_char(e.date_to, 'YYYY-MM-DD'), e.kind,
                            (extract(epoch FROM e.starts) / 60)::int, (extract(epoch FROM e.ends) / 60)::int)), '[]')::text
                    FROM schedule_exceptions e WHERE e.doctor_id = d.id AND e.date_to >= current_date - 1),
                   (SELECT COALESCE(array_agg(extract(epoch FROM a.starts_at)::float8 ORDER BY a.starts_at), '{}')
                    FROM appointments a WHERE a.doctor_id = d.id AND a.status <> 'cancelled' AND a.starts_at < \(to) AND a.starts_at > \(earliestStart) AND a.busy_until > \(from)
                      AND a.id IS DISTINCT FROM \(appointmentID)),
                   (SELECT COALESCE(array_agg(extract(epoch FROM a.busy_until)::float8 ORDER BY a.starts_at), '{}')
                    FROM appointments a WHERE a.doctor_id = d.id AND a.status <> 'cancelled' AND a.starts_at < \(to) AND a.starts_at > \(earliestStart) AND a.busy_until > \(from)
                      AND a.id IS DISTINCT FROM \(appointmentID))
            FROM doctors d
            LEFT JOIN services s ON s.id = \(serviceID) AND s.is_active
            LEFT JOIN doctor_services ds ON ds.service_id = s.id AND ds.doctor_id = d.id
            WHERE d.id = \(doctorID) AND d.is_active
            """, logger: logger).collect()
        guard let row = rows.first else { throw ClinicRefusal.notFound }
        let r = try row.decode((Int, Int, Int?, Int64?, Int?, Bool, Bool, Bool, String, String, [Double], [Double]).self)
        var duration = r.0, branchID: Int64?, price = 0
        if serviceID != nil {
            guard r.6, let serviceDuration = r.2, let serviceBranch = r.3, let servicePrice = r.4 else { throw ClinicRefusal.notFound }
            guard r.5 else { throw ClinicRefusal.serviceNotProvided }
            (duration, branchID, price) = (serviceDuration, serviceBranch, servicePrice)
        }
        let windows = (Self.jsonArrays(r.8)).compactMap { w -> WeeklyWindow? in
            guard w.count == 5, let branch = w[0] as? Int, let weekday = w[1] as? Int, let start = w[2] as? Int, let end = w[3] as? Int,
                  let breaks = w[4] as? [[Int]] else { return nil }
            return WeeklyWindow(branchID: Int64(branch), weekday: weekday, start: start, end: end,
                                breaks: breaks.compactMap { $0.count == 2 ? ClosedOpen($0[0], $0[1]) : nil })
        }
        let exceptions = Self.jsonArrays(r.9).compactMap { e -> ScheduleException? in
            guard e.count == 5, let from = (e[0] as? String).flatMap({ CalendarDate(iso: $0) }), let to = (e[1] as? String).flatMap({ CalendarDate(iso: $0) }),
                  let kind = (e[2] as? String).flatMap(ScheduleException.Kind.init(rawValue:)) else { return nil }
            return ScheduleException(from: from, to: to, kind: kind, hours: (e[3] as? Int).flatMap { s in (e[4] as? Int).map { ClosedOpen(s, $0) } })
        }
        let busy = zip(r.10, r.11).map { BusyRange(start: Date(timeIntervalSince1970: $0), end: Date(timeIntervalSince1970: $1)) }
        let context = BookingContext(
            calculator: SlotCalculator(windows: windows, exceptions: exceptions, stepMinutes: r.0, gapMinutes: r.1, timeZone: policy.timeZone),
            durationMinutes: duration, branchID: branchID, priceTenge: price, prepaymentRequired: serviceID != nil && r.7)
        return (context, busy)
    }

    /// A JSON array of arrays, as PostgreSQL's json_agg wrote it.
    static func jsonArrays(_ text: String) -> [[Any]] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[Any]] ?? []
    }

    /// Slots are offered no sooner than this.
    var earliest: Date { now().addingTimeInterval(TimeInterval(policy.leadTime.components.seconds)) }

    /// The last day patients may book.
    var horizon: CalendarDate { Moment.localParts(now(), policy.timeZone).date.adding(days: policy.horizonDays) }

    /// The day's free slots, with everything loaded in one round trip.
    func slots(doctorID: Int64, serviceID: Int64?, date: CalendarDate, excluding appointmentID: Int64? = nil,
               on connection: PostgresConnection) async throws -> (BookingContext, [Slot]) {
        let (dayStart, dayEnd) = dayBounds(date)
        let (context, taken) = try await context(doctorID: doctorID, serviceID: serviceID, busyFrom: dayStart, to: dayEnd,
                                                 excluding: appointmentID, on: connection)
        guard date <= horizon else { return (context, []) }
        return (context, context.calculator.slots(on: date, durationMinutes: context.durationMinutes, branchID: context.branchID, busy: taken,
                                                  earliest: earliest, doctorID: doctorID))
    }

    /// A day's span with a day's margin each side (a visit may start before midnight in UTC).
    func dayBounds(_ date: CalendarDate) -> (Date, Date) {
        let calculator = SlotCalculator(windows: [], exceptions: [], stepMinutes: 1, gapMinutes: 0, timeZone: policy.timeZone)
        return (calculator.moment(date, 0).addingTimeInterval(-86_400), calculator.moment(date.adding(days: 1), 0).addingTimeInterval(86_400))
    }

    public func slots(doctorID: Int64, serviceID: Int64?, date: CalendarDate) async throws -> [Slot] {
        try await client.withConnection { connection in
            try await slots(doctorID: doctorID, serviceID: serviceID, date: date, on: connection).1
        }
    }

    public func bookableDays(doctorID: Int64, serviceID: Int64?, from: CalendarDate, to: CalendarDate) async throws -> [CalendarDate] {
        let last = min(to, horizon, from.adding(days: 92))
        guard from <= last else { return [] }
        return try await client.withConnection { connection in
            // One query for the whole range; each day is then computed in memory.
            let (context, taken) = try await context(doctorID: doctorID, serviceID: serviceID, busyFrom: dayBounds(from).0,
                                                     to: dayBounds(last).1, on: connection)
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
