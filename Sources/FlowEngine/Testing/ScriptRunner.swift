import Foundation

/// Runs conversation scripts against a flow set and reports failures and step coverage.
public struct ScriptRunner: Sendable {
    public let set: FlowSet
    public let signatures: [ActionSignature]

    public init(set: FlowSet, signatures: [ActionSignature]) {
        self.set = set
        self.signatures = signatures
    }

    public struct Result: Sendable {
        public let script: ConversationScript
        /// Empty when the script passed.
        public let failures: [String]
        /// "flow.step" of every step entered.
        public let visited: Set<String>
        public var passed: Bool { failures.isEmpty }
    }

    public func run(_ script: ConversationScript) async -> Result {
        let interpreter = Interpreter(set: set, tracing: true)
        let actions = FixtureActions(signatures: signatures, results: script.fixtures)
        let conversation = Conversation(interpreter: interpreter, actions: actions)
        var session = Session(userID: script.userID, displayName: script.userName)
        session.locale = script.locale
        session.flowsVersion = set.version
        var now = script.now
        var visited: Set<String> = []
        var failures: [String] = []
        var jobs: [Job] = []
        /// Buttons of every message shown, newest last: (label, token).
        var shown: [[(String, String)]] = []

        for (number, step) in script.steps.enumerated() {
            let at = "\(step.location): step \(number + 1)"
            var events: [Event] = []
            var expectStale = false
            switch step.action {
            case .send(let text): events = [Event.typed(text)]
            case .contact(let phone, let own): events = [.contact(phone: phone, userID: own ? session.userID : session.userID &+ 1)]
            case .start(let flow, let params):
                if set.flow(flow) == nil { failures.append("\(at): no flow '\(flow)'"); break }
                events = [.start(flow: flow, params: params)]
            case .advance(let seconds):
                now = now.addingTimeInterval(TimeInterval(seconds))
                let due = jobs.filter { (Moment.parse($0.at) ?? .distantFuture) <= now }
                jobs.removeAll { due.contains($0) }
                events = due.map(Event.resume)
            case .press(let label):
                guard let token = find(label, in: shown.last ?? [], language: session.locale) else {
                    failures.append("\(at): no button '\(label)' on the last message; buttons: \(describe(shown.last ?? []))")
                    break
                }
                events = [.button(token)]
            case .pressStale(let label):
                expectStale = true
                guard let token = shown.dropLast().reversed().lazy.compactMap({ find(label, in: $0, language: session.locale) }).first else {
                    failures.append("\(at): no earlier message has a button '\(label)'")
                    break
                }
                events = [.button(token)]
            }
            if !failures.isEmpty { break }

            var replies: [Reply] = []
            var calls: [ActionCall] = []
            var stale = false
            for event in events {
                let outcome = await conversation.handle(event, session: &session, now: now)
                replies += outcome.replies
                calls += outcome.calls
                jobs += outcome.jobs
                stale = stale || outcome.stale
                visited.formUnion(outcome.visited)
            }
            for reply in replies {
                switch reply {
                case .message(let m): if !m.buttons.isEmpty { shown.append(m.buttons.joined().map { ($0.text, $0.token) }) }
                case .edit(let m): if !m.buttons.isEmpty { shown.append(m.buttons.joined().map { ($0.text, $0.token) }) }
                default: break
                }
            }
            if expectStale && !stale { failures.append("\(at): the button was acted on, but it should have been stale") }
            if !expectStale && stale { failures.append("\(at): the button was answered as stale") }
            let language = session.locale ?? .ru
            if let expect = step.expect {
                failures += check(expect, against: replies, language: language, at: at)
            }
            if let expected = step.calls {
                failures += check(expected, against: calls, at: at)
            }
            if !failures.isEmpty { break }
        }
        return Result(script: script, failures: failures, visited: visited)
    }

    func find(_ label: String, in buttons: [(String, String)], language: Language?) -> String? {
        let wanted = resolve(label, language: language ?? .ru)
        return buttons.first { $0.0 == wanted || $0.0 == label }?.1
    }

    /// A locale key shown in `language`, or the text itself.
    func resolve(_ textOrKey: String, language: Language) -> String {
        set.locales.entry(textOrKey, in: language) != nil ? set.locales.plain(textOrKey, in: language) : textOrKey
    }

