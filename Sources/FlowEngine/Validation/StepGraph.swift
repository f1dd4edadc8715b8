/// The steps of one flow and where each can go next, for reachability and loop checks.
struct StepGraph {
    /// Step name → the steps it can go to within its flow.
    let edges: [String: [String]]
    /// Step name → the steps that can come to it.
    let incoming: [String: [String]]

    init(flow: Flow) {
        var edges: [String: [String]] = [:]
        for step in flow.steps {
            edges[step.name] = Self.targets(of: step).map(\.value).filter { flow.step($0) != nil }
        }
        var incoming: [String: [String]] = [:]
        for (from, tos) in edges { for to in tos { incoming[to, default: []].append(from) } }
        self.edges = edges
        self.incoming = incoming
    }

    /// Every step name a step can continue to inside its own flow.
    static func targets(of step: Step) -> [Located<String>] {
        var result: [Located<String>] = []
        if case .next(let target) = step.transition { result.append(target) }
        switch step.kind {
        case .ask(let question):
            if case .fixed(let choices) = question.choices { result += choices.compactMap(\.next) }
            if case .dynamic(let dynamic) = question.choices, let empty = dynamic.empty { result.append(empty) }
            if case .rows(let rows) = question.keyboard {
                for row in rows { for case .text(_, _, let next?) in row { result.append(next) } }
            }
        case .action(let action): result += action.routes.map(\.target)
        case .branch(let branch): result += [branch.then, branch.otherwise]
        case .wait(let wait): if let late = wait.late { result.append(late) }
        default: break
        }
        return result
    }

    /// Steps reachable from `start`.
    func reachable(from start: String) -> Set<String> {
        var seen: Set<String> = [start]
        var stack = [start]
        while let step = stack.popLast() {
            for next in edges[step] ?? [] where seen.insert(next).inserted { stack.append(next) }
        }
        return seen
    }
}
