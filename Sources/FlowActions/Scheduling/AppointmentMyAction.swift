import ClinicContract
import FlowEngine
import Foundation

/// `appointment.my`: this Telegram user's appointments, upcoming (soonest first) and past
/// (latest first, cancelled ones included).
public struct AppointmentMyAction: Action {
    public static let signature = ActionSignature(
        name: "appointment.my",
        summary: "The patient's upcoming and past appointments with labels",
        parameters: [],
        outcomes: ["ok", "patient_not_found"],
        resultFields: ["upcoming", "past", "count_upcoming"])

    /// A chat shows a page of history, not years of it.
    static let pastLimit = 20

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let mine: PatientAppointments
        do {
            mine = try await clinic.appointments(telegramUserID: context.telegramUserID)
        } catch ClinicRefusal.patientNotFound {
            return ActionResult(outcome: "patient_not_found")
        }
        let view = ClinicView(locale: context.locale, timeZone: timeZone)
        return .ok([
            "upcoming": .list(mine.upcoming.map(view.appointment)),
            "past": .list(mine.past.prefix(Self.pastLimit).map(view.appointment)),
            "count_upcoming": .int(mine.upcoming.count),
        ])
    }
}
