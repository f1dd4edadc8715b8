/// Questions: showing them with their buttons, and taking answers typed, pressed or shared.
extension Run {
    /// Shows a question. `editing`: replace the message whose button was pressed (another page).
    mutating func present(_ question: Question, step: Step, editing: Bool = false) {
        if !editing { session.view = 0 }
        session.serial += 1
        var grid = ButtonGrid(serial: session.serial)

        switch question.choices {
        case .fixed(let choices):
            for choice in choices {
                let label = locales.plain(choice.label.value, in: language)
                grid.add(label, .answer(value: choice.value, label: label, next: choice.next?.value), columns: question.columns)
            }
        case .dynamic(let dynamic):
            let items = evaluate(dynamic.from).listValue ?? []
            if items.isEmpty, let empty = dynamic.empty {
                moveTo(step: empty.value)
                enterCurrentStep()
                return
            }
            let pages = max(1, (items.count + dynamic.pageSize - 1) / dynamic.pageSize)
            let page = min(max(session.view, 0), pages - 1)
            session.view = page
            for item in items.dropFirst(page * dynamic.pageSize).prefix(dynamic.pageSize) {
                let label = evaluate(dynamic.label, item: item).displayText
                grid.add(label, .answer(value: evaluate(dynamic.value, item: item), label: label, next: nil), columns: question.columns)
            }
            if pages > 1 {
                grid.endRow()
                grid.add("◀", page > 0 ? .page(page - 1) : .inert)
                grid.add("\(page + 1)/\(pages)", .inert)
                grid.add("▶", page < pages - 1 ? .page(page + 1) : .inert)
            }
        case nil:
            if let input = question.input, input.type.value == .rating, let (low, high) = ratingRange(input) {
                for n in low...high { grid.add(String(n), .answer(value: .int(n), label: String(n), next: nil), columns: 6) }
            } else if let input = question.input, input.type.value == .date, input.options["calendar"].map({ evaluate($0).isTruthy }) == true {
                addCalendar(for: input, to: &grid)
            }
        }
        grid.endRow()
        if step.back, backSteps != nil {
            grid.add(locales.plain("common.back", in: language), .back)
        }
        grid.endRow()
        session.buttons = grid.actions
        let message = Message(text: render(question.text), buttons: grid.rows, keyboard: editing ? nil : keyboardChange(question.keyboard))
        turn.replies.append(editing ? .edit(message) : .message(message))
    }

    /// The scale shown as buttons; nil when it is too wide for buttons (then only typed answers).
    func ratingRange(_ input: InputSpec) -> (Int, Int)? {
        let low = input.options["min"].flatMap { evaluate($0).intValue } ?? 0
        let high = input.options["max"].flatMap { evaluate($0).intValue } ?? 10
        return high >= low && high - low <= 20 ? (low, high) : nil
    }

    /// The reply keyboard to show or remove. The session remembers whether one is showing, so
    /// a removal with nothing to remove is not sent (Telegram would need a message of its own
    /// for it when the question also has inline buttons).
    mutating func keyboardChange(_ spec: KeyboardSpec?) -> KeyboardChange? {
        switch spec {
        case nil: return nil
        case .remove:
            if session.replyKeyboard == false { return nil }
            session.replyKeyboard = false
            return .remove
        case .rows(let rows):
            session.replyKeyboard = true
            return .show(rows.map { row in
                row.map { button in
                    switch button {
                    case .text(let label, _, _): return .text(locales.plain(label.value, in: language))
                    case .contact(let label): return .contact(locales.plain(label.value, in: language))
                    }
                }
            })
        }
    }

    // MARK: - Answers

    mutating func pressed(_ token: String) {
        guard let (serial, index) = Self.parseToken(token), serial == session.serial, index < session.buttons.count,
              let step = currentStep, case .ask(let question) = step.kind
        else {
            turn.stale = true
            turn.replies.append(.notice(locales.plain("common.stale_button", in: language)))
            return
        }
        switch session.buttons[index] {
        case .answer(let value, let label, let next):
            turn.replies.append(.edit(Message(text: render(question.text) + "\n\n✓ " + label)))
            answer(value, question: question, step: step, next: next)
        case .page(let page):
            session.view = page
            present(question, step: step, editing: true)
        case .back:
            goBack()
        case .inert:
            turn.replies.append(.notice(""))
        }
    }

    static func parseToken(_ token: String) -> (Int, Int)? {
        guard token.utf8.count <= 64, let dot = token.firstIndex(of: "."),
              let serial = Int(token[..<dot]), let index = Int(token[token.index(after: dot)...]), index >= 0
        else { return nil }
        return (serial, index)
    }

    mutating func received(text: String) {
        guard let step = currentStep else {
            if let start = set.commands["start"] { trigger(start) }
            return
        }
        guard case .ask(let question) = step.kind else { return }
        let typed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // A button's label typed (or sent from a reply keyboard) counts as pressing it.
        if let match = matchLabel(typed, question: question) {
            answer(match.value, question: question, step: step, next: match.next)
            return
        }
        guard let input = question.input else {
            refuse(question: question, step: step, key: invalidKey(question, type: nil, reason: "use_buttons"))
            return
        }
        switch InputParser(now: now, timeZone: locales.timeZone).parse(typed, as: input, option: { evaluate($0) }) {
        case .success(let value):
            answer(value, question: question, step: step, next: nil)
        case .failure(let problem):
            refuse(question: question, step: step, key: invalidKey(question, type: input.type.value, reason: problem.reason), count: problem.count)
        }
    }

