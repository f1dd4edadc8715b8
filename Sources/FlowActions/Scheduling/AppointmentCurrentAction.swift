import ClinicContract
import FlowEngine
import Foundation

/// `appointment.current`: the appointment a reminder (or the arrival check, or the rating) is
/// about, as it is now, in the patient's language. A flow the clinic started at a moment planned
/// earlier asks this first: `changed` when the visit was moved since (its reminders follow the
/// new time), cancelled, marked a no-show, or is not this patient's — then it says nothing.
public struct AppointmentCurrentAction: Action {
    public static let signature = ActionSignature(
        name: "appointment.current",
        summary: "The appointment a planned message is about, if it is still at the time planned",
        parameters: [.init("appointment_id", .int), .init("start", .datetime)],
        outcomes: ["ok", "changed"],
        resultFields: ClinicView.appointmentFields)

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("appointment_id")
        let start = try ActionArguments(arguments).moment("start")
        let mine: PatientAppointments
        do {
            mine = try await clinic.appointments(telegramUserID: context.telegramUserID)
        } catch ClinicRefusal.patientNotFound {
            return ActionResult(outcome: "changed")
        }
        guard let appointment = (mine.upcoming + mine.past).first(where: { $0.id == id }),
              appointment.status != .cancelled, appointment.status != .noShow,
              abs(appointment.start.timeIntervalSince(start)) < 1
        else { return ActionResult(outcome: "changed") }
        return .ok(ClinicView(locale: context.locale, timeZone: timeZone).appointment(appointment))
    }
}
