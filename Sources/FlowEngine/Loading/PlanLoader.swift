import Yams

/// Reads a plan file (`plan: NAME`, `entries:`) with `file:line:col` for every problem.
struct PlanLoader {
    let file: YAMLFile
    var diagnostics: [Diagnostic] = []

    static let planKeys = ["plan", "description", "entries"]
    static let entryKeys = ["flow", "at", "quiet", "note"]

    init(file: YAMLFile) { self.file = file }

    /// Whether the parsed file is a plan rather than a flow.
    static func isPlan(_ file: YAMLFile) -> Bool {
        guard case .mapping(let mapping)? = file.root else { return false }
        return mapping.contains { $0.key.scalar?.string == "plan" }
    }

    mutating func load() -> ReminderPlan? {
        guard let root = file.root,
              let top = MappingReader(root, path: file.path, what: "a plan file", diagnostics: &diagnostics) else { return nil }
        top.rejectUnknownKeys(allowed: Self.planKeys, in: "a plan file", diagnostics: &diagnostics)
        guard let nameNode = top["plan"], let name = identifier(nameNode, what: "the plan's name") else { return nil }
        guard let entriesNode = top["entries"] else {
            diagnostics.append(.error("structure", at: top.location, "a plan needs 'entries'"))
            return nil
        }
        guard let entries = MappingReader(entriesNode, path: file.path, what: "entries", diagnostics: &diagnostics) else { return nil }
        var read: [ReminderPlan.Entry] = []
        for entry in entries.entries {
            guard let entryName = identifier(entry.keyNode, what: "an entry's name"),
                  let map = MappingReader(entry.value, path: file.path, what: "entry '\(entry.key)'", diagnostics: &diagnostics)
            else { continue }
            map.rejectUnknownKeys(allowed: Self.entryKeys, in: "a plan entry", diagnostics: &diagnostics)
            let flow = required(map, "flow").flatMap { identifier($0, what: "'flow'") }
            let moment = required(map, "at").flatMap { self.moment($0) }
            let quiet: ReminderPlan.Quiet? = if let node = map["quiet"] { quietRule(node) } else { .send }
            if let flow, let moment, let quiet {
                read.append(ReminderPlan.Entry(name: entryName, flow: flow, moment: moment, quiet: quiet))
            }
        }
        return ReminderPlan(name: name, file: file.path, entries: read)
    }

    private mutating func required(_ map: MappingReader, _ key: String) -> Node? {
        if let node = map[key] { return node }
        diagnostics.append(.error("structure", at: map.location, "a plan entry needs '\(key)'"))
        return nil
    }

    private mutating func identifier(_ node: Node, what: String) -> Located<String>? {
        guard let text = node.scalarText, isIdentifier(text) else {
            diagnostics.append(.error("name", at: file.location(of: node), "\(what) must be a name of latin letters, digits and '_'"))
            return nil
        }
        return Located(text, at: file.location(of: node))
    }

    private mutating func quietRule(_ node: Node) -> ReminderPlan.Quiet? {
        if let text = node.scalarText, let rule = ReminderPlan.Quiet(rawValue: text) { return rule }
        let allowed = ReminderPlan.Quiet.allCases.map(\.rawValue)
        diagnostics.append(.error("value", at: file.location(of: node),
                                  "'quiet' must be one of \(allowed.joined(separator: ", "))\(Suggestion.hint(for: node.scalarText ?? "", among: allowed))"))
        return nil
    }

    /// `start - 24h`, `end + 2h`, `start`: an anchor, then optionally + or − and a duration.
    private mutating func moment(_ node: Node) -> ReminderPlan.Moment? {
        let problem = "'at' must be the appointment's start or end, moved by a duration: 'start - 24h', 'start + 5m', 'end + 2h'"
        guard let text = node.scalarText else {
            diagnostics.append(.error("value", at: file.location(of: node), problem))
            return nil
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = parts.first, let anchor = ReminderPlan.Moment.Anchor(rawValue: first) else {
            diagnostics.append(.error("value", at: file.location(of: node), problem))
            return nil
        }
        if parts.count == 1 { return ReminderPlan.Moment(anchor: anchor, offsetSeconds: 0) }
        guard parts.count == 3, parts[1] == "+" || parts[1] == "-", let seconds = Self.duration(parts[2]) else {
            diagnostics.append(.error("value", at: file.location(of: node), problem))
            return nil
        }
        return ReminderPlan.Moment(anchor: anchor, offsetSeconds: parts[1] == "-" ? -seconds : seconds)
    }

    /// `90s`, `30m`, `24h`, `7d`: a duration as flow expressions write it (a bare number is
    /// not one here: the unit says what is meant).
    static func duration(_ text: String) -> Int? {
        guard let unit = text.last, unit.isLetter, case .literal(.int(let seconds))? = try? Expression.parse(text),
              (0...366 * 86_400).contains(seconds) else { return nil }
        return seconds
    }
}
