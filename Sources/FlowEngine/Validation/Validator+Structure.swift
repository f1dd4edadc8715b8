/// Routes: every target exists, every step is reachable, none is a dead end, no loop spins
/// without waiting, and no back button crosses a commit point.
extension Validator {
    mutating func checkTargets(_ flow: Flow) {
        let names = flow.steps.map(\.name)
        func check(_ target: Located<String>) {
            if flow.step(target.value) == nil {
                error("unknown-step", target.location, "no step '\(target.value)' in flow '\(flow.name.value)'\(Suggestion.hint(for: target.value, among: names))")
            }
        }
        // A flow without steps is reported by the loader; its entry is not a second problem.
        if !flow.steps.isEmpty { check(flow.entry) }
        for step in flow.steps {
            StepGraph.targets(of: step).forEach(check)
            if case .goto(let target) = step.transition, set.flow(target.value) == nil {
                error("unknown-flow", target.location, "no flow '\(target.value)'\(Suggestion.hint(for: target.value, among: set.flows.keys))")
            }
        }
    }

    mutating func checkReachability(_ flow: Flow, graph: StepGraph) {
        guard flow.step(flow.entry.value) != nil else { return }
        let reachable = graph.reachable(from: flow.entry.value)
        let unreachable = Set(flow.steps.map(\.name)).subtracting(reachable)
        // One warning per unreachable region, at its first step: a broken route often strands
        // everything after it, and twenty warnings would hide the one error that matters.
        let heads = flow.steps.filter { step in
            unreachable.contains(step.name) && !(graph.incoming[step.name] ?? []).contains { $0 != step.name && unreachable.contains($0) }
        }
        // Heads first (in file order), then whatever is left: loops that nothing leads into.
        var reported: Set<String> = []
        for step in heads + flow.steps where unreachable.contains(step.name) && !reported.contains(step.name) {
            let region = graph.reachable(from: step.name).intersection(unreachable).subtracting(reported)
            reported.formUnion(region)
            let others = region.count - 1
            warning("unreachable", step.location,
                    "step '\(step.name)' can never be reached from the entry '\(flow.entry.value)'" + (others > 0 ? " (nor the \(others) step\(others == 1 ? "" : "s") it leads to)" : ""))
        }
    }

    /// A step that neither waits for an answer nor says where to go leaves the person stranded.
    mutating func checkDeadEnds(_ flow: Flow) {
        for step in flow.steps {
            guard case .none = step.transition else { continue }
            switch step.kind {
            case .ask(let question):
                let choicesRoute: Bool
                if case .fixed(let choices) = question.choices { choicesRoute = !choices.isEmpty && choices.allSatisfy { $0.next != nil } }
                else { choicesRoute = false }
                let isMenu = question.input == nil && question.choices == nil && question.keyboard != nil
                if !choicesRoute && !isMenu {
                    error("dead-end", step.location, "step '\(step.name)' takes an answer but does not say where to go next; add 'next', 'goto', 'end: true' or 'return: true'")
                }
            case .action, .branch:
                break
            case .call(let call):
                error("dead-end", step.location, "step '\(step.name)' calls '\(call.flow.value)' but does not say where to go when it returns; add 'next', 'goto', 'end: true' or 'return: true'")
            default:
                error("dead-end", step.location, "step '\(step.name)' does not say where to go next; add 'next', 'goto', 'end: true' or 'return: true'")
            }
        }
    }

    /// Steps that run without waiting (everything but questions and waits) must not form a cycle.
    mutating func checkLoops(_ flow: Flow, graph: StepGraph) {
        func waits(_ name: String) -> Bool {
            guard let step = flow.step(name) else { return true }
            switch step.kind {
            case .ask, .wait: return true
            default: return false
            }
        }
        var reported: Set<String> = []
        for step in flow.steps where !waits(step.name) && !reported.contains(step.name) {
            // Depth-first search for a path back to `step` through non-waiting steps only.
            var stack: [(String, [String])] = [(step.name, [step.name])]
            var seen: Set<String> = []
            while let (current, path) = stack.popLast() {
                for next in graph.edges[current] ?? [] where !waits(next) {
                    if next == step.name {
                        let cycle = path + [step.name]
                        reported.formUnion(cycle)
                        error("loop", step.location, "steps \(cycle.joined(separator: " → ")) loop without ever waiting for an answer")
                        stack = []
                        break
                    }
                    if seen.insert(next).inserted { stack.append((next, path + [next])) }
                }
            }
        }
    }

    /// Going back from a question returns to the question answered before it. If a commit
    /// point (a patient created, a booking made) lies between them, going back would pretend it
    /// did not happen.
    mutating func checkBackOverCommit(_ flow: Flow, graph: StepGraph) {
        for step in flow.steps where step.back {
            guard case .ask = step.kind else {
                error("back", step.location, "'back: true' belongs on a question ('ask'), not on a '\(step.kindName)' step")
                continue
            }
            var stack = [step.name]
            var seen: Set<String> = [step.name]
            while let current = stack.popLast() {
                for previous in graph.incoming[current] ?? [] where seen.insert(previous).inserted {
                    guard let prior = flow.step(previous) else { continue }
                    // An action commits only when it succeeds: other outcomes may be gone back over.
                    var commits = prior.commit
                    if commits, case .action(let action) = prior.kind { commits = action.target(for: "ok")?.value == current }
                    if commits {
                        error("back-over-commit", step.location,
                              "the back button of '\(step.name)' would go back over the commit point '\(previous)' (\(prior.location)); remove 'back: true' or ask something in between")
                        stack = []
                        break
                    }
                    if case .ask = prior.kind { continue }
                    stack.append(previous)
                }
            }
        }
    }
}
