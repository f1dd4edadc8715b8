import ClinicContract
@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation

/// An in-memory clinic with one branch, two services, two doctors and three free slots on
/// `FakeClinic.day`, enough to drive every route and every refusal.
actor FakeClinic: Clinic {
    static let branchID: Int64 = 1
    static let serviceID: Int64 = 10
    /// A service no doctor provides.
    static let orphanServiceID: Int64 = 11
    static let doctorID: Int64 = 100
    /// A doctor who provides no service.
    static let idleDoctorID: Int64 = 101
    /// Telegram users with a patient card.
    static let patient: Int64 = 42
    static let otherPatient: Int64 = 43
    /// A day with slots, far enough ahead never to be in the past.
    static let day = try! CalendarDate(year: 2031, month: 3, day: 5)
    /// Its free slots: 09:00, 09:30 and 10:00 in Almaty.
    static let slotStarts = ["2031-03-05T04:00:00Z", "2031-03-05T04:30:00Z", "2031-03-05T05:00:00Z"].map { Moment.parse($0)! }
    /// An appointment of `patient` that starts in 30 minutes: past the cut-off.
    static let soonAppointmentID: Int64 = 900
    /// An appointment of `patient` that is cancelled.
    static let cancelledAppointmentID: Int64 = 901

    /// When set, every call fails as a dead database would.
    var storageDown = false
    private var appointments: [Int64: (telegramUserID: Int64, appointment: Appointment)] = [:]
    private var nextID: Int64 = 1000
    /// What `book` was last called with, to check the routes pass arguments through.
    private(set) var lastSource: String?

    init() {
        let soon = Date().addingTimeInterval(30 * 60)
        appointments[Self.soonAppointmentID] = (Self.patient, Self.appointment(id: Self.soonAppointmentID, start: soon))
        var cancelled = Self.appointment(id: Self.cancelledAppointmentID, start: Self.slotStarts[0].addingTimeInterval(86_400))
        cancelled.status = .cancelled
        appointments[Self.cancelledAppointmentID] = (Self.patient, cancelled)
    }

    func failStorage() { storageDown = true }

    struct StorageDown: Error {}

    private func checkStorage() throws {
        if storageDown { throw StorageDown() }
    }

    static let branch = Branch(
        id: branchID, name: LocalizedText(ru: "Алматы, Абая", kk: "Алматы, Абай"),
        address: LocalizedText(ru: "пр. Абая, 1", kk: "Абай даңғылы, 1"), phone: "+77270000000",
        latitude: 43.24, longitude: 76.91, workingHours: LocalizedText(ru: "Пн–Пт 8:00–20:00", kk: "Дс–Жм 8:00–20:00"))

    static let services = [
        Service(
            id: serviceID, branchID: branchID, name: LocalizedText(ru: "Терапевт", kk: "Терапевт"), durationMinutes: 30,
            priceTenge: 8000, prepaymentRequired: false, osmsCovered: true, onlineBooking: true),
        Service(
            id: orphanServiceID, branchID: branchID, name: LocalizedText(ru: "МРТ", kk: "МРТ"), durationMinutes: 60,
            priceTenge: 30000, prepaymentRequired: true, osmsCovered: false, onlineBooking: true),
    ]

    static let doctors = [
        Doctor(
            id: doctorID, fullName: LocalizedText(ru: "Ахметова Айгуль", kk: "Ахметова Айгүл"),
            specialty: LocalizedText(ru: "терапевт", kk: "терапевт"), branchIDs: [branchID], slotStepMinutes: 30,
            minGapMinutes: 0, priceTenge: nil),
        Doctor(
            id: idleDoctorID, fullName: LocalizedText(ru: "Иванов Иван", kk: "Иванов Иван"),
            specialty: LocalizedText(ru: "хирург", kk: "хирург"), branchIDs: [branchID], slotStepMinutes: 30,
            minGapMinutes: 0, priceTenge: nil),
    ]

    static func appointment(id: Int64, start: Date, doctorID: Int64 = doctorID) -> Appointment {
        Appointment(
            id: id, code: "A\(id)", patientID: 7, doctorID: doctorID, serviceID: serviceID, branchID: branchID,
            start: start, end: start.addingTimeInterval(30 * 60), status: .booked, source: "api", priceTenge: 8000,
            doctorName: doctors[0].fullName, serviceName: services[0].name, branchName: branch.name,
            branchAddress: branch.address)
    }

    func branches() async throws -> [ClinicContract.Branch] {
        try checkStorage()
        return [Self.branch]
    }

    func services(branchID: Int64?) async throws -> [Service] {
        try checkStorage()
        // Like LocalClinic: an unknown branch simply has no services.
        return branchID == nil || branchID == Self.branchID ? Self.services : []
    }

    func doctors(serviceID: Int64?, date: CalendarDate?) async throws -> [Doctor] {
        try checkStorage()
        guard let serviceID else { return Self.doctors }
        guard serviceID == Self.serviceID, date == nil || date == Self.day else { return [] }
        return [Self.doctors[0]]
    }

    private func freeStarts(doctorID: Int64, serviceID: Int64?, date: CalendarDate) throws -> [Date] {
        guard Self.doctors.contains(where: { $0.id == doctorID }) else { throw ClinicRefusal.notFound }
        if let serviceID {
            guard Self.services.contains(where: { $0.id == serviceID }) else { throw ClinicRefusal.notFound }
            guard doctorID == Self.doctorID, serviceID == Self.serviceID else { throw ClinicRefusal.serviceNotProvided }
        }
        guard doctorID == Self.doctorID, date == Self.day else { return [] }
        let taken = Set(appointments.values.filter { $0.appointment.status.isLive }.map(\.appointment.start))
        return Self.slotStarts.filter { !taken.contains($0) }
    }

    func slots(doctorID: Int64, serviceID: Int64?, date: CalendarDate) async throws -> [Slot] {
        try checkStorage()
        return try freeStarts(doctorID: doctorID, serviceID: serviceID, date: date).map {
            Slot(doctorID: doctorID, branchID: Self.branchID, start: $0, end: $0.addingTimeInterval(30 * 60))
        }
    }

    func bookableDays(doctorID: Int64, serviceID: Int64?, from: CalendarDate, to: CalendarDate) async throws -> [CalendarDate] {
        try checkStorage()
        guard from <= Self.day, Self.day <= to else {
            _ = try freeStarts(doctorID: doctorID, serviceID: serviceID, date: from)
            return []
        }
        return try freeStarts(doctorID: doctorID, serviceID: serviceID, date: Self.day).isEmpty ? [] : [Self.day]
    }

    private func checkPatient(_ telegramUserID: Int64) throws {
        guard [Self.patient, Self.otherPatient].contains(telegramUserID) else { throw ClinicRefusal.patientNotFound }
    }

    func book(telegramUserID: Int64, doctorID: Int64, serviceID: Int64, start: Date, source: String) async throws -> Appointment {
        try checkStorage()
        try checkPatient(telegramUserID)
        guard Self.services.contains(where: { $0.id == serviceID }) else { throw ClinicRefusal.notFound }
        guard Self.doctors.contains(where: { $0.id == doctorID }) else { throw ClinicRefusal.notFound }
        guard doctorID == Self.doctorID, serviceID == Self.serviceID else { throw ClinicRefusal.serviceNotProvided }
        guard Self.slotStarts.contains(start) else { throw ClinicRefusal.notBookable }
        guard try freeStarts(doctorID: doctorID, serviceID: serviceID, date: Self.day).contains(start) else {
            throw ClinicRefusal.slotTaken
        }
        lastSource = source
        nextID += 1
        let appointment = Self.appointment(id: nextID, start: start)
        appointments[nextID] = (telegramUserID, appointment)
        return appointment
    }

    func appointments(telegramUserID: Int64) async throws -> PatientAppointments {
        try checkStorage()
        try checkPatient(telegramUserID)
        let own = appointments.values.filter { $0.telegramUserID == telegramUserID }.map(\.appointment).sorted { $0.start < $1.start }
        let now = Date()
        return PatientAppointments(upcoming: own.filter { $0.start >= now }, past: own.filter { $0.start < now })
    }

    /// The patient's own changeable appointment, or the refusal a real clinic gives.
    private func changeable(_ appointmentID: Int64, telegramUserID: Int64) throws -> Appointment {
        try checkPatient(telegramUserID)
        guard let entry = appointments[appointmentID], entry.telegramUserID == telegramUserID else { throw ClinicRefusal.notFound }
        guard entry.appointment.status.isLive else { throw ClinicRefusal.notChangeable }
        guard entry.appointment.start > Date().addingTimeInterval(2 * 3600) else { throw ClinicRefusal.tooLate }
        return entry.appointment
    }

    func reschedule(appointmentID: Int64, telegramUserID: Int64, start: Date) async throws -> Appointment {
        try checkStorage()
        var appointment = try changeable(appointmentID, telegramUserID: telegramUserID)
        guard Self.slotStarts.contains(start) else { throw ClinicRefusal.notBookable }
        guard try freeStarts(doctorID: appointment.doctorID, serviceID: nil, date: Self.day).contains(start) else {
            throw ClinicRefusal.slotTaken
        }
        appointment.start = start
        appointment.end = start.addingTimeInterval(30 * 60)
        appointments[appointmentID] = (telegramUserID, appointment)
        return appointment
    }

    func cancel(appointmentID: Int64, telegramUserID: Int64) async throws -> Appointment {
        try checkStorage()
        var appointment = try changeable(appointmentID, telegramUserID: telegramUserID)
        appointment.status = .cancelled
        appointments[appointmentID] = (telegramUserID, appointment)
        return appointment
    }
}
