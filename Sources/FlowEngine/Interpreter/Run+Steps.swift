import Foundation

/// Executing steps until the dialogue waits: for an answer, an action's result, or a moment.
extension Run {
    /// Runs the step the top frame points at, and whatever follows it without waiting.
    mutating func enterCurrentStep() {
        while let step = currentStep {
            stepsRun += 1
            if tracing, let frame { turn.visited.append(frame.flow + "." + step.name) }
            // An action commits when it succeeds (see `actionFinished`); any other step on entry.
            if step.commit, !step.isAction { session.history = [] }
            if stepsRun > Interpreter.stepLimit {
                // A loop that never waits: stop it rather than spin; the validator warns of these.
                session.frames = []
                session.history = []
                say("common.error")
                return
            }
            switch step.kind {
            case .say(let say):
                sayStep(say)
            case .ask(let question):
                present(question, step: step)
                return
            case .action(let action):
                turn.action = ActionCall(
                    name: action.name.value,
                    arguments: Dictionary(action.arguments.map { ($0.name.value, evaluate($0.value)) }, uniquingKeysWith: { _, b in b }),
                    context: ActionContext(
                        telegramUserID: session.userID, telegramUsername: session.username, locale: language.rawValue,
                        sharedPhone: frame?.sharedPhone))
                return
            case .branch(let branch):
                let target = evaluate(branch.condition).isTruthy ? branch.then : branch.otherwise
                moveTo(step: target.value)
                continue
            case .set(let assignments):
                for assignment in assignments { write(assignment.path.value, evaluate(assignment.value)) }
            case .call(let call):
                guard let callee = set.flow(call.flow.value) else { endDialogue(); return }
                var params: [String: Value] = [:]
                for argument in call.arguments { params[argument.name.value] = evaluate(argument.value) }
                session.frames.append(Frame(flow: callee.name.value, step: callee.entry.value, params: params))
                continue
            case .wait(let wait):
                if sleep(wait, step: step) { return }
                continue
            case .jump:
                break
            }
            if !follow(step.transition, from: step, continuing: true) { return }
        }
    }

    /// Goes where `transition` says. Returns true when the loop in `enterCurrentStep` should run
    /// the new current step, false when the dialogue now waits or ended.
    @discardableResult
    mutating func follow(_ transition: Transition, from step: Step, continuing: Bool = false) -> Bool {
        switch transition {
        case .next(let target):
            moveTo(step: target.value)
        case .goto(let flowName):
            guard let flow = set.flow(flowName.value) else { endDialogue(); return false }
            session.frames = []
            session.history = []
            session.frames.append(Frame(flow: flow.name.value, step: flow.entry.value))
        case .end, .none:
            endDialogue()
            return resumeInterrupted(continuing: continuing)
        case .return:
            guard let finished = session.frames.popLast() else { return false }
            if finished.interrupts { ended(finished) }
            if finished.interrupts || session.frames.isEmpty {
                if session.frames.isEmpty { session.history = [] }
                return resumeInterrupted(continuing: continuing)
            }
            // Back in the caller, at its `call` step: go on from there.
            guard let callStep = currentStep else { return false }
            return follow(callStep.transition, from: callStep, continuing: continuing)
        }
        if !continuing { enterCurrentStep() }
        return true
    }

    mutating func moveTo(step name: String) {
        guard !session.frames.isEmpty else { return }
        session.frames[session.frames.count - 1].step = name
    }

    /// Ends the running dialogue: every frame down to (and including) the one that interrupted
    /// another. Answers stay in the variables; the back history goes.
    mutating func endDialogue() {
        while let top = session.frames.popLast() {
            if top.interrupts {
                ended(top)
                break
            }
        }
        if session.frames.isEmpty { session.history = [] }
    }

    /// An interruption is over: its answers leave the history, and whether it spoke decides
    /// whether the question below is asked again.
    mutating func ended(_ interruption: Frame) {
        forgetHistory(of: interruption)
        endedSilently = interruption.spoke != true && turn.replies.isEmpty
    }