    func describe(_ buttons: [(String, String)]) -> String {
        buttons.isEmpty ? "none" : buttons.map { "[\($0.0)]" }.joined(separator: " ")
    }

    func check(_ expected: [Expectation], against replies: [Reply], language: Language, at: String) -> [String] {
        var messages = replies.filter {
            switch $0 {
            case .message, .file, .invoice: return true
            default: return false
            }
        }
        var failures: [String] = []
        for (i, expectation) in expected.enumerated() {
            if i < messages.count { splitLeadingParagraph(of: &messages, at: i, for: expectation, language: language) }
            guard i < messages.count else {
                failures.append("\(expectation.location): expected \(describe(expectation, language: language)), but the bot sent nothing more")
                continue
            }
            if let problem = mismatch(expectation, messages[i], language: language) {
                failures.append("\(expectation.location): \(problem)")
            }
        }
        if messages.count > expected.count {
            failures.append("\(at): the bot sent \(messages.count - expected.count) message(s) more than expected: " + messages.dropFirst(expected.count).map(Self.show).joined(separator: " | "))
        }
        if !failures.isEmpty {
            failures.append("  actual replies: " + (messages.isEmpty ? "none" : messages.map(Self.show).joined(separator: " | ")))
        }
        return failures
    }

    /// A refusal and the question asked again come as one message, "problem\n\nquestion". A
    /// script lists them as two expectations; when the expected text is the message's first
    /// paragraph, that paragraph is matched alone and the rest (with the buttons) stays for the
    /// next expectation.
    func splitLeadingParagraph(of messages: inout [Reply], at index: Int, for expectation: Expectation, language: Language) {
        guard let text = expectation.text, case .message(let message) = messages[index],
              !textMatches(text, args: expectation.args, message.text, language: language)
        else { return }
        var boundary = message.text.startIndex
        while let range = message.text.range(of: "\n\n", range: boundary..<message.text.endIndex) {
            let head = String(message.text[..<range.lowerBound])
            if textMatches(text, args: expectation.args, head, language: language) {
                var rest = message
                rest.text = String(message.text[range.upperBound...])
                messages[index] = .message(rest)
                messages.insert(.message(Message(text: head)), at: index)
                return
            }
            boundary = range.upperBound
        }
    }

    /// The actions called, in order, each with at least the arguments the script names.
    func check(_ expected: [ExpectedCall], against calls: [ActionCall], at: String) -> [String] {
        var failures: [String] = []
        if calls.count > expected.count {
            failures.append("\(at): unexpected action call(s): \(calls.dropFirst(expected.count).map(\.name).joined(separator: ", "))")
        }
        for (i, call) in expected.enumerated() {
            guard i < calls.count else {
                failures.append("\(call.location): expected a call of \(call.action), but no more actions were called (called: \(calls.map(\.name).joined(separator: ", ")))")
                continue
            }
            let actual = calls[i]
            if actual.name != call.action {
                failures.append("\(call.location): expected a call of \(call.action), got \(actual.name)")
                continue
            }
            for (name, value) in call.with.sorted(by: { $0.key < $1.key }) where actual.arguments[name] ?? .null != value {
                failures.append("\(call.location): \(call.action) got \(name) = \(Self.show(actual.arguments[name] ?? .null)), expected \(Self.show(value))")
            }
        }
        return failures
    }

