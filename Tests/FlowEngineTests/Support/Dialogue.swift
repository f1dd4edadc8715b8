import Foundation
@testable import FlowEngine

/// A tiny flow set built from inline YAML, and a person talking to it: enough to show one
/// interpreter behaviour per test without files, a database or a clock.
struct Dialogue {
    let set: FlowSet
    let interpreter: Interpreter
    var session: Session
    var now: Date
    var results: [String: ActionResult]
    /// Everything the bot sent for the last event.
    var replies: [Reply] = []
    var calls: [ActionCall] = []
    var jobs: [Job] = []

    static let baseLocale = """
        common:
          back: Назад
          stale_button: Кнопка устарела
          too_fast: Слишком часто
          error: Ошибка
          flow_updated: Диалоги обновились
          unknown_command: Неизвестная команда
          retry: Повторить
        """
    /// Added unless a test's texts have their own `errors:` (which must then hold this key).
    static let choiceError = "errors:\n  choice:\n    use_buttons: Нажмите кнопку\n"

    /// `texts`: extra locale lines (the same in both languages unless `kk` is given).
    init(flows: [String], texts: String, kk: String? = nil, signatures: [ActionSignature] = [], results: [String: ActionResult] = [:],
         now: String = "2026-11-25T10:00:00Z") throws {
        let sources = flows.enumerated().map { FlowSetLoader.Source(path: "flows/f\($0.offset).yaml", text: $0.element) }
        let (set, diagnostics) = FlowSetLoader.load(
            flows: sources,
            locales: [.init(path: "locales/ru.yaml", text: Self.locale(texts)), .init(path: "locales/kk.yaml", text: Self.locale(kk ?? texts))],
            signatures: signatures)
        if diagnostics.hasErrors { throw DialogueError(diagnostics: diagnostics.errors) }
        self.set = set
        self.interpreter = Interpreter(set: set, tracing: true)
        self.session = Session(userID: 42)
        self.session.flowsVersion = set.version
        self.now = Moment.parse(now)!
        self.results = results
    }

    static func locale(_ texts: String) -> String {
        Self.baseLocale + "\n" + texts + "\n" + (texts.contains("errors:") ? "" : Self.choiceError)
    }

    struct DialogueError: Error, CustomStringConvertible {
        let diagnostics: [Diagnostic]
        var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }

    mutating func send(_ event: Event) {
        replies = []
        calls = []
        var turn = interpreter.handle(event, session: &session, now: now)
        while true {
            replies += turn.replies
            jobs += turn.jobs
            guard let call = turn.action else { break }
            calls.append(call)
            turn = interpreter.handle(.actionResult(results[call.name] ?? .error), session: &session, now: now)
        }
    }

    mutating func type(_ text: String) { send(Event.typed(text)) }

    /// Presses the button with this label on the last message that has buttons.
    mutating func press(_ label: String) {
        guard let token = lastButtons.first(where: { $0.text == label })?.token else {
            replies = [.notice("no button \(label) in \(lastButtons.map(\.text))")]
            return
        }
        send(.button(token))
    }

    var lastButtons: [Button] {
        for reply in replies.reversed() {
            switch reply {
            case .message(let m), .edit(let m): if !m.buttons.isEmpty { return m.buttons.flatMap { $0 } }
            default: continue
            }
        }
        return []
    }

    /// The texts of the messages sent for the last event, in order (edits and notices left out).
    var texts: [String] {
        replies.compactMap { if case .message(let m) = $0 { return m.text }; return nil }
    }

    var notices: [String] {
        replies.compactMap { if case .notice(let n) = $0 { return n }; return nil }
    }
}
