import ClinicContract
import FlowEngine
import Foundation

/// `doctors.list`: the doctors who provide a service; with a date, only those with free time then.
public struct DoctorsListAction: Action {
    public static let signature = ActionSignature(
        name: "doctors.list",
        summary: "Doctors providing a service (free on the date, when given), labelled \"Full name — specialty\"",
        parameters: [.init("service_id", .int), .init("date", .date, required: false)],
        outcomes: ["ok"],
        resultFields: ["items"])

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let a = ActionArguments(arguments)
        let serviceID = try a.id("service_id"), date = try a.optionalDate("date")
        let view = ClinicView(locale: context.locale, timeZone: timeZone)
        return .ok(["items": .list(try await clinic.doctors(serviceID: serviceID, date: date).map(view.doctor))])
    }
}
