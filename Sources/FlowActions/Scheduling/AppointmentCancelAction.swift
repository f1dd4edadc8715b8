import ClinicContract
import FlowEngine
import Foundation

/// `appointment.cancel`: cancels the patient's own appointment before the cut-off.
public struct AppointmentCancelAction: Action {
    public static let signature = ActionSignature(
        name: "appointment.cancel",
        summary: "Cancel this Telegram user's appointment",
        parameters: [.init("appointment_id", .int)],
        outcomes: ["ok", "too_late", "not_found", "not_changeable"],
        resultFields: ClinicView.appointmentFields)

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let appointmentID = try ActionArguments(arguments).id("appointment_id")
        do {
            let cancelled = try await clinic.cancel(appointmentID: appointmentID, telegramUserID: context.telegramUserID)
            return .ok(ClinicView(locale: context.locale, timeZone: timeZone).appointment(cancelled))
        } catch let refusal as ClinicRefusal {
            switch refusal {
            case .tooLate: return ActionResult(outcome: "too_late")
            case .notFound, .patientNotFound: return ActionResult(outcome: "not_found")
            case .notChangeable: return ActionResult(outcome: "not_changeable")
            case .slotTaken, .notBookable, .serviceNotProvided, .tooManyUpcoming: throw refusal
            }
        }
    }
}
