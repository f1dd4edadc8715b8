import Foundation

/// Reading and writing variables, evaluating expressions and rendering texts.
extension Run {
    /// Reads a root variable. `user`, `locale`, `params` and `item` are provided by the engine;
    /// everything else is what flows saved.
    func lookup(_ root: String, item: Value?) -> Value {
        switch root {
        case "item": return item ?? .null
        case "params": return .map(frame?.params ?? [:])
        case "locale": return .string(language.rawValue)
        case "user":
            return .map([
                "id": .int(Int(session.userID)),
                "username": session.username.map(Value.string) ?? .null,
                "name": session.displayName.map(Value.string) ?? .null,
            ])
        default: return session.variables[root] ?? .null
        }
    }

    func evaluate(_ expr: Expr, item: Value? = nil) -> Value {
        let context = EvaluationContext(
            now: now, timeZone: locales.timeZone,
            lookup: { lookup($0, item: item) },
            text: { locales.plain($0, in: language) })
        return expr.expression.evaluate(in: context)
    }

    func render(_ text: TextRef) -> String {
        if text.args.isEmpty { return locales.plain(text.key.value, in: language) }
        return locales.render(text.key.value, in: language) { name in
            guard let argument = text.args.first(where: { $0.name.value == name }) else { return .null }
            return evaluate(argument.value)
        }
    }

    /// Writes `value` at a dotted path, remembering the old value for the back button.
    mutating func write(_ path: String, _ value: Value) {
        var parts = path.split(separator: ".").map(String.init)
        guard !parts.isEmpty else { return }
        let root = parts.removeFirst()
        switch root {
        case "locale":
            if let language = value.stringValue.flatMap(Language.init(rawValue:)) { session.locale = language }
        case "params":
            guard !session.frames.isEmpty else { return }
            let old = Value.map(session.frames[session.frames.count - 1].params)
            if case .map(let params) = Self.setting(parts, to: value, in: old) { session.frames[session.frames.count - 1].params = params }
        case "user", "item":
            return  // provided by the engine; the validator refuses writes here
        default:
            let old = session.variables[root]
            if !session.history.isEmpty, session.history[session.history.count - 1].undo[root] == nil {
                session.history[session.history.count - 1].undo[root] = .some(old)
            }
            session.variables[root] = Self.setting(parts, to: value, in: old ?? .null)
        }
    }

    static func setting(_ path: [String], to value: Value, in container: Value) -> Value {
        guard let first = path.first else { return value }
        var fields: [String: Value]
        if case .map(let existing) = container { fields = existing } else { fields = [:] }
        fields[first] = setting(Array(path.dropFirst()), to: value, in: fields[first] ?? .null)
        return .map(fields)
    }
}
