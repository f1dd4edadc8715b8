import ClinicContract
import FlowEngine
import Foundation

/// `branches.list`: the clinic's branches, to pick one.
public struct BranchesListAction: Action {
    public static let signature = ActionSignature(
        name: "branches.list",
        summary: "The clinic's branches with names, addresses and working hours in the person's language",
        parameters: [],
        outcomes: ["ok"],
        resultFields: ["items"])

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let view = ClinicView(locale: context.locale, timeZone: timeZone)
        return .ok(["items": .list(try await clinic.branches().map(view.branch))])
    }
}
