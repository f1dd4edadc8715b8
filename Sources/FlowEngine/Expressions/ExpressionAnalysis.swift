/// Static facts the validator checks without evaluating anything.
extension Expression {
    /// Every variable path the expression reads, in source order, repeats included:
    /// `patient.id` gives `["patient", "id"]`. A path stops at a computed index, so `a[0].b` gives `["a"]`.
    public var paths: [[String]] {
        var result: [[String]] = []
        collectPaths(into: &result)
        return result
    }

    /// The locale keys passed to `t()`, in source order.
    public var textKeys: [String] {
        var result: [String] = []
        collectTextKeys(into: &result)
        return result
    }

    /// True when the value never depends on variables, the clock, the time zone or the texts,
    /// so it can be evaluated once at load time.
    public var isConstant: Bool {
        switch self {
        case .literal: return true
        case .path, .text: return false
        case .member(let base, _): return base.isConstant
        case .index(let base, let index): return base.isConstant && index.isConstant
        case .unary(_, let operand): return operand.isConstant
        case .binary(_, let left, let right): return left.isConstant && right.isConstant
        case .list(let items), .all(let items), .any(let items): return items.allSatisfy(\.isConstant)
        case .call(let function, let arguments):
            return !function.dependsOnContext && arguments.allSatisfy(\.isConstant)
        }
    }

    private func collectPaths(into result: inout [[String]]) {
        switch self {
        case .literal, .text: break
        case .path(let names): result.append(names)
        case .member(let base, _), .unary(_, let base): base.collectPaths(into: &result)
        case .index(let first, let second), .binary(_, let first, let second):
            first.collectPaths(into: &result)
            second.collectPaths(into: &result)
        case .list(let items), .all(let items), .any(let items), .call(_, let items):
            for item in items { item.collectPaths(into: &result) }
        }
    }

    private func collectTextKeys(into result: inout [String]) {
        switch self {
        case .literal, .path: break
        case .text(let key): result.append(key)
        case .call(.t, let arguments), .call(.wording, let arguments):
            if case .literal(.string(let key))? = arguments.first { result.append(key) }
        case .member(let base, _), .unary(_, let base): base.collectTextKeys(into: &result)
        case .index(let first, let second), .binary(_, let first, let second):
            first.collectTextKeys(into: &result)
            second.collectTextKeys(into: &result)
        case .list(let items), .all(let items), .any(let items), .call(_, let items):
            for item in items { item.collectTextKeys(into: &result) }
        }
    }
}
