/// Variables: nothing is read that no flow ever sets (a typo), nothing is read in a flow before
/// that flow sets it on some path, and action results are read by the fields they have.
extension Validator {
    /// A place where a variable gets its value.
    struct Write {
        let path: [String]
        /// The fields an action's result has, when the write saves one.
        let fields: [String]?
    }

    static let userFields = ["id", "username", "name"]

    /// Every variable written by any flow, by root name and by flow, computed once per run.
    struct WriteIndex {
        var byRoot: [String: [Write]] = [:]
        /// Root name → the flows that write it.
        var flowsByRoot: [String: Set<String>] = [:]
        var allPaths: Set<String> = []
    }

    func writeIndex() -> WriteIndex {
        var index = WriteIndex()
        for flow in set.flows.values {
            for step in flow.steps {
                for (write, _) in stepWrites(step) {
                    guard let root = write.path.first else { continue }
                    index.byRoot[root, default: []].append(write)
                    index.flowsByRoot[root, default: []].insert(flow.name.value)
                    index.allPaths.insert(write.path.joined(separator: "."))
                }
            }
        }
        return index
    }

    /// What a step writes, and (for actions) on which route.
    func stepWrites(_ step: Step) -> [(write: Write, onlyTo: String?)] {
        switch step.kind {
        case .ask(let question):
            return question.save.map { [(Write(path: split($0.value), fields: nil), nil)] } ?? []
        case .set(let assignments):
            return assignments.map { (Write(path: split($0.path.value), fields: nil), nil) }
        case .action(let action):
            guard let save = action.save else { return [] }
            let fields = signatures[action.name.value].map(\.resultFields)
            // The result is saved on `ok` only: it is surely set in the step `ok` goes to, unless
            // another outcome goes there too ("" matches no step).
            let ok = action.target(for: "ok")?.value
            let onlyOk = action.routes.allSatisfy { $0.outcome.value == "ok" || $0.target.value != ok }
            return [(Write(path: split(save.value), fields: fields?.isEmpty == true ? nil : fields), onlyOk ? (ok ?? "") : "")]
        default:
            return []
        }
    }

    func split(_ path: String) -> [String] { path.split(separator: ".").map(String.init) }

    /// Every expression a step evaluates, and whether `item` is bound in it.
    func reads(of step: Step) -> [(expr: Expr, itemBound: Bool, isCondition: Bool)] {
        var result: [(Expr, Bool, Bool)] = []
        func text(_ ref: TextRef) { for argument in ref.args { result.append((argument.value, false, false)) } }
        switch step.kind {
        case .say(let say):
            text(say.text)
            if let file = say.file { result.append((file, false, false)) }
            if let invoice = say.invoice { result.append((invoice, false, false)) }
        case .ask(let question):
            text(question.text)
            for option in question.input?.options.values.sorted(by: { $0.location < $1.location }) ?? [] { result.append((option, false, false)) }
            if case .dynamic(let dynamic) = question.choices {
                result += [(dynamic.from, false, false), (dynamic.label, true, false), (dynamic.value, true, false)]
            }
        case .action(let action): result += action.arguments.map { ($0.value, false, false) }
        case .branch(let branch): result.append((branch.condition, false, true))
        case .set(let assignments): result += assignments.map { ($0.value, false, false) }
        case .call(let call): result += call.arguments.map { ($0.value, false, false) }
        case .wait(let wait): result += [wait.at, wait.duration].compactMap { $0 }.map { ($0, false, false) }
        case .jump: break
        }
        return result
    }

