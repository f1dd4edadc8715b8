import ClinicContract
import FlowEngine
import Foundation

/// `slots.days`: the days of a range with at least one free slot, for the calendar picker
/// (`input: { type: date, calendar: true, days: …, min: …, max: … }`).
public struct SlotsDaysAction: Action {
    public static let signature = ActionSignature(
        name: "slots.days",
        summary: "Days from…to with a free slot of the doctor for the service",
        parameters: [.init("doctor_id", .int), .init("service_id", .int), .init("from", .date), .init("to", .date)],
        outcomes: ["ok", "not_found"],
        resultFields: ["days", "first", "last"])

    let clinic: any Clinic

    public init(clinic: any Clinic) { self.clinic = clinic }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let a = ActionArguments(arguments)
        let doctorID = try a.id("doctor_id"), serviceID = try a.id("service_id")
        let from = try a.date("from"), to = try a.date("to")
        let days: [CalendarDate]
        do {
            days = try await clinic.bookableDays(doctorID: doctorID, serviceID: serviceID, from: from, to: to)
        } catch let refusal as ClinicRefusal {
            switch refusal {
            // An unknown doctor or service, or one the doctor stopped providing: a stale choice.
            case .notFound, .serviceNotProvided: return ActionResult(outcome: "not_found")
            default: throw refusal
            }
        }
        return .ok([
            "days": .list(days.map { .string($0.iso) }),
            "first": days.first.map { .string($0.iso) } ?? .null,
            "last": days.last.map { .string($0.iso) } ?? .null,
        ])
    }
}
