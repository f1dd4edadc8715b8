import FlowEngine
import Foundation
import PostgresNIO

extension LocalClinic {
    static let noOverlap = "appointments_no_overlap"

    public func book(telegramUserID: Int64, doctorID: Int64, serviceID: Int64, start: Date, source: String) async throws -> Appointment {
        let id: Int64
        do {
            id = try await client.withTransaction(logger: logger) { connection in
                try await book(telegramUserID: telegramUserID, doctorID: doctorID, serviceID: serviceID, start: start, source: source,
                               actor: .telegram(telegramUserID), on: connection)
            }
        } catch {
            if PostgresErrors.isExclusionViolation(error, of: Self.noOverlap) { throw ClinicRefusal.slotTaken }
            throw PostgresErrors.bodyError(of: error)
        }
        return try await appointment(id: id)
    }

    /// Books inside the caller's transaction and returns the new appointment's id; `book` runs it
    /// in a transaction of its own, the demo clinic inside the one that writes everything.
    func book(telegramUserID: Int64, doctorID: Int64, serviceID: Int64, start: Date, source: String, actor: AuditActor,
              on connection: PostgresConnection) async throws -> Int64 {
        let patientID = try await patient(telegramUserID: telegramUserID, on: connection)
        if source == AppointmentSource.telegram.rawValue {
            // The patient's row is locked so two bookings at once cannot both pass the count.
            try await connection.query("SELECT 1 FROM patients WHERE id = \(patientID) FOR UPDATE", logger: logger)
            let upcoming = try await connection.query("""
                SELECT count(*) FROM appointments
                WHERE patient_id = \(patientID) AND starts_at > now() AND status IN ('held', 'booked', 'confirmed')
                """, logger: logger).collect()[0].decode(Int64.self)
            if upcoming >= policy.maxUpcoming { throw ClinicRefusal.tooManyUpcoming }
        }
        let date = Moment.localParts(start, policy.timeZone).date
        // Only a slot the doctor really offers: on the grid, inside the schedule, not past.
        let (context, free) = try await slots(doctorID: doctorID, serviceID: serviceID, date: date, on: connection)
        guard let slot = free.first(where: { $0.start == start }) else {
            throw try await isTaken(doctorID: doctorID, start: start, context: context, on: connection) ? ClinicRefusal.slotTaken : ClinicRefusal.notBookable
        }
        let busyUntil = slot.end.addingTimeInterval(TimeInterval(context.calculator.gapMinutes * 60))
        // A prepaid service booked by the patient waits for the money; the registry (the API)
        // takes it at the desk. Nothing to pay, nothing to wait for.
        var holdUntil: Date?
        if let hold = policy.prepaymentHold, context.prepaymentRequired, context.priceTenge > 0, source == AppointmentSource.telegram.rawValue {
            holdUntil = now().addingTimeInterval(Double(hold.components.seconds) + Double(hold.components.attoseconds) / 1e18)
        }
        let id = try await connection.query("SELECT nextval('appointments_id_seq')", logger: logger).collect()[0].decode(Int64.self)
        try await connection.query("""
            INSERT INTO appointments (id, code, patient_id, doctor_id, service_id, branch_id, starts_at, ends_at, busy_until, source, price_tenge,
                                      status, hold_until)
            VALUES (\(id), \(AppointmentCode.make(id: id)), \(patientID), \(doctorID), \(serviceID), \(slot.branchID), \(slot.start), \(slot.end), \(busyUntil),
                    \(AppointmentSource(rawValue: source)?.rawValue ?? "api"), \(context.priceTenge),
                    \(holdUntil == nil ? AppointmentStatus.booked.rawValue : AppointmentStatus.held.rawValue), \(holdUntil))
            """, logger: logger)
        var details: [String: Value] = ["doctor_id": .int(Int(doctorID)), "service_id": .int(Int(serviceID)),
                                        "starts_at": .string(Moment.format(slot.start)), "source": .string(source)]
        if let holdUntil { details["held_until"] = .string(Moment.format(holdUntil)) }
        try await AuditLog.record(
            AuditEntry(actor: actor, action: "appointment.create", objectType: "appointment", objectID: String(id), details: details),
            on: connection, logger: logger)
        return id
    }