    mutating func checkVariables(_ flow: Flow, graph: StepGraph, writes: WriteIndex) {
        let defined = definitelySet(flow, graph: graph)
        let params = Set(flow.params.map(\.value))

        for step in flow.steps {
            for (expr, itemBound, isCondition) in reads(of: step) {
                for path in expr.expression.paths {
                    guard let root = path.first else { continue }
                    let shown = path.joined(separator: ".")
                    switch root {
                    case "locale": continue
                    case "user":
                        if path.count > 1, !Self.userFields.contains(path[1]) {
                            error("variable", expr.location, "'\(shown)': 'user' has only \(Self.userFields.joined(separator: ", "))")
                        }
                        continue
                    case "item":
                        if !itemBound { error("variable", expr.location, "'item' exists only in the 'label' and 'value' of choices built from a list") }
                        continue
                    case "params":
                        if path.count > 1, !params.contains(path[1]) {
                            error("variable", expr.location, "'\(shown)': flow '\(flow.name.value)' declares no param '\(path[1])'; add it under 'params'")
                        }
                        continue
                    default: break
                    }
                    let covering = (writes.byRoot[root] ?? []).filter { Self.covers($0.path, path) }
                    if covering.isEmpty {
                        error("variable", expr.location, "'\(shown)' is never set by any flow\(Suggestion.hint(for: shown, among: writes.allPaths))")
                        continue
                    }
                    // Reading a field of a saved action result: the action must give that field.
                    let results = covering.filter { $0.fields != nil && $0.path.count < path.count }
                    if !results.isEmpty, covering.allSatisfy({ $0.fields != nil && $0.path.count < path.count }),
                       !results.contains(where: { $0.fields!.contains(path[$0.path.count]) }) {
                        let fields = Set(results.flatMap { $0.fields! }).sorted()
                        error("variable", expr.location, "'\(shown)': the saved action result has no field '\(path[results[0].path.count])'; its fields: \(fields.joined(separator: ", "))")
                        continue
                    }
                    if isCondition || (writes.flowsByRoot[root] ?? []).contains(where: { $0 != flow.name.value }) { continue }
                    if let known = defined[step.name], !known.contains(where: { Self.covers($0, path) }) {
                        warning("variable", expr.location, "'\(shown)' may be read before it is set: some path to step '\(step.name)' does not set it")
                    }
                }
            }
        }
        checkWriteTargets(flow)
    }

    /// `a.b` is covered by a write of `a`, `a.b` or `a.b.c`.
    static func covers(_ write: [String], _ read: [String]) -> Bool {
        let n = min(write.count, read.count)
        return write.prefix(n) == read.prefix(n)
    }

    /// The variables set on every path from the flow's entry to each step (must-analysis).
    func definitelySet(_ flow: Flow, graph: StepGraph) -> [String: [[String]]] {
        var incoming: [String: Set<[String]>] = [:]
        guard flow.step(flow.entry.value) != nil else { return [:] }
        incoming[flow.entry.value] = []
        var work = [flow.entry.value]
        var rounds = 0
        while let name = work.popLast(), rounds < 10_000 {
            rounds += 1
            guard let step = flow.step(name), let known = incoming[name] else { continue }
            let writes = stepWrites(step)
            for target in graph.edges[name] ?? [] {
                var out = known
                for (write, onlyTo) in writes where onlyTo == nil || onlyTo == target { out.insert(write.path) }
                let merged = incoming[target].map { $0.intersection(out) } ?? out
                if merged != incoming[target] {
                    incoming[target] = merged
                    work.append(target)
                }
            }
        }
        return incoming.mapValues { Array($0) }
    }

    mutating func checkWriteTargets(_ flow: Flow) {
        for step in flow.steps {
            var targets: [Located<String>] = []
            switch step.kind {
            case .ask(let q): if let s = q.save { targets.append(s) }
            case .action(let a): if let s = a.save { targets.append(s) }
            case .set(let assignments): targets += assignments.map(\.path)
            default: break
            }
            for target in targets {
                let root = target.value.split(separator: ".").first.map(String.init) ?? ""
                if root == "user" || root == "item" {
                    error("save", target.location, "'\(root)' is provided by the bot and cannot be changed; save into another name, such as 'form.\(target.value.split(separator: ".").last ?? "x")'")
                }
            }
        }
    }
}
