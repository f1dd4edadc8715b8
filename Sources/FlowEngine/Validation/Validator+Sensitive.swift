/// Personal data lives only as long as the dialogue that asked for it: what a person types as
/// their name, phone, birth date or IIN, and what an action answers about them, must go into
/// a variable the flow lists under `sensitive` — the interpreter drops those when the flow ends.
extension Validator {
    /// Input types whose answers are a person's data.
    static let personalInputs: Set<InputType> = [.name, .phone, .contact, .birthDate, .iin]
    /// Roots the engine provides: a flow cannot own them.
    static let engineRoots: Set<String> = ["locale", "user", "params", "item"]

    mutating func checkSensitive(_ flow: Flow) {
        let own = Set(flow.sensitive.map(\.value))
        for name in flow.sensitive where Self.engineRoots.contains(name.value) {
            error("sensitive", name.location, "'\(name.value)' is provided by the bot; list the variables this flow saves personal data into")
        }
        for step in flow.steps {
            var targets: [(save: Located<String>, what: String)] = []
            switch step.kind {
            case .ask(let question):
                if let save = question.save, let type = question.input?.type.value, Self.personalInputs.contains(type) {
                    targets.append((save, "an answer of type '\(type.rawValue)'"))
                }
            case .action(let action):
                if let save = action.save, signatures[action.name.value]?.personalResult == true {
                    targets.append((save, "the result of '\(action.name.value)'"))
                }
            default: break
            }
            for (save, what) in targets {
                let root = String(save.value.split(separator: ".").first ?? "")
                // Saving into what the bot provides is its own error (`checkWriteTargets`).
                if !own.contains(root), !Self.engineRoots.contains(root) {
                    error("sensitive", save.location,
                          "\(what) is a person's data: save it into a variable listed under 'sensitive' in this flow (add 'sensitive: [\(root)]'), so it leaves the session when the flow ends")
                }
            }
        }
        // A copy outlives its source: `set` may not move a sensitive value into a variable that
        // is not sensitive (the card's number, `patient`, is no person's data and may be copied
        // by name: a field is checked by the root it is read from).
        for step in flow.steps {
            guard case .set(let assignments) = step.kind else { continue }
            for assignment in assignments {
                let target = String(assignment.path.value.split(separator: ".").first ?? "")
                guard !own.contains(target), !Self.engineRoots.contains(target) else { continue }
                let read = assignment.value.expression.paths.compactMap(\.first).filter { own.contains($0) }
                guard let source = read.first, !Self.copyable(assignment.value.expression) else { continue }
                error("sensitive", assignment.path.location,
                      "'\(assignment.path.value)' would keep a copy of the sensitive '\(source)' after the flow ends; list '\(target)' under 'sensitive' too, or keep only an id")
            }
        }
        // A variable that is sensitive anywhere is dropped whenever none of its flows runs: a
        // flow that writes it without declaring it would lose it between two steps.
        for step in flow.steps {
            for (write, _) in stepWrites(step) {
                guard let root = write.path.first, !own.contains(root),
                      let owners = set.sensitiveOwners[root], let location = writeLocation(step, root: root) else { continue }
                error("sensitive", location,
                      "'\(root)' is sensitive in flow \(owners.sorted().map { "'\($0)'" }.joined(separator: ", ")): list it under 'sensitive' here too, or use another name")
            }
        }
    }

    /// Ids and the person's language may leave a flow: `found.patient_id`, `found.language`.
    static func copyable(_ expression: Expression) -> Bool {
        guard case .path(let names) = expression, let field = names.last, names.count > 1 else { return false }
        return field == "language" || field == "id" || field.hasSuffix("_id")
    }

    private func writeLocation(_ step: Step, root: String) -> SourceLocation? {
        func matches(_ path: Located<String>) -> Bool { path.value.split(separator: ".").first.map(String.init) == root }
        switch step.kind {
        case .ask(let question): return question.save.flatMap { matches($0) ? $0.location : nil }
        case .action(let action): return action.save.flatMap { matches($0) ? $0.location : nil }
        case .set(let assignments): return assignments.first(where: { matches($0.path) })?.path.location
        default: return nil
        }
    }
}