    /// Whether `start` is a slot only because someone else holds it (as opposed to never offered).
    func isTaken(doctorID: Int64, start: Date, context: BookingContext, on connection: PostgresConnection) async throws -> Bool {
        let date = Moment.localParts(start, policy.timeZone).date
        let free = context.calculator.slots(on: date, durationMinutes: context.durationMinutes, branchID: context.branchID, busy: [],
                                            earliest: earliest, doctorID: doctorID)
        return free.contains { $0.start == start }
    }

    public func appointments(telegramUserID: Int64) async throws -> PatientAppointments {
        let patientID = try await client.withConnection { try await patient(telegramUserID: telegramUserID, on: $0) }
        let all = try await fetch(where: "a.patient_id = $1", patientID)
        let now = self.now()
        return PatientAppointments(
            upcoming: all.filter { $0.start >= now && $0.status.isLive && $0.status != .completed && $0.status != .noShow },
            past: all.filter { !($0.start >= now && $0.status.isLive && $0.status != .completed && $0.status != .noShow) }.reversed())
    }

    public func reschedule(appointmentID: Int64, telegramUserID: Int64, start: Date) async throws -> Appointment {
        do {
            try await client.withTransaction(logger: logger) { connection in
                let current = try await ownAppointment(appointmentID, telegramUserID: telegramUserID, on: connection)
                try checkChangeable(current)
                let date = Moment.localParts(start, policy.timeZone).date
                // The appointment's own time does not count as busy: moving by one step works.
                let (context, free) = try await slots(doctorID: current.doctorID, serviceID: current.serviceID, date: date,
                                                      excluding: appointmentID, on: connection)
                guard let slot = free.first(where: { $0.start == start }) else {
                    throw try await isTaken(doctorID: current.doctorID, start: start, context: context, on: connection) ? ClinicRefusal.slotTaken : ClinicRefusal.notBookable
                }
                let busyUntil = slot.end.addingTimeInterval(TimeInterval(context.calculator.gapMinutes * 60))
                // One UPDATE: the old time is released only as the new one is taken.
                try await connection.query("""
                    UPDATE appointments SET starts_at = \(slot.start), ends_at = \(slot.end), busy_until = \(busyUntil),
                           branch_id = \(slot.branchID), updated_at = now(),
                           reminded_day_before_at = NULL, reminded_3h_before_at = NULL, reminded_1h_before_at = NULL
                    WHERE id = \(appointmentID)
                    """, logger: logger)
                try await AuditLog.record(
                    AuditEntry(actor: .telegram(telegramUserID), action: "appointment.reschedule", objectType: "appointment", objectID: String(appointmentID),
                               details: ["from": .string(Moment.format(current.start)), "to": .string(Moment.format(slot.start))]),
                    on: connection, logger: logger)
            }
        } catch {
            if PostgresErrors.isExclusionViolation(error, of: Self.noOverlap) { throw ClinicRefusal.slotTaken }
            throw PostgresErrors.bodyError(of: error)
        }
        return try await appointment(id: appointmentID)
    }