    static func show(_ value: Value) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .null: return "null"
        default: return value.displayText
        }
    }

    func describe(_ expectation: Expectation, language: Language) -> String {
        if let text = expectation.text { return "“\(resolve(text, language: language))”" }
        if let file = expectation.file { return "file \(file)" }
        if let invoice = expectation.invoice { return "invoice \(invoice)" }
        return "a message"
    }

    static func show(_ reply: Reply) -> String {
        switch reply {
        case .message(let m):
            var text = "“\(m.text)”"
            if !m.buttons.isEmpty { text += " " + m.buttons.joined().map { "[\($0.text)]" }.joined(separator: " ") }
            switch m.keyboard {
            case .remove?: text += " (keyboard removed)"
            case .show(let rows)?: text += " keyboard: " + rows.joined().map { "[\($0.text)]" }.joined(separator: " ")
            case nil: break
            }
            return text
        case .file(let f): return "file \(f.name)"
        case .invoice(let i): return "invoice \(i.title) (\(i.amountTiyn) tiyn)"
        case .edit(let m): return "edit “\(m.text)”"
        case .notice(let n): return "notice “\(n)”"
        }
    }

    func mismatch(_ expectation: Expectation, _ reply: Reply, language: Language) -> String? {
        if let file = expectation.file {
            guard case .file(let attachment) = reply, attachment.name == file else { return "expected file \(file), got \(Self.show(reply))" }
            return nil
        }
        if let invoice = expectation.invoice {
            guard case .invoice(let offer) = reply, offer.title == invoice else { return "expected invoice \(invoice), got \(Self.show(reply))" }
            return nil
        }
        guard case .message(let message) = reply else { return "expected a message, got \(Self.show(reply))" }
        if let text = expectation.text, !textMatches(text, args: expectation.args, message.text, language: language) {
            return "expected “\(expectation.args == nil ? patternText(text, language: language) : render(text, expectation.args!, language))”, got “\(message.text)”"
        }
        if let buttons = expectation.buttons {
            let actual = message.buttons.joined().map(\.text)
            let wanted = buttons.map { resolve($0, language: language) }
            if actual != wanted { return "expected buttons \(wanted.map { "[\($0)]" }.joined(separator: " ")), got \(actual.isEmpty ? "none" : actual.map { "[\($0)]" }.joined(separator: " "))" }
        }
        if let keyboard = expectation.keyboard {
            if keyboard == ["remove"] {
                if message.keyboard != .remove { return "expected the reply keyboard to be removed" }
            } else {
                let wanted = keyboard.map { resolve($0, language: language) }
                guard case .show(let rows)? = message.keyboard else { return "expected a reply keyboard \(wanted)" }
                let actual = rows.joined().map(\.text)
                if actual != wanted { return "expected keyboard \(wanted.map { "[\($0)]" }.joined(separator: " ")), got \(actual.map { "[\($0)]" }.joined(separator: " "))" }
            }
        }
        return nil
    }

    func render(_ key: String, _ args: [String: Value], _ language: Language) -> String {
        set.locales.render(key, in: language) { args[$0] ?? .null }
    }

    func patternText(_ key: String, language: Language) -> String {
        guard let entry = set.locales.entry(key, in: language) else { return key }
        switch entry.form {
        case .single(let t): return t.pattern
        case .plural(let forms): return forms[.other]?.pattern ?? key
        }
    }

    func textMatches(_ expected: String, args: [String: Value]?, _ actual: String, language: Language) -> Bool {
        guard let entry = set.locales.entry(expected, in: language) else { return expected == actual }
        if let args { return render(expected, args, language) == actual }
        switch entry.form {
        case .single(let t): return t.matches(actual)
        case .plural(let forms): return forms.values.contains { $0.matches(actual) }
        }
    }
}

extension Template {
    /// Whether `text` could be this template with some values in its placeholders. A value may
    /// contain the literal that follows it ("2026 г." before "."), so every split is tried.
    func matches(_ text: String) -> Bool {
        Self.match(parts[...], Substring(text), afterPlaceholder: false)
    }

    private static func match(_ parts: ArraySlice<Part>, _ rest: Substring, afterPlaceholder: Bool) -> Bool {
        guard let part = parts.first else { return afterPlaceholder || rest.isEmpty }
        switch part {
        case .placeholder:
            return match(parts.dropFirst(), rest, afterPlaceholder: true)
        case .literal(let literal):
            if !afterPlaceholder {
                return rest.hasPrefix(literal) && match(parts.dropFirst(), rest.dropFirst(literal.count), afterPlaceholder: false)
            }
            var searchFrom = rest.startIndex
            while let range = rest.range(of: literal, range: searchFrom..<rest.endIndex) {
                if match(parts.dropFirst(), rest[range.upperBound...], afterPlaceholder: false) { return true }
                guard range.lowerBound < rest.endIndex else { break }
                searchFrom = rest.index(after: range.lowerBound)
            }
            return false
        }
    }

    /// The template with `{…}` where values go, for failure messages.
    var pattern: String {
        parts.map { part in
            switch part {
            case .literal(let text): return text
            case .placeholder(let name, _): return "{\(name)}"
            }
        }.joined()
    }
}
