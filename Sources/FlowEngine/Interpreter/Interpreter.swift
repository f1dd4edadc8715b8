import Foundation

/// Runs flows: `(flows, session, event) → (session′, replies, action call)`. It performs no I/O;
/// actions are returned as calls and their results come back as events, so dialogues can be
/// tested without a server, a database or a clock.
public struct Interpreter: Sendable {
    public let set: FlowSet
    /// At most this many steps run for one event: a loop that never waits for input stops here.
    public static let stepLimit = 200

    /// Record every step entered in `Turn.visited` (for coverage; off in production).
    public let tracing: Bool

    public init(set: FlowSet, tracing: Bool = false) {
        self.set = set
        self.tracing = tracing
    }

    public func handle(_ event: Event, session: inout Session, now: Date) -> Turn {
        var run = Run(set: set, session: session, now: now)
        run.tracing = tracing
        run.handle(event)
        run.session.forgetSensitiveOfEndedFlows(set)
        if !run.turn.replies.isEmpty, let index = run.session.frames.lastIndex(where: \.interrupts) {
            run.session.frames[index].spoke = true
        }
        session = run.session
        return run.turn
    }
}

/// One event's worth of interpretation: the session being changed and the turn being built.
struct Run {
    let set: FlowSet
    var session: Session
    let now: Date
    var turn = Turn()
    var stepsRun = 0
    var tracing = false
    /// An interruption just ended without saying anything (see `Frame.spoke`).
    var endedSilently = false

    init(set: FlowSet, session: Session, now: Date) {
        self.set = set
        self.session = session
        self.now = now
    }

    var language: Language { session.locale ?? .ru }
    var locales: Locales { self.set.locales }

    mutating func handle(_ event: Event) {
        // After a reload that removed the person's step, the event was meant for a question that
        // no longer exists: it is not applied to the one they are moved to.
        if session.flowsVersion != set.version, !adoptNewFlows() { return }
        switch event {
        case .command(let name, _):
            if let flow = set.commands[name] { trigger(flow) } else { say("common.unknown_command"); reaskIfWaiting() }
        case .text(let text):
            if let flow = set.texts[text.trimmingCharacters(in: .whitespaces)] { trigger(flow) } else { received(text: text) }
        case .button(let token):
            pressed(token)
        case .contact(let phone, let owner):
            received(contact: phone, owner: owner)
        case .actionResult(let result):
            actionFinished(result)
        case .start(let flowName, let params):
            guard let flow = set.flow(flowName) else { return }
            startSystemFlow(flow, params: params)
        case .resume(let job):
            resume(job)
        }
    }

    // MARK: - Where the session is

    var frame: Frame? { session.frames.last }

    var currentStep: Step? {
        guard let frame else { return nil }
        return set.step(frame.flow, frame.step)
    }

    var currentFlow: Flow? { frame.flatMap { set.flow($0.flow) } }

    /// After a reload: keep going where every frame's step still exists; otherwise move the
    /// person to a safe place with a polite word. Buttons shown before the reload go stale.
    /// Returns false when the person had to be moved.
    mutating func adoptNewFlows() -> Bool {
        let intact = session.frames.allSatisfy { set.step($0.flow, $0.step) != nil }
        session.flowsVersion = set.version
        session.serial += 1
        session.buttons = []
        if !intact {
            session.frames = []
            session.history = []
            say("common.flow_updated")
            if let start = set.commands["start"] { begin(start, params: [:], interrupts: false) }
        }
        return intact
    }

    /// A global command or menu text: replaces the dialogue, or runs on top of it (`resume`).
    mutating func trigger(_ flow: Flow) {
        session.serial += 1
        session.buttons = []
        if flow.triggers.resume, case .ask = currentStep?.kind {
            begin(flow, params: [:], interrupts: true)
        } else {
            session.frames = []
            session.history = []
            begin(flow, params: [:], interrupts: false)
        }
    }

    mutating func startSystemFlow(_ flow: Flow, params: [String: Value]) {
        let busy: Bool
        if case .ask = currentStep?.kind { busy = true } else { busy = false }
        if !busy { session.frames = [] }
        begin(flow, params: params, interrupts: busy)
    }

    mutating func resume(_ job: Job) {
        guard let flow = set.flow(job.flow), let step = flow.step(job.step) else { return }
        let busy: Bool
        if case .ask = currentStep?.kind { busy = true } else { busy = false }
        if !busy { session.frames = [] }
        session.frames.append(Frame(flow: job.flow, step: job.step, params: job.params, interrupts: busy, historyDepth: busy ? session.history.count : nil))
        follow(step.transition, from: step)
    }

    mutating func begin(_ flow: Flow, params: [String: Value], interrupts: Bool) {
        session.frames.append(
            Frame(flow: flow.name.value, step: flow.entry.value, params: params, interrupts: interrupts,
                  historyDepth: interrupts ? session.history.count : nil))
        enterCurrentStep()
    }

    /// Asks the current question again after an interruption or an unknown command.
    mutating func reaskIfWaiting() {
        if let step = currentStep, case .ask(let question) = step.kind { present(question, step: step) }
    }
}
