import ClinicContract
import FlowEngine
import Foundation

/// `appointment.create`: books a slot for the patient behind the Telegram user the flow runs for.
///
/// The patient comes from the `ActionContext`, never from arguments: a flow cannot book for
/// someone else. A prepaid service's time is held (`held` true, `hold_until_text`, no ticket)
/// until it is paid (`payments.prepay`); its ticket comes with the payment.
public struct AppointmentCreateAction: Action {
    public static let signature = ActionSignature(
        name: "appointment.create",
        summary: "Book the doctor's slot starting at `start` for this Telegram user's patient",
        parameters: [.init("doctor_id", .int), .init("service_id", .int), .init("start", .datetime)],
        outcomes: ["ok", "slot_taken", "not_bookable", "patient_not_found", "too_many_upcoming"],
        resultFields: ClinicView.appointmentFields + ["ticket", "held"])

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let a = ActionArguments(arguments)
        let doctorID = try a.id("doctor_id"), serviceID = try a.id("service_id"), start = try a.moment("start")
        do {
            let appointment = try await clinic.book(
                telegramUserID: context.telegramUserID, doctorID: doctorID, serviceID: serviceID, start: start, source: "telegram")
            let view = ClinicView(locale: context.locale, timeZone: timeZone)
            // The booked visit, and its calendar file to send with the ticket (a held one has none yet).
            guard case .map(var fields) = view.appointment(appointment) else { return .ok(view.appointment(appointment)) }
            let held = appointment.status == .held
            fields["held"] = .bool(held)
            fields["ticket"] = held ? .null : AppointmentTicket.file(for: appointment, language: view.language)
            return .ok(.map(fields))
        } catch let refusal as ClinicRefusal {
            switch refusal {
            case .slotTaken: return ActionResult(outcome: "slot_taken")
            // A doctor or service gone since the list was shown is, to the patient, a time that
            // cannot be booked: the flow offers to choose again.
            case .notBookable, .notFound, .serviceNotProvided: return ActionResult(outcome: "not_bookable")
            case .patientNotFound: return ActionResult(outcome: "patient_not_found")
            case .tooManyUpcoming: return ActionResult(outcome: "too_many_upcoming")
            case .tooLate, .notChangeable: throw refusal
            }
        }
    }
}
