import Foundation

extension Expression.Function {
    /// Runs the function. Arguments are evaluated here, one at a time, so `coalesce` can stop
    /// early and no argument array is built. The parser has already checked the argument count.
    func call(_ arguments: [Expression], in context: EvaluationContext) -> Value {
        func argument(_ i: Int) -> Value { arguments[i].evaluate(in: context) }
        switch self {
        case .len:
            switch argument(0) {
            case .string(let s): return .int(s.count)
            case .list(let l): return .int(l.count)
            case .map(let m): return .int(m.count)
            // A missing answer has no length yet; 0 lets `len(x) == 0` read naturally.
            case .null: return .int(0)
            default: return .null
            }
        case .empty:
            switch argument(0) {
            case .null: return .bool(true)
            case .string(let s): return .bool(s.isEmpty)
            case .list(let l): return .bool(l.isEmpty)
            case .map(let m): return .bool(m.isEmpty)
            default: return .bool(false)
            }
        case .now:
            guard let seconds = context.nowSeconds else { return .null }
            return ExpressionTime.formatMoment(seconds: seconds).map(Value.string) ?? .null
        case .today:
            guard let day = context.today else { return .null }
            return ExpressionTime.formatDate(days: day).map(Value.string) ?? .null
        case .date:
            guard let day = Self.localDay(of: argument(0), in: context) else { return .null }
            return ExpressionTime.formatDate(days: day).map(Value.string) ?? .null
        case .age:
            guard let birth = Self.localDay(of: argument(0), in: context), let today = context.today,
                birth <= today
            else { return .null }
            let b = ExpressionTime.civil(days: birth), t = ExpressionTime.civil(days: today)
            let hadBirthday = (t.month, t.day) >= (b.month, b.day)
            return .int(t.year - b.year - (hadBirthday ? 0 : 1))
        case .lower:
            guard case .string(let s) = argument(0) else { return .null }
            return .string(s.lowercased())
        case .upper:
            guard case .string(let s) = argument(0) else { return .null }
            return .string(s.uppercased())
        case .first:
            guard case .list(let l) = argument(0) else { return .null }
            return l.first ?? .null
        case .last:
            guard case .list(let l) = argument(0) else { return .null }
            return l.last ?? .null
        case .contains:
            return .bool(ExpressionSemantics.contains(argument(0), argument(1)))
        case .coalesce:
            for expression in arguments {
                let value = expression.evaluate(in: context)
                if !value.isNull { return value }
            }
            return .null
        case .t:
            // The parser turns t('key') into `.text`; this only runs for hand-built trees.
            guard case .string(let key) = argument(0) else { return .null }
            return .string(context.text(key))
        case .wording:
            // A text as the person was shown it, with the key it came from: what a consent
            // ledger records (the action hashes the text).
            guard case .string(let key) = argument(0) else { return .null }
            return .map(["key": .string(key), "text": .string(context.text(key))])
        case .str:
            return .string(argument(0).displayText)
        case .int:
            return Self.integer(argument(0))
        }
    }

    /// The local day of a date string (as is) or a moment string (in the context's time zone).
    private static func localDay(of value: Value, in context: EvaluationContext) -> Int? {
        guard case .string(let text) = value else { return nil }
        if let day = ExpressionTime.parseDate(text) { return day }
        guard let moment = ExpressionTime.parseMoment(text) else { return nil }
        return context.localDay(ofUTCSeconds: moment.seconds)
    }

    /// Whole numbers from numbers, booleans and typed answers ("18", " 18 ", "18.5"); decimals truncate.
    private static func integer(_ value: Value) -> Value {
        switch value {
        case .int: return value
        case .double(let d): return Int(exactly: d.rounded(.towardZero)).map(Value.int) ?? .null
        case .bool(let b): return .int(b ? 1 : 0)
        case .string(let s):
            let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if let i = Int(trimmed) { return .int(i) }
            guard let d = Double(trimmed), d.isFinite else { return .null }
            return integer(.double(d))
        default: return .null
        }
    }
}
