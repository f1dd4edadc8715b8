import FlowEngine
import Foundation

/// Drives complete registrations through the interpreter as fast as one core allows: the
/// same updates a patient sends, action results answered at once from fixtures.
struct RegistrationBench {
    let set: FlowSet

    enum Input {
        case command(String)
        case text(String)
        case button(Int)
    }

    /// One registration: /start, language, names, middle name skipped, phone, birth date, sex,
    /// IIN, three consents.
    static let script: [Input] = [
        .command("start"), .button(0), .text("Айгерим"), .text("Сапарова"), .button(0), .text("8 701 123 45 67"),
        .text("05.03.1990"), .button(1), .text("900305401239"), .button(0), .button(0), .button(1),
    ]

    static let results: [String: ActionResult] = [
        "patient.by_telegram": ActionResult(outcome: "not_found"),
        "patient.upsert": .ok(["patient_id": 1, "telegram_link_id": 1, "created": true, "full_name": "Сапарова Айгерим"]),
    ]

    /// Returns the updates handled and the seconds they took.
    func run(registrations: Int) -> (Int, Double) {
        let interpreter = Interpreter(set: set)
        var sessions: [Int64: Session] = [:]
        let now = Date()
        var updates = 0
        var completed = 0
        let start = DispatchTime.now().uptimeNanoseconds
        for n in 0..<registrations {
            let user = Int64(1_000_000 + n)
            for input in Self.script {
                var session = sessions.removeValue(forKey: user) ?? Session(userID: user)
                let event: Event
                switch input {
                case .command(let name): event = .command(name, argument: "")
                case .text(let text): event = .text(text)
                case .button(let index): event = .button("\(session.serial).\(index)")
                }
                var turn = interpreter.handle(event, session: &session, now: now)
                while let call = turn.action {
                    turn = interpreter.handle(.actionResult(Self.results[call.name] ?? .error), session: &session, now: now)
                }
                if session.variables["patient"] != nil, case .command = input {} else if session.variables["patient"] != nil { completed += 1 }
                sessions[user] = session
                updates += 1
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        precondition(completed >= registrations, "registrations did not complete: \(completed) of \(registrations)")
        return (updates, seconds)
    }
}
