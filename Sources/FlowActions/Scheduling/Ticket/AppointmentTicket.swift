import ClinicContract
import FlowEngine
import Foundation

/// The `.ics` file of a booked appointment, as the file value flows send with `say: … file:`.
/// Texts are in the person's language; times are in UTC, so every calendar shows the clinic's
/// local time correctly wherever the phone is.
enum AppointmentTicket {
    static func file(for appointment: Appointment, language: Language, now: Date = Date()) -> Value {
        let service = appointment.serviceName.text(in: language), doctor = appointment.doctorName.text(in: language)
        let branch = appointment.branchName.text(in: language), address = appointment.branchAddress.text(in: language)
        let words = Words(language)
        let event = ICalendar.Event(
            uid: "appointment-\(appointment.id)@clinic-bot",
            stamp: now,
            start: appointment.start,
            end: appointment.end,
            summary: "\(service) — \(doctor)",
            location: "\(branch), \(address)",
            description: "\(words.number): \(appointment.code)\n\(words.doctor): \(doctor)\n\(words.price): \(Money.format(tenge: appointment.priceTenge))",
            alarmBefore: .seconds(2 * 3600),
            alarmText: "\(words.reminder): \(service)")
        let text = ICalendar.file(for: event)
        return .map([
            "name": .string("appointment-\(appointment.code).ics"),
            "mime_type": .string("text/calendar"),
            "base64": .string(Data(text.utf8).base64EncodedString()),
        ])
    }

    struct Words {
        let number: String, doctor: String, price: String, reminder: String
        init(_ language: Language) {
            switch language {
            case .ru: (number, doctor, price, reminder) = ("Номер записи", "Врач", "Стоимость", "Приём в клинике")
            case .kk: (number, doctor, price, reminder) = ("Жазылу нөмірі", "Дәрігер", "Құны", "Клиникада қабылдау")
            }
        }
    }
}