    mutating func received(contact phone: String, owner: Int64?) {
        guard let step = currentStep, case .ask(let question) = step.kind else { return }
        guard let type = question.input?.type.value, type == .phone || type == .contact else {
            // A contact where something else is asked: treat the number as typed text, so the
            // person hears what this question expects.
            received(text: phone)
            return
        }
        guard owner == session.userID else {
            refuse(question: question, step: step, key: invalidKey(question, type: type, reason: "not_own"))
            return
        }
        switch InputParser(now: now, timeZone: locales.timeZone).parse(phone, as: InputSpec(type: Located(.phone, at: step.location), optional: false, options: [:]), option: { evaluate($0) }) {
        case .success(let value): answer(value, question: question, step: step, next: nil, sharedPhone: value.stringValue)
        case .failure(let problem): refuse(question: question, step: step, key: invalidKey(question, type: type, reason: problem.reason))
        }
    }

    func matchLabel(_ typed: String, question: Question) -> (value: Value, next: String?)? {
        for action in session.buttons {
            if case .answer(let value, let label, let next) = action, label.caseInsensitiveCompare(typed) == .orderedSame {
                return (value, next)
            }
        }
        if case .rows(let rows) = question.keyboard {
            for row in rows {
                // A button with a value answers it; one with only `next` answers its own label.
                for case .text(let label, let value, let next) in row where value != nil || next != nil {
                    let text = locales.plain(label.value, in: language)
                    if text == typed { return (value ?? .string(text), next?.value) }
                }
            }
        }
        return nil
    }

    func invalidKey(_ question: Question, type: InputType?, reason: String) -> String {
        switch question.invalid {
        case .single(let key): return key.value
        case .byReason(let keys): if let key = keys[reason] { return key.value }
        case .defaults: break
        }
        guard let type else { return ChoiceProblem.useButtons }
        return "errors.\(type.rawValue).\(reason)"
    }

    /// A specific message, then the same question again.
    /// Says what was wrong and asks again, in one message: the question's buttons stay under
    /// the newest message, and a person typing quickly gets one reply per try, not two (Telegram
    /// allows about one message a second per chat).
    mutating func refuse(question: Question, step: Step, key: String, count: Int? = nil) {
        let problem = count.map { count in locales.render(key, in: language) { $0 == "count" ? .int(count) : .null } }
            ?? locales.plain(key, in: language)
        let asked = turn.replies.count
        present(question, step: step)
        if asked < turn.replies.count, case .message(var message) = turn.replies[asked] {
            message.text = problem + "\n\n" + message.text
            turn.replies[asked] = .message(message)
        } else {
            turn.replies.insert(.message(Message(text: problem)), at: asked)
        }
    }

    /// Records the answer (undoably), saves it and moves on.
    /// `sharedPhone`: the answer is the person's own contact, shared with Telegram's button.
    mutating func answer(_ value: Value, question: Question, step: Step, next: String?, sharedPhone: String? = nil) {
        session.history.append(HistoryEntry(frames: session.frames, locale: session.locale, undo: [:]))
        if session.history.count > 50 { session.history.removeFirst() }
        // A phone answered again replaces the proof (a typed number proves nothing); going back
        // restores the frames as they were, proof included.
        if let type = question.input?.type.value, type == .phone || type == .contact, !session.frames.isEmpty {
            session.frames[session.frames.count - 1].sharedPhone = sharedPhone
        }
        session.buttons = []
        session.serial += 1
        if let save = question.save { write(save.value, value) }
        if let next {
            moveTo(step: next)
            enterCurrentStep()
        } else if case .none = step.transition {
            // A menu question: its buttons start other flows; an answer here just asks again.
            present(question, step: step)
        } else {
            follow(step.transition, from: step)
        }
    }

    /// How many answers the back button undoes, or nil when there is nowhere to go back to.
    /// A question asked again after its own answer (a list shown again once a document was
    /// sent) is the same place in the dialogue: back goes to the question before it, not to
    /// itself.
    var backSteps: Int? {
        guard let here = session.frames.last else { return nil }
        var steps = 1
        for entry in session.history.reversed() {
            guard let there = entry.frames.last, entry.frames.count == session.frames.count,
                  there.flow == here.flow, there.step == here.step
            else { return steps }
            steps += 1
        }
        return nil
    }

    /// The back button: the previous question again, with the answers given since undone.
    mutating func goBack() {
        guard let steps = backSteps else { return }
        var left = ""
        if let step = currentStep, case .ask(let question) = step.kind { left = render(question.text) }
        var entry = session.history[session.history.count - 1]
        for _ in 0..<steps {
            entry = session.history.removeLast()
            for (root, old) in entry.undo {
                if let old { session.variables[root] = old } else { session.variables.removeValue(forKey: root) }
            }
        }
        session.frames = entry.frames
        session.locale = entry.locale
        // The question left behind keeps its text and loses its buttons.
        turn.replies.append(.edit(Message(text: left)))
        reaskIfWaiting()
    }
}
