/// Actions and sub-flows are called with the arguments they declare, and every outcome is routed.
extension Validator {
    mutating func checkActions(_ flow: Flow) {
        for step in flow.steps {
            guard case .action(let action) = step.kind else { continue }
            guard let signature = signatures[action.name.value] else {
                error("unknown-action", action.name.location, "no action '\(action.name.value)'\(Suggestion.hint(for: action.name.value, among: signatures.keys))")
                continue
            }
            let declared = Dictionary(signature.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for argument in action.arguments {
                guard let parameter = declared[argument.name.value] else {
                    error("action-argument", argument.name.location,
                          "action '\(signature.name)' has no parameter '\(argument.name.value)'\(Suggestion.hint(for: argument.name.value, among: declared.keys))")
                    continue
                }
                if let problem = typeProblem(argument.value, expected: parameter.type) {
                    error("action-argument", argument.value.location, "'\(argument.name.value)' of action '\(signature.name)' must be \(parameter.type.rawValue), but \(problem)")
                }
            }
            let given = Set(action.arguments.map(\.name.value))
            for parameter in signature.parameters where parameter.required && !given.contains(parameter.name) {
                error("action-argument", action.name.location, "action '\(signature.name)' needs '\(parameter.name)' under 'with'")
            }
            for route in action.routes where !signature.allOutcomes.contains(route.outcome.value) {
                error("action-outcome", route.outcome.location,
                      "action '\(signature.name)' has no outcome '\(route.outcome.value)'; its outcomes: \(signature.allOutcomes.joined(separator: ", "))")
            }
            let routed = Set(action.routes.map(\.outcome.value))
            if routed.isEmpty {
                error("action-outcome", action.name.location,
                      "action '\(signature.name)' needs 'on:' with a step for each outcome: \(signature.allOutcomes.joined(separator: ", "))")
            }
            for outcome in signature.allOutcomes where !routed.contains(outcome) && !routed.isEmpty {
                error("action-outcome", action.name.location, "outcome '\(outcome)' of action '\(signature.name)' is not routed; add '\(outcome): STEP' under 'on'")
            }
            if let save = action.save, !signature.resultFields.isEmpty, save.value.split(separator: ".").first == "locale" {
                error("save", save.location, "the result of '\(signature.name)' cannot be saved into 'locale'")
            }
        }
    }

    /// A constant argument of the wrong kind (`true` where a date is expected).
    func typeProblem(_ expr: Expr, expected: ActionSignature.ValueType) -> String? {
        guard case .literal(let value) = expr.expression else { return nil }
        let fits: Bool
        switch (expected, value) {
        case (.any, _), (_, .null): fits = true
        case (.string, .string), (.date, .string), (.datetime, .string): fits = true
        case (.int, .int), (.bool, .bool), (.list, .list), (.map, .map): fits = true
        default: fits = false
        }
        return fits ? nil : "'\(expr.source)' is not"
    }

    mutating func checkCalls(_ flow: Flow) {
        for step in flow.steps {
            guard case .call(let call) = step.kind else { continue }
            guard let callee = set.flow(call.flow.value) else {
                error("unknown-flow", call.flow.location, "no flow '\(call.flow.value)'\(Suggestion.hint(for: call.flow.value, among: set.flows.keys))")
                continue
            }
            let params = Set(callee.params.map(\.value))
            for argument in call.arguments where !params.contains(argument.name.value) {
                error("call-argument", argument.name.location,
                      "flow '\(callee.name.value)' declares no param '\(argument.name.value)'\(Suggestion.hint(for: argument.name.value, among: params))")
            }
            let given = Set(call.arguments.map(\.name.value))
            for param in callee.params where !given.contains(param.value) {
                warning("call-argument", call.flow.location, "flow '\(callee.name.value)' expects param '\(param.value)', not given under 'with'")
            }
        }
    }
}
