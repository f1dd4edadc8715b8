import FlowEngine
import Foundation

/// The clinic's scheduling, as one contract: the local PostgreSQL domain implements it, and so
/// does the client of a remote clinic REST API (`CLINIC_API_URL`). The bot's actions and the
/// `/api/bot/` routes only ever talk to a `Clinic`.
public protocol Clinic: Sendable {
    func branches() async throws -> [Branch]
    /// Services offered online, of one branch or of all.
    func services(branchID: Int64?) async throws -> [Service]
    /// Doctors who provide the service; with a date, only those with free time that day.
    func doctors(serviceID: Int64?, date: CalendarDate?) async throws -> [Doctor]
    /// Free slots of a doctor on one day, for the service's duration (the doctor's step when no
    /// service is given). Sorted; never in the past or sooner than the lead time.
    func slots(doctorID: Int64, serviceID: Int64?, date: CalendarDate) async throws -> [Slot]
    /// The days in `from…to` with at least one free slot.
    func bookableDays(doctorID: Int64, serviceID: Int64?, from: CalendarDate, to: CalendarDate) async throws -> [CalendarDate]

    /// Books a slot for the patient linked to the Telegram user. Throws `ClinicRefusal`.
    func book(telegramUserID: Int64, doctorID: Int64, serviceID: Int64, start: Date, source: String) async throws -> Appointment
    func appointments(telegramUserID: Int64) async throws -> PatientAppointments
    /// Moves the patient's own appointment to another free slot; the old time is released only
    /// when the new one is booked. Throws `ClinicRefusal`.
    func reschedule(appointmentID: Int64, telegramUserID: Int64, start: Date) async throws -> Appointment
    /// Cancels the patient's own appointment before the cut-off. Throws `ClinicRefusal`.
    func cancel(appointmentID: Int64, telegramUserID: Int64) async throws -> Appointment
}
