extension Validator {
    /// Every plan entry starts a flow that exists and expects only what the planner gives it;
    /// entry names are unique across plans, since they name the jobs.
    mutating func checkPlans() {
        var names: [String: SourceLocation] = [:]
        for plan in set.plans {
            for entry in plan.entries {
                if let first = names[entry.name.value] {
                    error("duplicate-entry", entry.name.location, "plan entry '\(entry.name.value)' is also given at \(first)")
                } else {
                    names[entry.name.value] = entry.name.location
                }
                guard let flow = set.flow(entry.flow.value) else {
                    error("unknown-flow", entry.flow.location, "no flow '\(entry.flow.value)'\(Suggestion.hint(for: entry.flow.value, among: set.flows.keys))")
                    continue
                }
                for param in flow.params where !ReminderPlan.parameters.contains(param.value) {
                    error("plan-params", entry.flow.location,
                          "flow '\(flow.name.value)' expects param '\(param.value)', but a plan starts it only with \(ReminderPlan.parameters.joined(separator: ", "))")
                }
            }
        }
    }
}
