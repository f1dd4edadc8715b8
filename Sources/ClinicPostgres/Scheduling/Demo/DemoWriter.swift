import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// The inserts of one demo seeding, on the seeding's transaction; remembers the ids it made so
/// later rows can refer to them.
struct DemoWriter {
    let connection: PostgresConnection
    let logger: Logger
    let today: CalendarDate
    private(set) var counts = DemoSeeder.Counts()
    private var branchIDs: [DemoClinic.City: Int64] = [:]
    private var serviceIDs: [DemoClinic.City: [DemoClinic.ServiceKey: Int64]] = [:]
    private var doctorIDs: [String: (id: Int64, entry: DemoClinic.DoctorEntry)] = [:]

    init(connection: PostgresConnection, logger: Logger, today: CalendarDate) {
        self.connection = connection
        self.logger = logger
        self.today = today
    }

    private func id(_ query: PostgresQuery) async throws -> Int64 {
        try await connection.query(query, logger: logger).collect()[0].decode(Int64.self)
    }

    private func run(_ query: PostgresQuery) async throws {
        _ = try await connection.query(query, logger: logger).collect()
    }

    /// Branches, and in each the catalogue's services its doctors provide, at the city's prices.
    mutating func writeCatalogue() async throws {
        for branch in DemoClinic.branches {
            let branchID = try await id("""
                INSERT INTO branches (name_ru, name_kk, address_ru, address_kk, phone, latitude, longitude, working_hours_ru, working_hours_kk)
                VALUES (\(branch.name.ru), \(branch.name.kk), \(branch.address.ru), \(branch.address.kk), \(branch.phone),
                        \(branch.latitude), \(branch.longitude), \(branch.workingHours.ru), \(branch.workingHours.kk))
                RETURNING id
                """)
            branchIDs[branch.key] = branchID
            counts.branches += 1
            let offered = Set(DemoClinic.doctors.filter { $0.city == branch.key }.flatMap(\.services))
            for service in DemoClinic.services where offered.contains(service.key) {
                let price = DemoClinic.price(service.priceTenge, percent: branch.pricePercent)
                serviceIDs[branch.key, default: [:]][service.key] = try await id("""
                    INSERT INTO services (branch_id, name_ru, name_kk, duration_minutes, price_tenge, prepayment_required, osms_covered)
                    VALUES (\(branchID), \(service.name.ru), \(service.name.kk), \(service.durationMinutes), \(price),
                            \(service.prepaymentRequired), \(service.osmsCovered))
                    RETURNING id
                    """)
                counts.services += 1
            }
        }
    }

    /// Doctors with their branch, services, weekly schedule, absences and the public holidays.
    mutating func writeDoctors() async throws {
        let holidays = DemoClinic.holidays(from: today)
        for doctor in DemoClinic.doctors {
            guard let branchID = branchIDs[doctor.city] else { throw DemoSeedError.unknownDoctor(doctor.fullName.ru) }
            let doctorID = try await id("""
                INSERT INTO doctors (full_name_ru, full_name_kk, specialty_ru, specialty_kk, slot_step_minutes, min_gap_minutes)
                VALUES (\(doctor.fullName.ru), \(doctor.fullName.kk), \(doctor.specialty.ru), \(doctor.specialty.kk),
                        \(doctor.slotStepMinutes), \(doctor.minGapMinutes))
                RETURNING id
                """)
            doctorIDs[doctor.fullName.ru] = (doctorID, doctor)
            counts.doctors += 1
            try await run("INSERT INTO doctor_branches (doctor_id, branch_id) VALUES (\(doctorID), \(branchID))")
            for service in doctor.services {
                guard let serviceID = serviceIDs[doctor.city]?[service] else {
                    throw DemoSeedError.serviceNotOffered(doctor: doctor.fullName.ru, service: service.rawValue)
                }
                try await run("""
                    INSERT INTO doctor_services (doctor_id, service_id, price_override_tenge)
                    VALUES (\(doctorID), \(serviceID), \(doctor.priceOverrides[service]))
                    """)
            }
            for shift in doctor.week {
                for weekday in shift.weekdays {
                    let scheduleID = try await id("""
                        INSERT INTO doctor_schedules (doctor_id, branch_id, weekday, starts, ends)
                        VALUES (\(doctorID), \(branchID), \(weekday), \(DemoClinic.clock(shift.start))::time, \(DemoClinic.clock(shift.end))::time)
                        RETURNING id
                        """)
                    counts.schedules += 1
                    for pause in shift.breaks {
                        try await run("""
                            INSERT INTO schedule_breaks (schedule_id, starts, ends)
                            VALUES (\(scheduleID), \(DemoClinic.clock(pause.start))::time, \(DemoClinic.clock(pause.end))::time)
                            """)
                    }
                }
            }
            for absence in doctor.absences {
                let e = doctor.exception(absence, today: today, holidays: holidays)
                try await exception(doctorID, from: e.from, to: e.to, kind: e.kind, hours: e.hours, note: e.note)
            }
            for closed in holidays {
                try await exception(doctorID, from: closed.from, to: closed.to, kind: .dayOff, hours: nil, note: closed.note)
            }
        }
    }

