import ClinicContract
import FlowEngine
import Foundation

/// `appointment.reschedule`: moves the patient's own appointment to another free slot of the
/// same doctor and service.
public struct AppointmentRescheduleAction: Action {
    public static let signature = ActionSignature(
        name: "appointment.reschedule",
        summary: "Move this Telegram user's appointment to the slot starting at `start`",
        parameters: [.init("appointment_id", .int), .init("start", .datetime)],
        outcomes: ["ok", "slot_taken", "not_bookable", "too_late", "not_found", "not_changeable"],
        resultFields: ClinicView.appointmentFields)

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let a = ActionArguments(arguments)
        let appointmentID = try a.id("appointment_id"), start = try a.moment("start")
        do {
            let moved = try await clinic.reschedule(appointmentID: appointmentID, telegramUserID: context.telegramUserID, start: start)
            return .ok(ClinicView(locale: context.locale, timeZone: timeZone).appointment(moved))
        } catch let refusal as ClinicRefusal {
            switch refusal {
            case .slotTaken: return ActionResult(outcome: "slot_taken")
            case .notBookable, .serviceNotProvided: return ActionResult(outcome: "not_bookable")
            case .tooLate: return ActionResult(outcome: "too_late")
            // Someone else's appointment reads exactly like a missing one.
            case .notFound, .patientNotFound: return ActionResult(outcome: "not_found")
            case .notChangeable: return ActionResult(outcome: "not_changeable")
            // Moving a visit never adds one: the limit is not checked here.
            case .tooManyUpcoming: throw refusal
            }
        }
    }
}
