import TestSupport
import ClinicPostgres
import FlowEngine
import Testing

/// Records what it was called with, answers what it is told to.
private struct ProbeAction: Action {
    static let signature = ActionSignature(
        name: "probe.run", summary: "test probe",
        parameters: [
            .init("iin", .string), .init("birth_date", .date), .init("agree", .bool),
            .init("count", .int, required: false), .init("note", .string, required: false),
        ],
        outcomes: ["ok", "busy"], resultFields: ["echo"])

    let calls: CallCounter
    var answer: ActionResult = .ok(["echo": "yes"])
    var failure: (any Error)? = nil

    func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        await calls.increment()
        if let failure { throw failure }
        return answer
    }
}

private actor CallCounter {
    private(set) var count = 0
    func increment() { count += 1 }
}

/// An error whose description would leak the value it was built from.
private struct LeakyError: Error, CustomStringConvertible {
    let secret: String
    var description: String { "failed for \(secret)" }
}

@Suite("Action registry")
struct ActionRegistryTests {
    let context = ActionContext(telegramUserID: 42, telegramUsername: "patient", locale: "ru")
    let good: [String: Value] = ["iin": "900315300123", "birth_date": "1990-03-15", "agree": true]

    private func perform(
        _ arguments: [String: Value], name: String = "probe.run", configure: (inout ProbeAction) -> Void = { _ in }
    ) async -> (ActionResult, Int, String) {
        let recorder = LogRecorder()
        let counter = CallCounter()
        var probe = ProbeAction(calls: counter)
        configure(&probe)
        let registry = ActionRegistry([probe], logger: recorder.logger)
        let result = await registry.perform(ActionCall(name: name, arguments: arguments, context: context))
        return (result, await counter.count, recorder.text)
    }

    @Test("a call that fits the signature runs and its answer comes back")
    func runs() async {
        let (result, calls, _) = await perform(good.merging(["note": nil, "count": 3]) { $1 })
        #expect(result == .ok(["echo": "yes"]))
        #expect(calls == 1)
    }

    @Test("the registry exposes every action's signature")
    func signatures() {
        let registry = ActionRegistry([ProbeAction(calls: CallCounter())])
        #expect(registry.signatures.map(\.name) == ["probe.run"])
    }

    @Test("missing or mistyped arguments are refused before the action runs, the log names the parameter", arguments: [
        ("iin", Value.null), ("iin", .int(900315300123)), ("birth_date", "15.03.1990"), ("birth_date", "1990-02-30"),
        ("agree", "true"), ("count", "3"),
    ])
    func refuses(_ parameter: String, _ value: Value) async {
        var arguments = good
        arguments[parameter] = value
        let (result, calls, log) = await perform(arguments)
        #expect(result == .error)
        #expect(calls == 0)
        #expect(log.contains("'\(parameter)'"))
        #expect(!log.contains("900315300123"))
        #expect(!log.contains("15.03.1990"))
    }

    @Test("an argument the signature does not declare is refused")
    func unexpected() async {
        let (result, calls, log) = await perform(good.merging(["telegram_user_id": 7]) { $1 })
        #expect(result == .error)
        #expect(calls == 0)
        #expect(log.contains("'telegram_user_id'"))
    }

    @Test("an unknown action answers error")
    func unknown() async {
        let (result, calls, log) = await perform(good, name: "probe.nope")
        #expect(result == .error)
        #expect(calls == 0)
        #expect(log.contains("unknown action"))
    }

    @Test("a thrown error answers error and is logged without the arguments")
    func thrown() async {
        let (result, calls, log) = await perform(good) { $0.failure = LeakyError(secret: "900315300123") }
        #expect(result == .error)
        #expect(calls == 1)
        #expect(log.contains("LeakyError"))
        #expect(!log.contains("900315300123"))
    }

    @Test("an outcome the action never declared answers error")
    func undeclaredOutcome() async {
        let (busy, _, _) = await perform(good) { $0.answer = ActionResult(outcome: "busy") }
        #expect(busy.outcome == "busy")
        let (odd, _, log) = await perform(good) { $0.answer = ActionResult(outcome: "maybe") }
        #expect(odd == .error)
        #expect(log.contains("maybe"))
    }

    @Test("patient.upsert takes the Telegram user from the context, never from arguments")
    func upsertSignature() {
        let names = PatientUpsertAction.signature.parameters.map(\.name)
        #expect(!names.contains { $0.hasPrefix("telegram") })
        #expect(PatientUpsertAction.signature.allOutcomes.sorted() == ["consent_required", "error", "ok", "refused", "too_many_attempts"])
        #expect(PatientByTelegramAction.signature.parameters.isEmpty)
    }
}
