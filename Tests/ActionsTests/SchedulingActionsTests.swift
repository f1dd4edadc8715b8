import ClinicContract
@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import Testing

/// A clinic that fails the way an unreachable remote clinic would.
private struct BrokenClinic: Clinic {
    struct Down: Error {}
    func branches() async throws -> [ClinicContract.Branch] { throw Down() }
    func services(branchID: Int64?) async throws -> [Service] { throw Down() }
    func doctors(serviceID: Int64?, date: CalendarDate?) async throws -> [Doctor] { throw Down() }
    func slots(doctorID: Int64, serviceID: Int64?, date: CalendarDate) async throws -> [Slot] { throw Down() }
    func bookableDays(doctorID: Int64, serviceID: Int64?, from: CalendarDate, to: CalendarDate) async throws -> [CalendarDate] { throw Down() }
    func book(telegramUserID: Int64, doctorID: Int64, serviceID: Int64, start: Date, source: String) async throws -> Appointment {
        throw ClinicRefusal.notChangeable  // a refusal booking never gives: not an outcome of appointment.create
    }
    func appointments(telegramUserID: Int64) async throws -> PatientAppointments { throw Down() }
    func reschedule(appointmentID: Int64, telegramUserID: Int64, start: Date) async throws -> Appointment { throw Down() }
    func cancel(appointmentID: Int64, telegramUserID: Int64) async throws -> Appointment { throw Down() }
}

@Suite("Scheduling actions: signatures")
struct SchedulingActionsTests {
    @Test("the catalogue declares every scheduling action once, next to the patient actions")
    func catalogue() {
        let names = ClinicActions.signatures.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Set(names).isSuperset(of: [
            "patient.upsert", "patient.by_telegram", "patient.set_language", "patient.set_phone", "patient.set_consent", "patient.unlink",
            "branches.list", "services.list", "doctors.list", "slots.days", "slots.list",
            "appointment.create", "appointment.my", "appointment.reschedule", "appointment.cancel",
        ]))
        #expect(SchedulingActions.all(clinic: BrokenClinic()).map { type(of: $0).signature } == SchedulingActions.signatures)
    }

    @Test("no action takes the Telegram user from its arguments")
    func noUserArgument() {
        for signature in SchedulingActions.signatures {
            #expect(!signature.parameters.contains { $0.name.contains("telegram") }, "\(signature.name)")
        }
    }

    @Test("a clinic that fails, or refuses in a way the action does not declare, answers error", arguments: [
        ("branches.list", [:]), ("services.list", ["branch_id": 1]), ("doctors.list", ["service_id": 1]),
        ("slots.days", ["doctor_id": 1, "service_id": 1, "from": "2026-03-02", "to": "2026-03-09"]),
        ("slots.list", ["doctor_id": 1, "service_id": 1, "date": "2026-03-02"]),
        ("appointment.create", ["doctor_id": 1, "service_id": 1, "start": "2026-03-02T04:00:00Z"]),
        ("appointment.my", [:]), ("appointment.reschedule", ["appointment_id": 1, "start": "2026-03-02T04:00:00Z"]),
        ("appointment.cancel", ["appointment_id": 1]),
    ] as [(String, [String: Value])])
    func failures(_ name: String, _ arguments: [String: Value]) async {
        let registry = ActionRegistry(SchedulingActions.all(clinic: BrokenClinic()))
        let context = ActionContext(telegramUserID: 7, telegramUsername: nil, locale: "kk")
        #expect(await registry.perform(ActionCall(name: name, arguments: arguments, context: context)) == .error)
    }

    @Test("ids must be positive whole numbers", arguments: [Value.int(0), .int(-5), .string("1")])
    func badIDs(_ id: Value) async {
        let registry = ActionRegistry(SchedulingActions.all(clinic: BrokenClinic()))
        let context = ActionContext(telegramUserID: 7, telegramUsername: nil, locale: "ru")
        #expect(await registry.perform(ActionCall(name: "appointment.cancel", arguments: ["appointment_id": id], context: context)) == .error)
    }
}
