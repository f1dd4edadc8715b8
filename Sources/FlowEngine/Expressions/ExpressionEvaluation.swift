extension Expression {
    /// The value of the expression in a context. Never throws and never traps: wrong types,
    /// missing variables, division by zero and overflow all give `null` (or `false` in comparisons).
    public func evaluate(in context: EvaluationContext) -> Value {
        switch self {
        case .literal(let value):
            return value
        case .path(let names):
            var value = context.lookup(names[0])
            for name in names.dropFirst() { value = value[name] }
            return value
        case .member(let base, let name):
            return base.evaluate(in: context)[name]
        case .index(let base, let index):
            return Self.element(of: base.evaluate(in: context), at: index.evaluate(in: context))
        case .list(let items):
            return .list(items.map { $0.evaluate(in: context) })
        case .unary(.not, let operand):
            return .bool(!operand.evaluate(in: context).isTruthy)
        case .unary(.negate, let operand):
            return ExpressionSemantics.negate(operand.evaluate(in: context))
        case .binary(let op, let left, let right):
            return ExpressionSemantics.apply(op, left.evaluate(in: context), right.evaluate(in: context))
        case .all(let items):
            for item in items where !item.evaluate(in: context).isTruthy { return .bool(false) }
            return .bool(true)
        case .any(let items):
            for item in items where item.evaluate(in: context).isTruthy { return .bool(true) }
            return .bool(false)
        case .call(let function, let arguments):
            return function.call(arguments, in: context)
        case .text(let key):
            return .string(context.text(key))
        }
    }

    /// `list[number]` by position from 0, `map['key']` by key; anything else is null.
    private static func element(of base: Value, at index: Value) -> Value {
        switch (base, index) {
        case (.list(let items), _):
            guard let i = ExpressionSemantics.wholeInteger(index), items.indices.contains(i) else { return .null }
            return items[i]
        case (.map(let fields), .string(let key)):
            return fields[key] ?? .null
        default:
            return .null
        }
    }
}
