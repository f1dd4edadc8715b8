import ClinicContract
import FlowEngine
import Foundation

/// `appointment.get`: one of the patient's own appointments as it is now, whatever its status,
/// with its ticket file while it is booked (what a flow the clinic started says: the prepaid
/// visit's ticket, a held time given back). Someone else's is `not_found`, like a missing one.
public struct AppointmentGetAction: Action {
    public static let signature = ActionSignature(
        name: "appointment.get",
        summary: "One of the patient's own appointments, any status; `ticket` (the calendar file) while it is booked",
        parameters: [.init("appointment_id", .int)],
        outcomes: ["ok", "not_found"],
        resultFields: ClinicView.appointmentFields + ["ticket", "booked"])

    let clinic: any Clinic
    let timeZone: TimeZone

    public init(clinic: any Clinic, timeZone: TimeZone = .clinicDefault) {
        self.clinic = clinic
        self.timeZone = timeZone
    }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("appointment_id")
        let mine: PatientAppointments
        do {
            mine = try await clinic.appointments(telegramUserID: context.telegramUserID)
        } catch ClinicRefusal.patientNotFound {
            return ActionResult(outcome: "not_found")
        }
        guard let appointment = (mine.upcoming + mine.past).first(where: { $0.id == id }) else { return ActionResult(outcome: "not_found") }
        let view = ClinicView(locale: context.locale, timeZone: timeZone)
        guard case .map(var fields) = view.appointment(appointment) else { return .ok(view.appointment(appointment)) }
        let booked = appointment.status == .booked || appointment.status == .confirmed
        fields["booked"] = .bool(booked)
        fields["ticket"] = booked ? AppointmentTicket.file(for: appointment, language: view.language) : .null
        return .ok(.map(fields))
    }
}
