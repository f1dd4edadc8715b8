import Foundation
import Yams

/// A conversation test written by an editor: what the person sends or presses, and what the bot
/// must answer. Action results are fixtures, so scripts need no database.
public struct ConversationScript: Sendable {
    public let name: String
    public let file: String
    public let location: SourceLocation
    public let userID: Int64
    public let userName: String?
    public let now: Date
    public let locale: Language?
    public let fixtures: [String: [ActionResult]]
    public let steps: [ScriptStep]
}

public struct ScriptStep: Sendable {
    public enum Action: Sendable {
        case send(String)
        case press(String)
        /// Press a button of an earlier message: it must be answered as stale and change nothing.
        case pressStale(String)
        case contact(phone: String, own: Bool)
        case start(flow: String, params: [String: Value])
        /// Let time pass; flows whose wait is over resume.
        case advance(seconds: Int)
    }

    public let location: SourceLocation
    public let action: Action
    /// nil: replies are not checked at this step.
    public let expect: [Expectation]?
    public let calls: [ExpectedCall]?
}

/// One message the bot must send.
public struct Expectation: Sendable {
    public let location: SourceLocation
    /// A locale key or a literal text.
    public let text: String?
    /// Render the key exactly with these values; without them placeholders match anything.
    public let args: [String: Value]?
    public let buttons: [String]?
    /// `["remove"]` or the reply-keyboard labels.
    public let keyboard: [String]?
    /// The name of a file the bot sends.
    public let file: String?
    /// The title of an invoice the bot sends.
    public var invoice: String? = nil
}

public struct ExpectedCall: Sendable {
    public let location: SourceLocation
    public let action: String
    public let with: [String: Value]
}

/// Reads `flows/tests/*.yaml`, with `file:line:col` for every mistake.
public enum ConversationScriptLoader {
    public static func load(_ text: String, path: String) -> (ConversationScript?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let file = YAMLFile.parse(text, path: path, into: &diagnostics)
        guard let root = file.root, let map = MappingReader(root, path: path, what: "a conversation script", diagnostics: &diagnostics) else {
            return (nil, diagnostics)
        }
        map.rejectUnknownKeys(allowed: ["script", "user", "now", "locale", "fixtures", "steps"], in: "a conversation script", diagnostics: &diagnostics)
        func fail(_ node: Node, _ message: String) { diagnostics.append(.error("script", at: file.location(of: node), message)) }

        var userID: Int64 = 1001
        var userName: String?
        if let user = map["user"], let userMap = MappingReader(user, path: path, what: "user", diagnostics: &diagnostics) {
            userMap.rejectUnknownKeys(allowed: ["id", "name"], in: "user", diagnostics: &diagnostics)
            if let id = userMap["id"]?.int { userID = Int64(id) }
            userName = userMap["name"]?.scalarText
        }
        var now = Moment.parse("2026-11-25T10:00:00Z")!
        if let node = map["now"] {
            if let text = node.scalarText, let date = Moment.parse(text) { now = date } else { fail(node, "now must be an ISO 8601 moment like 2026-11-25T10:00:00Z") }
        }
        var locale: Language?
        if let node = map["locale"] {
            locale = node.scalarText.flatMap(Language.init(rawValue:))
            if locale == nil { fail(node, "locale must be ru or kk") }
        }
        var fixtures: [String: [ActionResult]] = [:]
        if let node = map["fixtures"], let fixtureMap = MappingReader(node, path: path, what: "fixtures", diagnostics: &diagnostics) {
            for entry in fixtureMap.entries {
                let items: [Node]
                if case .sequence(let seq) = entry.value { items = Array(seq) } else { items = [entry.value] }
                fixtures[entry.key] = items.compactMap { item in
                    guard let result = MappingReader(item, path: path, what: "an action result", diagnostics: &diagnostics) else { return nil }
                    result.rejectUnknownKeys(allowed: ["outcome", "value"], in: "an action result", diagnostics: &diagnostics)
                    guard let outcome = result["outcome"]?.scalarText else { fail(item, "an action result needs an 'outcome'"); return nil }
                    return ActionResult(outcome: outcome, value: result["value"].map(dataValue) ?? .null)
                }
            }
        }
        var steps: [ScriptStep] = []
        if case .sequence(let items)? = map["steps"] {
            for item in items {
                guard let stepMap = MappingReader(item, path: path, what: "a script step", diagnostics: &diagnostics) else { continue }
                stepMap.rejectUnknownKeys(allowed: ["send", "press", "press_stale", "contact", "start", "advance", "expect", "calls"], in: "a script step", diagnostics: &diagnostics)
                let location = stepMap.location
                let action: ScriptStep.Action
                if let send = stepMap["send"] {
                    action = .send(send.scalarText ?? "")
                } else if let press = stepMap["press"] {
                    action = .press(press.scalarText ?? "")
                } else if let press = stepMap["press_stale"] {
                    action = .pressStale(press.scalarText ?? "")
                } else if let contact = stepMap["contact"], let contactMap = MappingReader(contact, path: path, what: "contact", diagnostics: &diagnostics) {
                    action = .contact(phone: contactMap["phone"]?.scalarText ?? "", own: contactMap["own"]?.bool ?? true)
                } else if let start = stepMap["start"], let startMap = MappingReader(start, path: path, what: "start", diagnostics: &diagnostics) {
                    var params: [String: Value] = [:]
                    if case .map(let m) = startMap["params"].map(dataValue) ?? .null { params = m }
                    action = .start(flow: startMap["flow"]?.scalarText ?? "", params: params)
                } else if let advance = stepMap["advance"] {
                    guard let text = advance.scalarText, let seconds = durationSeconds(text) else {
                        fail(advance, "advance must be a duration like 30m, 24h or 2d")
                        continue
                    }
                    action = .advance(seconds: seconds)
                } else {
                    diagnostics.append(.error("script", at: location, "a script step needs one of send, press, press_stale, contact, start, advance"))
                    continue
                }
                steps.append(ScriptStep(location: location, action: action, expect: stepMap["expect"].map { expectations($0, path: path, diagnostics: &diagnostics) },
                                        calls: stepMap["calls"].map { calls($0, path: path, diagnostics: &diagnostics) }))
            }
        } else {
            diagnostics.append(.error("script", at: map.location, "a script needs 'steps', a list"))
        }
        let name = map["script"]?.scalarText ?? (path as NSString).lastPathComponent
        return (ConversationScript(name: name, file: path, location: map.location, userID: userID, userName: userName, now: now, locale: locale, fixtures: fixtures, steps: steps), diagnostics)
    }