    /// Drops the answers given inside an interruption that is over.
    mutating func forgetHistory(of frame: Frame) {
        if let depth = frame.historyDepth, session.history.count > depth {
            session.history.removeLast(session.history.count - depth)
        }
    }

    /// After an interruption ends, the interrupted question is asked again.
    mutating func resumeInterrupted(continuing: Bool) -> Bool {
        let silently = endedSilently
        endedSilently = false
        guard let step = currentStep else { return false }
        if case .ask(let question) = step.kind {
            // Nothing was said over it: the question on screen still stands, buttons and all.
            if !silently { present(question, step: step) }
            return false
        }
        if !continuing { enterCurrentStep() }
        return continuing
    }

    mutating func sayStep(_ say: Say) {
        var message = Message(text: render(say.text))
        message.keyboard = keyboardChange(say.keyboard)
        turn.replies.append(.message(message))
        if let file = say.file, let attachment = attachment(from: evaluate(file)) {
            turn.replies.append(.file(attachment))
        }
        if let invoice = say.invoice, let offer = invoiceOffer(from: evaluate(invoice)) {
            turn.replies.append(.invoice(offer))
        }
    }

    /// `{title, description, reference, amount_tiyn, currency, label}` → an invoice; anything
    /// else (a missing field, no amount) sends nothing.
    func invoiceOffer(from value: Value) -> InvoiceOffer? {
        guard let title = value["title"].stringValue, let reference = value["reference"].stringValue,
              case .int(let amount) = value["amount_tiyn"], amount > 0 else { return nil }
        let description = value["description"].stringValue ?? title
        return InvoiceOffer(title: title, description: description, reference: reference, amountTiyn: Int64(amount),
                            currency: value["currency"].stringValue ?? "KZT", label: value["label"].stringValue ?? title)
    }

    /// `{name, mime_type, base64}` → a file; anything else sends nothing.
    func attachment(from value: Value) -> Attachment? {
        guard let name = value["name"].stringValue, let encoded = value["base64"].stringValue,
              let data = Data(base64Encoded: encoded) else { return nil }
        return Attachment(name: name, mimeType: value["mime_type"].stringValue ?? "application/octet-stream", bytes: Array(data))
    }

    /// Pauses the flow until a moment. Returns true when it went to sleep, false when the moment
    /// has passed and the flow goes on at once.
    mutating func sleep(_ wait: Wait, step: Step) -> Bool {
        let moment: Date?
        if let at = wait.at {
            moment = evaluate(at).stringValue.flatMap(Moment.parse)
        } else if let duration = wait.duration, case let seconds = evaluate(duration), let s = seconds.intValue {
            moment = now.addingTimeInterval(TimeInterval(s))
        } else {
            moment = nil
        }
        guard let moment, moment > now else {
            if let late = wait.late { moveTo(step: late.value) } else { _ = follow(step.transition, from: step, continuing: true) }
            return false
        }
        guard let frame = session.frames.popLast() else { return true }
        turn.jobs.append(Job(flow: frame.flow, step: frame.step, params: frame.params, at: Moment.format(moment)))
        if frame.interrupts {
            ended(frame)
            _ = resumeInterrupted(continuing: false)
        } else {
            session.frames = []
            session.history = []
        }
        return true
    }

    mutating func actionFinished(_ result: ActionResult) {
        guard let step = currentStep, case .action(let action) = step.kind else { return }
        let outcome = action.target(for: result.outcome) != nil ? result.outcome : "error"
        if outcome == "ok" {
            if let save = action.save { write(save.value, result.value) }
            if step.commit { session.history = [] }
        }
        guard let target = action.target(for: outcome) else {
            say("common.error")
            endDialogue()
            _ = resumeInterrupted(continuing: false)
            return
        }
        moveTo(step: target.value)
        enterCurrentStep()
    }

    mutating func say(_ key: String) {
        turn.replies.append(.message(Message(text: locales.plain(key, in: language))))
    }
}
