import Foundation

/// Drives the interpreter through one event: performs the actions it asks for and feeds their
/// results back until the dialogue waits for the person again.
public struct Conversation: Sendable {
    public let interpreter: Interpreter
    public let actions: any ActionPerformer
    /// At most this many actions for one event; a flow that calls more is stopped.
    public static let actionLimit = 20

    public init(interpreter: Interpreter, actions: any ActionPerformer) {
        self.interpreter = interpreter
        self.actions = actions
    }

    /// Everything one event produced.
    public struct Outcome: Sendable {
        public var replies: [Reply] = []
        public var calls: [ActionCall] = []
        public var jobs: [Job] = []
        public var stale = false
        /// "flow.step" of every step entered, when the interpreter traces.
        public var visited: [String] = []
    }

    /// `beforeActions` sees the first turn before any action runs: a transport answers a button
    /// press there, because actions can be slow and Telegram forgets an unanswered press.
    public func handle(
        _ event: Event, session: inout Session, now: Date,
        beforeActions: (@Sendable ([Reply]) async -> Void)? = nil
    ) async -> Outcome {
        var outcome = Outcome()
        var turn = interpreter.handle(event, session: &session, now: now)
        if let beforeActions { await beforeActions(turn.replies) }
        var performed = 0
        while true {
            outcome.replies += turn.replies
            outcome.jobs += turn.jobs
            outcome.stale = outcome.stale || turn.stale
            outcome.visited += turn.visited
            guard let call = turn.action else { break }
            performed += 1
            let result = performed > Self.actionLimit ? ActionResult.error : await actions.perform(call)
            outcome.calls.append(call)
            turn = interpreter.handle(.actionResult(result), session: &session, now: now)
        }
        return outcome
    }
}

/// Action results given in advance: conversation tests and the benchmark need no database.
public final class FixtureActions: ActionPerformer, @unchecked Sendable {
    // @unchecked: the queues are only touched under `lock`.
    private let lock = NSLock()
    private var queues: [String: [ActionResult]]
    public let signatures: [ActionSignature]

    /// `results`: per action, answers consumed in order; the last one repeats.
    public init(signatures: [ActionSignature], results: [String: [ActionResult]]) {
        self.signatures = signatures
        self.queues = results
    }

    public func perform(_ call: ActionCall) async -> ActionResult {
        next(for: call.name)
    }

    public func next(for name: String) -> ActionResult {
        lock.lock()
        defer { lock.unlock() }
        guard var queue = queues[name], let first = queue.first else { return .error }
        if queue.count > 1 {
            queue.removeFirst()
            queues[name] = queue
        }
        return first
    }
}