    private mutating func exception(_ doctorID: Int64, from: CalendarDate, to: CalendarDate, kind: ScheduleException.Kind,
                                     hours: ClosedOpen?, note: String) async throws {
        try await run("""
            INSERT INTO schedule_exceptions (doctor_id, date_from, date_to, kind, starts, ends, note)
            VALUES (\(doctorID), \(from.iso)::date, \(to.iso)::date, \(kind.rawValue),
                    \(hours.map { DemoClinic.clock($0.start) })::time, \(hours.map { DemoClinic.clock($0.end) })::time, \(note))
            """)
        counts.exceptions += 1
    }

    /// The consents of the demo patients, as if signed on the desk's paper form.
    static let demoForm = ConsentWording(key: "demo.desk_form", text: "Demo clinic: consent form signed at the desk", language: nil)

    /// Patients registered as the bot registers them, with visits booked as the bot books them;
    /// visits in the past are written as completed, as the registry desk would.
    mutating func writePatients(store: PatientStore, clinic: LocalClinic, actor: AuditActor) async throws {
        for (index, patient) in DemoClinic.patients.enumerated() {
            let draft = try PatientDraft(
                telegramUserID: patient.telegramUserID, telegramUsername: nil, language: patient.language.rawValue,
                firstName: patient.firstName, lastName: patient.lastName, middleName: patient.middleName,
                phone: patient.phone, birthDate: patient.birthDate, sex: patient.sex.rawValue, iin: patient.iin,
                consents: PatientConsents(personalData: true, medicalIntervention: true, wording: Self.demoForm, channel: .desk),
                today: today)
            guard case .saved(let saved) = try await store.upsert(draft, actor: actor, on: connection) else {
                throw DemoSeedError.patientRefused(index: index)
            }
            counts.patients += 1
            for visit in patient.visits {
                guard let doctor = doctorIDs[visit.doctor] else { throw DemoSeedError.unknownDoctor(visit.doctor) }
                guard let serviceID = serviceIDs[doctor.entry.city]?[visit.service], doctor.entry.services.contains(visit.service) else {
                    throw DemoSeedError.serviceNotOffered(doctor: visit.doctor, service: visit.service.rawValue)
                }
                if visit.days > 0 {
                    try await book(visit, doctorID: doctor.id, serviceID: serviceID, telegramUserID: patient.telegramUserID,
                                   clinic: clinic, actor: actor)
                } else {
                    try await recordPast(visit, doctorID: doctor.id, serviceID: serviceID, patientID: saved.patientID, clinic: clinic)
                }
                counts.appointments += 1
            }
        }
    }

    /// Books the first free slot from the visit's day on, at or after its time of day if possible.
    private func book(_ visit: DemoClinic.Visit, doctorID: Int64, serviceID: Int64, telegramUserID: Int64,
                      clinic: LocalClinic, actor: AuditActor) async throws {
        var day = today.adding(days: visit.days)
        for _ in 0..<21 {
            let (_, free) = try await clinic.slots(doctorID: doctorID, serviceID: serviceID, date: day, on: connection)
            if let slot = free.first(where: { minuteOfDay($0.start, clinic) >= visit.notBefore }) ?? free.last {
                _ = try await clinic.book(telegramUserID: telegramUserID, doctorID: doctorID, serviceID: serviceID, start: slot.start,
                                          source: "telegram", actor: actor, on: connection)
                return
            }
            day = day.adding(days: 1)
        }
        throw DemoSeedError.noFreeSlot(doctor: visit.doctor)
    }

    /// A completed visit on the visit's day or the nearest working day before it.
    private func recordPast(_ visit: DemoClinic.Visit, doctorID: Int64, serviceID: Int64, patientID: Int64, clinic: LocalClinic) async throws {
        // Past holidays too: the clinic was closed then.
        let closed = DemoClinic.holidays(from: today.adding(days: -400))
        var day = today.adding(days: visit.days)
        for _ in 0..<21 {
            defer { day = day.adding(days: -1) }
            if closed.contains(where: { $0.from <= day && day <= $0.to }) { continue }
            let (from, to) = clinic.dayBounds(day)
            let (context, busy) = try await clinic.context(doctorID: doctorID, serviceID: serviceID, busyFrom: from, to: to, on: connection)
            let free = context.calculator.slots(on: day, durationMinutes: context.durationMinutes, branchID: context.branchID,
                                                busy: busy, earliest: .distantPast, doctorID: doctorID)
            if let slot = free.first(where: { minuteOfDay($0.start, clinic) >= visit.notBefore }) ?? free.last {
                let busyUntil = slot.end.addingTimeInterval(TimeInterval(context.calculator.gapMinutes * 60))
                let id = try await id("SELECT nextval('appointments_id_seq')")
                // Booked a few days ahead, as patients do.
                let bookedAt = slot.start.addingTimeInterval(-3 * 86_400)
                try await run("""
                    INSERT INTO appointments (id, code, patient_id, doctor_id, service_id, branch_id, starts_at, ends_at, busy_until,
                                              status, source, price_tenge, created_at, updated_at)
                    VALUES (\(id), \(AppointmentCode.make(id: id)), \(patientID), \(doctorID), \(serviceID), \(slot.branchID),
                            \(slot.start), \(slot.end), \(busyUntil), 'completed', 'registry', \(context.priceTenge), \(bookedAt), \(slot.end))
                    """)
                return
            }
        }
        throw DemoSeedError.noFreeSlot(doctor: visit.doctor)
    }

    private func minuteOfDay(_ moment: Date, _ clinic: LocalClinic) -> Int {
        let parts = Moment.localParts(moment, clinic.policy.timeZone)
        return parts.hour * 60 + parts.minute
    }
}
