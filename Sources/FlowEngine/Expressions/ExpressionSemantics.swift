/// What the operators do to values. Every function here is total: values of the wrong type,
/// division by zero and overflow give `null` (or `false` for comparisons) instead of trapping.
enum ExpressionSemantics {
    static func apply(_ op: Expression.BinaryOperator, _ left: Value, _ right: Value) -> Value {
        switch op {
        case .equal: return .bool(equal(left, right))
        case .notEqual: return .bool(!equal(left, right))
        case .less: return .bool(compare(left, right).map { $0 < 0 } ?? false)
        case .lessOrEqual: return .bool(compare(left, right).map { $0 <= 0 } ?? false)
        case .greater: return .bool(compare(left, right).map { $0 > 0 } ?? false)
        case .greaterOrEqual: return .bool(compare(left, right).map { $0 >= 0 } ?? false)
        case .in: return .bool(contains(right, left))
        case .notIn: return .bool(!contains(right, left))
        case .add: return add(left, right)
        case .subtract: return subtract(left, right)
        case .multiply: return multiply(left, right)
        case .divide: return divide(left, right)
        case .remainder: return remainder(left, right)
        }
    }

    // MARK: Equality and order

    /// Structural equality in which `1 == 1.0`.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)):
            // Exact: converting the Int to Double would call 2^63 - 1 and 2^63 equal.
            return Int(exactly: y) == x
        case (.string(let x), .string(let y)): return x == y
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where !equal(p, q) { return false }
            return true
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            for (key, p) in x {
                guard let q = y[key], equal(p, q) else { return false }
            }
            return true
        default:
            return false
        }
    }

    /// -1, 0 or 1 for two numbers or two strings; nil when they cannot be ordered.
    /// Strings order lexicographically, which is chronological for ISO dates and UTC moments.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : x == y ? 0 : 1
        case (.string(let x), .string(let y)): return x < y ? -1 : x == y ? 0 : 1
        default:
            guard let x = double(a), let y = double(b) else { return nil }
            if x < y { return -1 }
            if x > y { return 1 }
            return x == y ? 0 : nil  // NaN has no order
        }
    }

    /// `needle in haystack`: an element of a list, a key of a map, or a piece of a string.
    static func contains(_ haystack: Value, _ needle: Value) -> Bool {
        switch (haystack, needle) {
        case (.list(let items), _):
            for item in items where equal(item, needle) { return true }
            return false
        case (.map(let fields), .string(let key)):
            return fields[key] != nil
        case (.string(let text), .string(let piece)):
            return piece.isEmpty || text.contains(piece)
        default:
            return false
        }
    }

    // MARK: Arithmetic

    static func add(_ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (sum, overflow) = x.addingReportingOverflow(y)
            return overflow ? .null : .int(sum)
        case (.string(let x), .string(let y)): return .string(x + y)
        case (.list(let x), .list(let y)): return .list(x + y)
        case (.string(let text), _): return shift(text, by: b)
        case (_, .string(let text)): return shift(text, by: a)
        default: return finite(double(a), double(b), +)
        }
    }

    static func subtract(_ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let (difference, overflow) = x.subtractingReportingOverflow(y)
            return overflow ? .null : .int(difference)
        case (.string(let x), .string(let y)): return interval(from: y, to: x)
        case (.string(let text), _): return shift(text, by: negate(b))
        default: return finite(double(a), double(b), -)
        }
    }

    static func multiply(_ a: Value, _ b: Value) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            let (product, overflow) = x.multipliedReportingOverflow(by: y)
            return overflow ? .null : .int(product)
        }
        return finite(double(a), double(b), *)
    }

    /// Whole quotients stay integers (`48h / 2`), others become decimals (`7 / 2` is 3.5).
    static func divide(_ a: Value, _ b: Value) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            guard y != 0 else { return .null }
            let (quotient, overflow) = x.dividedReportingOverflow(by: y)
            if overflow { return .null }
            return x % y == 0 ? .int(quotient) : .double(Double(x) / Double(y))
        }
        guard let y = double(b), y != 0 else { return .null }
        return finite(double(a), y, /)
    }

    static func remainder(_ a: Value, _ b: Value) -> Value {
        if case .int(let x) = a, case .int(let y) = b {
            guard y != 0 else { return .null }
            let (rest, overflow) = x.remainderReportingOverflow(dividingBy: y)
            return overflow ? .null : .int(rest)
        }
        guard let y = double(b), y != 0 else { return .null }
        return finite(double(a), y) { $0.truncatingRemainder(dividingBy: $1) }
    }

    static func negate(_ a: Value) -> Value {
        switch a {
        case .int(let x):
            let (negated, overflow) = 0.subtractingReportingOverflow(x)
            return overflow ? .null : .int(negated)
        case .double(let x): return .double(-x)
        default: return .null
        }
    }

    // MARK: Moments and dates

    /// A moment or date string moved by a number of seconds; dates move only by whole days.
    static func shift(_ text: String, by seconds: Value) -> Value {
        if let days = ExpressionTime.parseDate(text) {
            guard let delta = wholeInteger(seconds) else { return .null }
            let (dayDelta, rest) = delta.quotientAndRemainder(dividingBy: ExpressionTime.secondsPerDay)
            guard rest == 0 else { return .null }
            let (newDays, overflow) = days.addingReportingOverflow(dayDelta)
            if overflow { return .null }
            return ExpressionTime.formatDate(days: newDays).map(Value.string) ?? .null
        }
        guard let moment = ExpressionTime.parseMoment(text) else { return .null }
        let target: Int
        switch seconds {
        case .int(let delta):
            let (sum, overflow) = moment.seconds.addingReportingOverflow(delta)
            if overflow { return .null }
            target = sum
        case .double(let delta):
            // The result is written in whole seconds; the fraction is dropped towards the past.
            let exact = (Double(moment.seconds) + moment.fraction + delta).rounded(.down)
            guard let whole = Int(exactly: exact) else { return .null }
            target = whole
        default:
            return .null
        }
        return ExpressionTime.formatMoment(seconds: target).map(Value.string) ?? .null
    }

    /// Seconds from one moment to another, or between two dates; mixing the two gives null.
    static func interval(from start: String, to end: String) -> Value {
        if let startDay = ExpressionTime.parseDate(start) {
            guard let endDay = ExpressionTime.parseDate(end) else { return .null }
            // Both are within years 0–9999, so this cannot overflow.
            return .int((endDay - startDay) * ExpressionTime.secondsPerDay)
        }
        guard let from = ExpressionTime.parseMoment(start), let to = ExpressionTime.parseMoment(end) else {
            return .null
        }
        let seconds = to.seconds - from.seconds
        if from.fraction == 0, to.fraction == 0 { return .int(seconds) }
        return .double(Double(seconds) + (to.fraction - from.fraction))
    }

    // MARK: Number helpers

    /// Numbers as Double for mixed arithmetic; booleans are not numbers.
    static func double(_ value: Value) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// An Int, or a Double with no fractional part that fits in one.
    static func wholeInteger(_ value: Value) -> Int? {
        switch value {
        case .int(let i): return i
        case .double(let d): return d.rounded() == d ? Int(exactly: d) : nil
        default: return nil
        }
    }

    private static func finite(_ a: Double?, _ b: Double?, _ operation: (Double, Double) -> Double) -> Value {
        guard let a, let b else { return .null }
        let result = operation(a, b)
        return result.isFinite ? .double(result) : .null
    }
}
