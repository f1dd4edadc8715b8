import ClinicContract
import FlowEngine
import Foundation

/// `services.list`: the services patients may book online, of one branch (or of all).
public struct ServicesListAction: Action {
    public static let signature = ActionSignature(
        name: "services.list",
        summary: "Services bookable online, with labels \"Name · 30 мин · 5 000 ₸\"",
        parameters: [.init("branch_id", .int, required: false)],
        outcomes: ["ok"],
        resultFields: ["items"])

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let branchID = try ActionArguments(arguments).optionalID("branch_id")
        let view = ClinicView(locale: context.locale, timeZone: timeZone)
        return .ok(["items": .list(try await clinic.services(branchID: branchID).map(view.service))])
    }
}
