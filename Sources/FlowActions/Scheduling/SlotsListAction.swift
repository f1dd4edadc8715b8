import ClinicContract
import FlowEngine
import Foundation

/// `slots.list`: a doctor's free times on one day, labelled with the local time ("09:30").
public struct SlotsListAction: Action {
    public static let signature = ActionSignature(
        name: "slots.list",
        summary: "Free slots of the doctor for the service on a date: start (ISO UTC) and label \"09:30\"",
        parameters: [.init("doctor_id", .int), .init("service_id", .int), .init("date", .date)],
        outcomes: ["ok", "not_found"],
        resultFields: ["items"])

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let a = ActionArguments(arguments)
        let doctorID = try a.id("doctor_id"), serviceID = try a.id("service_id"), date = try a.date("date")
        let slots: [Slot]
        do {
            slots = try await clinic.slots(doctorID: doctorID, serviceID: serviceID, date: date)
        } catch let refusal as ClinicRefusal {
            switch refusal {
            case .notFound, .serviceNotProvided: return ActionResult(outcome: "not_found")
            default: throw refusal
            }
        }
        let view = ClinicView(locale: context.locale, timeZone: timeZone)
        return .ok(["items": .list(slots.map(view.slot))])
    }
}