    public func cancel(appointmentID: Int64, telegramUserID: Int64) async throws -> Appointment {
        do {
            try await client.withTransaction(logger: logger) { connection in
                // The visit's invoices first, in the order a payment takes its locks (invoice,
                // then appointment): a payment arriving now is either before this or refused.
                try await connection.query("SELECT 1 FROM bot_invoices WHERE appointment_id = \(appointmentID) ORDER BY id FOR UPDATE", logger: logger)
                let current = try await ownAppointment(appointmentID, telegramUserID: telegramUserID, on: connection)
                try checkChangeable(current, cancelling: true)
                try await connection.query("""
                    UPDATE appointments SET status = 'cancelled', cancelled_at = now(), updated_at = now() WHERE id = \(appointmentID)
                    """, logger: logger)
                try await AuditLog.record(
                    AuditEntry(actor: .telegram(telegramUserID), action: "appointment.cancel", objectType: "appointment", objectID: String(appointmentID)),
                    on: connection, logger: logger)
                try await PrepaidVisits.cancelled(appointmentID, actor: .telegram(telegramUserID), on: connection, logger: logger)
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
        return try await appointment(id: appointmentID)
    }

    /// Booked or confirmed and not yet within the cut-off before its start; or, to cancel, held
    /// for its prepayment (at any time). A held time is not moved: it is released or paid.
    func checkChangeable(_ appointment: Appointment, cancelling: Bool = false) throws {
        guard appointment.status == .booked || appointment.status == .confirmed || (cancelling && appointment.status == .held)
        else { throw ClinicRefusal.notChangeable }
        // An unpaid hold is given back whenever the patient lets it go: the cut-off protects
        // the doctor's day from late cancellations, and a hold was never in it.
        if appointment.status == .held { return }
        let cutoff = appointment.start.addingTimeInterval(-TimeInterval(policy.cancellationCutoff.components.seconds))
        guard now() < cutoff else { throw ClinicRefusal.tooLate }
    }

    /// The patient linked to a Telegram user.
    func patient(telegramUserID: Int64, on connection: PostgresConnection) async throws -> Int64 {
        guard let id = try await connection.query("""
            SELECT patient_id FROM patient_telegram_links WHERE telegram_user_id = \(telegramUserID) AND is_active
            """, logger: logger).collect().first.map({ try $0.decode(Int64.self) }) else { throw ClinicRefusal.patientNotFound }
        return id
    }

    /// The appointment, locked, if it belongs to the patient linked to this Telegram user;
    /// someone else's appointment is `.notFound`, exactly like a missing one (no guessing ids).
    func ownAppointment(_ id: Int64, telegramUserID: Int64, on connection: PostgresConnection) async throws -> Appointment {
        let patientID = try await patient(telegramUserID: telegramUserID, on: connection)
        let locked = try await connection.query("""
            SELECT id FROM appointments WHERE id = \(id) AND patient_id = \(patientID) FOR UPDATE
            """, logger: logger).collect()
        guard !locked.isEmpty, let appointment = try await fetch(where: "a.id = $1", id, on: connection).first else { throw ClinicRefusal.notFound }
        return appointment
    }

    func appointment(id: Int64) async throws -> Appointment {
        guard let found = try await fetch(where: "a.id = $1", id).first else { throw ClinicRefusal.notFound }
        return found
    }

    func fetch(where condition: String, _ value: Int64, on connection: PostgresConnection? = nil) async throws -> [Appointment] {
        var bindings = PostgresBindings()
        bindings.append(value)
        // `condition` is one of this file's constant strings, never input.
        let query = PostgresQuery(unsafeSQL: """
            SELECT a.id, a.code, a.patient_id, a.doctor_id, a.service_id, a.branch_id, a.starts_at, a.ends_at, a.status, a.source, a.price_tenge,
                   d.full_name_ru, d.full_name_kk, s.name_ru, s.name_kk, b.name_ru, b.name_kk, b.address_ru, b.address_kk, a.hold_until
            FROM appointments a
            JOIN doctors d ON d.id = a.doctor_id JOIN services s ON s.id = a.service_id JOIN branches b ON b.id = a.branch_id
            WHERE \(condition)
            ORDER BY a.starts_at
            """, binds: bindings)
        let rows: [PostgresRow]
        if let connection { rows = try await connection.query(query, logger: logger).collect() }
        else { rows = try await client.query(query, logger: logger).collect() }
        return try rows.map { row in
            let r = try row.decode((Int64, String, Int64, Int64, Int64, Int64, Date, Date, String, String, Int,
                                    String, String, String, String, String, String, String, String, Date?).self)
            return Appointment(id: r.0, code: r.1, patientID: r.2, doctorID: r.3, serviceID: r.4, branchID: r.5, start: r.6, end: r.7,
                               status: AppointmentStatus(rawValue: r.8) ?? .booked, source: r.9, priceTenge: r.10,
                               doctorName: .init(ru: r.11, kk: r.12), serviceName: .init(ru: r.13, kk: r.14),
                               branchName: .init(ru: r.15, kk: r.16), branchAddress: .init(ru: r.17, kk: r.18), holdUntil: r.19)
        }
    }
}

/// Where a booking came from.
enum AppointmentSource: String {
    case telegram, api, registry
}

/// Short appointment numbers a patient can read out: seven characters without look-alikes
/// (no 0/O, 1/I/L). The id is scrambled by a bijection of 0..<31⁷, so codes are unique without
/// a retry loop and do not reveal how many appointments the clinic has.
enum AppointmentCode {
    static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    static let space: Int64 = 27_512_614_111  // 31^7
    /// Coprime with 31, so multiplying by it permutes 0..<31⁷.
    static let multiplier: Int64 = 1_000_003

    static func make(id: Int64) -> String {
        var n = (id % space).multipliedReportingOverflow(by: multiplier).partialValue % space
        if n < 0 { n += space }
        var characters: [Character] = []
        for _ in 0..<7 {
            characters.append(alphabet[Int(n % 31)])
            n /= 31
        }
        return String(characters)
    }
}
