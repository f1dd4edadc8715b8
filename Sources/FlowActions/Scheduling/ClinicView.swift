import ClinicContract
import FlowEngine
import Foundation

/// The clinic's objects as values flows show: ids to pass back, raw ISO moments, and
/// ready-made labels in the person's language, with times in the clinic's zone.
struct ClinicView: Sendable {
    let language: Language
    let timeZone: TimeZone

    init(locale: String, timeZone: TimeZone) {
        // The context's locale is "ru" or "kk"; anything else falls back to Russian, the language
        // every patient of the clinic reads.
        self.language = Language(rawValue: locale) ?? .ru
        self.timeZone = timeZone
    }

    func branch(_ branch: ClinicContract.Branch) -> Value {
        let name = branch.name.text(in: language)
        return .map([
            "id": .int(Int(branch.id)),
            "name": .string(name),
            "address": .string(branch.address.text(in: language)),
            "phone": .string(branch.phone),
            "working_hours": .string(branch.workingHours.text(in: language)),
            "latitude": branch.latitude.map(Value.double) ?? .null,
            "longitude": branch.longitude.map(Value.double) ?? .null,
            "label": .string(name),
        ])
    }

    /// Label "Консультация терапевта · 30 мин · 7 000 ₸"; "мин" is the usual abbreviation in
    /// Kazakh as well.
    func service(_ service: Service) -> Value {
        let name = service.name.text(in: language)
        return .map([
            "id": .int(Int(service.id)),
            "branch_id": .int(Int(service.branchID)),
            "name": .string(name),
            "duration": .int(service.durationMinutes),
            "price": .int(service.priceTenge),
            "price_text": .string(Money.format(tenge: service.priceTenge)),
            "prepayment_required": .bool(service.prepaymentRequired),
            "osms_covered": .bool(service.osmsCovered),
            "label": .string("\(name) · \(service.durationMinutes) мин · \(Money.format(tenge: service.priceTenge))"),
        ])
    }

    /// Label "Серикбаева Айгуль Маратовна — терапевт", with " · 15 000 ₸" when the doctor charges
    /// their own price for the service asked about: the patient sees the price that will be
    /// charged before choosing. `price` is that own price, null when the service's price applies.
    func doctor(_ doctor: Doctor) -> Value {
        let name = doctor.fullName.text(in: language), specialty = doctor.specialty.text(in: language)
        return .map([
            "id": .int(Int(doctor.id)),
            "name": .string(name),
            "specialty": .string(specialty),
            "price": doctor.priceTenge.map { .int($0) } ?? .null,
            "price_text": doctor.priceTenge.map { .string(Money.format(tenge: $0)) } ?? .null,
            "label": .string("\(name) — \(specialty)" + (doctor.priceTenge.map { " · " + Money.format(tenge: $0) } ?? "")),
        ])
    }

    /// Label "09:30", the local start.
    func slot(_ slot: Slot) -> Value {
        .map([
            "start": .string(Moment.format(slot.start)),
            "end": .string(Moment.format(slot.end)),
            "branch_id": .int(Int(slot.branchID)),
            "label": .string(time(slot.start)),
        ])
    }

    /// The fields of an appointment as every appointment action answers it.
    static let appointmentFields = [
        "id", "code", "doctor_id", "service_id", "branch_id", "start", "end", "date_text", "weekday_text", "time_text", "doctor", "service", "branch", "address",
        "price", "price_text", "status", "status_text", "label", "hold_until_text",
    ]

    func appointment(_ appointment: Appointment) -> Value {
        let day = Moment.localParts(appointment.start, timeZone).date
        let service = appointment.serviceName.text(in: language)
        return .map([
            "id": .int(Int(appointment.id)),
            "code": .string(appointment.code),
            // For rescheduling: the same doctor and service, another time.
            "doctor_id": .int(Int(appointment.doctorID)),
            "service_id": .int(Int(appointment.serviceID)),
            "branch_id": .int(Int(appointment.branchID)),
            "start": .string(Moment.format(appointment.start)),
            "end": .string(Moment.format(appointment.end)),
            "date_text": .string(CalendarText.longDate(day, language)),
            "weekday_text": .string(CalendarText.weekdayName(day, language)),
            "time_text": .string(time(appointment.start)),
            "doctor": .string(appointment.doctorName.text(in: language)),
            "service": .string(service),
            "branch": .string(appointment.branchName.text(in: language)),
            "address": .string(appointment.branchAddress.text(in: language)),
            "price": .int(appointment.priceTenge),
            "price_text": .string(Money.format(tenge: appointment.priceTenge)),
            "status": .string(appointment.status.rawValue),
            "status_text": .string(statusText(appointment.status)),
            // A button: "05.03.2026 09:30 · Консультация терапевта".
            "label": .string("\(CalendarText.shortDate(day)) \(time(appointment.start)) · \(service)"),
            // "14:35": until when a held time waits for the prepayment.
            "hold_until_text": appointment.holdUntil.map { .string(time($0)) } ?? .null,
        ])
    }

    func time(_ moment: Date) -> String {
        let parts = Moment.localParts(moment, timeZone)
        return CalendarText.time(hour: parts.hour, minute: parts.minute)
    }

    func statusText(_ status: AppointmentStatus) -> String {
        switch (status, language) {
        case (.held, .ru): return "Ожидает предоплаты"
        case (.held, .kk): return "Алдын ала төлемді күтуде"
        case (.booked, .ru): return "Запланирована"
        case (.booked, .kk): return "Жоспарланған"
        case (.confirmed, .ru): return "Подтверждена"
        case (.confirmed, .kk): return "Расталды"
        case (.arrived, .ru): return "Пациент пришёл"
        case (.arrived, .kk): return "Пациент келді"
        case (.completed, .ru): return "Состоялась"
        case (.completed, .kk): return "Өтті"
        case (.cancelled, .ru): return "Отменена"
        case (.cancelled, .kk): return "Бас тартылды"
        case (.noShow, .ru): return "Неявка"
        case (.noShow, .kk): return "Келмеді"
        }
    }
}