    static func expectations(_ node: Node, path: String, diagnostics: inout [Diagnostic]) -> [Expectation] {
        guard case .sequence(let items) = node else {
            diagnostics.append(.error("script", at: YAMLFile.location(of: node, in: path), "expect must be a list of messages"))
            return []
        }
        return items.compactMap { item in
            let location = YAMLFile.location(of: item, in: path)
            if let text = item.scalarText { return Expectation(location: location, text: text, args: nil, buttons: nil, keyboard: nil, file: nil) }
            guard let map = MappingReader(item, path: path, what: "an expected message", diagnostics: &diagnostics) else { return nil }
            map.rejectUnknownKeys(allowed: ["text", "args", "buttons", "keyboard", "file", "invoice"], in: "an expected message", diagnostics: &diagnostics)
            var args: [String: Value]?
            if case .map(let m)? = map["args"].map(dataValue) { args = m }
            func labels(_ node: Node?) -> [String]? {
                guard let node else { return nil }
                if let single = node.scalarText { return [single] }
                if case .sequence(let items) = node {
                    return items.flatMap { item -> [String] in
                        if case .sequence(let row) = item { return row.compactMap(\.scalarText) }
                        return item.scalarText.map { [$0] } ?? []
                    }
                }
                return nil
            }
            return Expectation(location: location, text: map["text"]?.scalarText, args: args, buttons: labels(map["buttons"]),
                               keyboard: labels(map["keyboard"]), file: map["file"]?.scalarText, invoice: map["invoice"]?.scalarText)
        }
    }

    static func calls(_ node: Node, path: String, diagnostics: inout [Diagnostic]) -> [ExpectedCall] {
        guard case .sequence(let items) = node else { return [] }
        return items.compactMap { item in
            guard let map = MappingReader(item, path: path, what: "an expected call", diagnostics: &diagnostics),
                  let action = map["action"]?.scalarText else { return nil }
            var with: [String: Value] = [:]
            if case .map(let m)? = map["with"].map(dataValue) { with = m }
            return ExpectedCall(location: map.location, action: action, with: with)
        }
    }

    /// Any YAML node as a `Value` (fixtures, parameters).
    static func dataValue(_ node: Node) -> Value {
        switch node {
        case .scalar: return node.literalValue ?? .null
        case .sequence(let items): return .list(items.map(dataValue))
        case .mapping(let map):
            var fields: [String: Value] = [:]
            for (key, value) in map { fields[key.scalarText ?? ""] = dataValue(value) }
            return .map(fields)
        case .alias: return .null
        }
    }

    static func durationSeconds(_ text: String) -> Int? {
        guard let unit = text.last, let n = Int(text.dropLast()) else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        case "d": return n * 86400
        default: return nil
        }
    }
}
