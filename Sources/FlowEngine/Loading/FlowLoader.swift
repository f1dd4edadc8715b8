import Yams

/// Turns one flow file into a `Flow`, reporting every problem with its file, line and column
/// instead of stopping at the first.
struct FlowLoader {
    let file: YAMLFile
    var diagnostics: [Diagnostic] = []

    static let flowKeys = ["flow", "description", "entry", "params", "sensitive", "triggers", "steps"]
    static let triggerKeys = ["commands", "texts", "resume"]
    static let transitionKeys = ["next", "goto", "end", "return"]
    static let commonKeys = transitionKeys + ["back", "commit", "note"]
    static let kindKeys: [String: [String]] = [
        "say": ["say", "args", "keyboard", "file", "invoice"],
        "ask": ["ask", "args", "input", "choices", "columns", "keyboard", "invalid", "save"],
        "do": ["do", "with", "save", "on", "back", "commit", "note"],
        "if": ["if", "then", "else", "note"],
        "set": ["set"],
        "call": ["call", "with"],
        "wait": ["wait"],
    ]
    static let kindOrder = ["say", "ask", "do", "if", "set", "call", "wait"]
    static var allStepKeys: [String] {
        Array(Set(kindKeys.values.flatMap { $0 } + commonKeys)).sorted()
    }

    init(file: YAMLFile) { self.file = file }

    mutating func load() -> Flow? {
        guard let root = file.root else {
            if !file.failed {
                diagnostics.append(.error("structure", at: SourceLocation(file: file.path, line: 1, column: 1), "the file is empty; a flow starts with 'flow: NAME'"))
            }
            return nil
        }
        guard let top = MappingReader(root, path: file.path, what: "a flow file", diagnostics: &diagnostics) else { return nil }
        top.rejectUnknownKeys(allowed: Self.flowKeys, in: "a flow file", diagnostics: &diagnostics)

        guard let name = requiredName(top, "flow", what: "the flow's name") else { return nil }
        let description = top["description"]?.scalarText
        let entry = requiredName(top, "entry", what: "the first step's name")
        let params = names(top["params"], what: "params")
        let sensitive = names(top["sensitive"], what: "sensitive")
        let triggers = top["triggers"].map { readTriggers($0) } ?? .none

        var steps: [Step] = []
        if let stepsNode = top["steps"], let stepMap = MappingReader(stepsNode, path: file.path, what: "steps", diagnostics: &diagnostics) {
            for entry in stepMap.entries {
                let location = file.location(of: entry.keyNode)
                guard isIdentifier(entry.key) else {
                    diagnostics.append(.error("name", at: location, "step name '\(entry.key)' may contain only latin letters, digits and '_'"))
                    continue
                }
                // A step that could not be read (its error is reported) still exists for the steps
                // that go to it, so they are not reported as going nowhere.
                steps.append(
                    readStep(named: entry.key, at: location, entry.value)
                        ?? Step(name: entry.key, location: location, kind: .jump, transition: .end, back: false, commit: false))
            }
            if stepMap.entries.isEmpty {
                diagnostics.append(.error("structure", at: stepMap.location, "a flow needs at least one step"))
            }
        } else if top["steps"] == nil {
            diagnostics.append(.error("structure", at: top.location, "a flow needs 'steps'"))
        }
        guard let entry else { return nil }
        return Flow(
            name: name, description: description, entry: entry, params: params, triggers: triggers, steps: steps,
            sensitive: sensitive)
    }

    // MARK: - Steps

    private mutating func readStep(named name: String, at location: SourceLocation, _ node: Node) -> Step? {
        guard let map = MappingReader(node, path: file.path, what: "step '\(name)'", diagnostics: &diagnostics) else { return nil }
        let kinds = map.entries.map(\.key).filter { Self.kindOrder.contains($0) }
        if kinds.count > 1 {
            diagnostics.append(
                .error("structure", at: map.keyLocation(kinds[1]) ?? location,
                       "step '\(name)' does more than one thing ('\(kinds[0])' and '\(kinds[1])'); split it into two steps"))
        }
        let kind = kinds.first
        // The kinds after the first are reported above, not again as unknown keys.
        var allowed = (kind.flatMap { Self.kindKeys[$0] } ?? []) + (kind == "if" || kind == "do" ? [] : Self.commonKeys) + kinds.dropFirst()
        if kind == "if" || kind == "do" {
            // These steps go where their outcome or condition says; a transition would be ignored.
            for key in Self.transitionKeys where map[key] != nil {
                diagnostics.append(
                    .error("unknown-key", at: map.keyLocation(key)!,
                           "unknown key '\(key)' in a '\(kind!)' step: it goes \(kind == "do" ? "where 'on' says for each outcome" : "to 'then' or 'else'")"))
            }
            allowed += Self.transitionKeys
        }
        map.rejectUnknownKeys(allowed: allowed.isEmpty ? Self.commonKeys : Array(Set(allowed)).sorted(),
                              in: Self.article(for: kind ?? "goto") + " '\(kind ?? "goto")' step", diagnostics: &diagnostics)

        let transition = kind == "if" || kind == "do" ? Transition.none : readTransition(map)
        let back = map["back"].flatMap { boolean($0, what: "back") } ?? false
        let commit = map["commit"].flatMap { boolean($0, what: "commit") } ?? false
        let stepKind: Step.Kind
        switch kind {
        case "say": stepKind = .say(readSay(map))
        case "ask": stepKind = .ask(readQuestion(map))
        case "do":
            guard let action = readAction(map) else { return nil }
            stepKind = .action(action)
        case "if":
            guard let branch = readBranch(map, step: name, at: location) else { return nil }
            stepKind = .branch(branch)
        case "set": stepKind = .set(readAssignments(map["set"]!))
        case "call":
            guard let flow = scalarName(map["call"]!, what: "the flow to call") else { return nil }
            stepKind = .call(FlowCall(flow: flow, arguments: readArguments(map["with"])))
        case "wait":
            guard let wait = readWait(map["wait"]!) else { return nil }
            stepKind = .wait(wait)
        default:
            if case .none = transition {
                diagnostics.append(.error("structure", at: location, "step '\(name)' does nothing: give it 'say', 'ask', 'do', 'if', 'set', 'call', 'wait' or a 'goto'/'next'/'end'"))
                return nil
            }
            stepKind = .jump
        }
        return Step(name: name, location: location, kind: stepKind, transition: transition, back: back, commit: commit)
    }

    private mutating func readTransition(_ map: MappingReader) -> Transition {
        let given = map.entries.map(\.key).filter { Self.transitionKeys.contains($0) }
        if given.count > 1 {
            diagnostics.append(.error("structure", at: map.keyLocation(given[1])!, "'\(given[0])' and '\(given[1])' both given; a step goes one way"))
        }
        switch given.first {
        case "next": return scalarName(map["next"]!, what: "next").map(Transition.next) ?? .none
        case "goto": return scalarName(map["goto"]!, what: "goto").map(Transition.goto) ?? .none
        case "end": return boolean(map["end"]!, what: "end") == true ? .end : .none
        case "return": return boolean(map["return"]!, what: "return") == true ? .return : .none
        default: return .none
        }
    }

    private mutating func readSay(_ map: MappingReader) -> Say {
        Say(text: readText(map, "say"), keyboard: map["keyboard"].flatMap { readKeyboard($0) }, file: map["file"].flatMap { expression($0) },
            invoice: map["invoice"].flatMap { expression($0) })
    }

    private mutating func readQuestion(_ map: MappingReader) -> Question {
        var columns = 1
        if let node = map["columns"] {
            if let n = node.int, (1...8).contains(n) { columns = n } else {
                diagnostics.append(.error("value", at: file.location(of: node), "columns must be a whole number from 1 to 8"))
            }
        }
        return Question(
            text: readText(map, "ask"), input: map["input"].flatMap { readInput($0) }, choices: map["choices"].flatMap { readChoices($0) },
            columns: columns, keyboard: map["keyboard"].flatMap { readKeyboard($0) }, invalid: readInvalid(map["invalid"]),
            save: map["save"].flatMap { variablePath($0, what: "save") })
    }

    private mutating func readText(_ map: MappingReader, _ key: String) -> TextRef {
        let node = map[key]!
        let textKey = localeKey(node, what: key) ?? Located("", at: file.location(of: node))
        return TextRef(key: textKey, args: readArguments(map["args"]))
    }

    private mutating func readInput(_ node: Node) -> InputSpec? {
        let typeNode: Node
        var optional = false
        var options: [String: Expr] = [:]
        if case .mapping = node {
            guard let map = MappingReader(node, path: file.path, what: "input", diagnostics: &diagnostics) else { return nil }
            guard let t = map["type"] else {
                diagnostics.append(.error("structure", at: map.location, "input needs a 'type' (\(InputType.allCases.map(\.rawValue).joined(separator: ", ")))"))
                return nil
            }
            typeNode = t
            optional = map["optional"].flatMap { boolean($0, what: "optional") } ?? false
            let type = InputType(rawValue: t.scalarText ?? "")
            let allowed = ["type", "optional"] + (type?.options ?? [])
            map.rejectUnknownKeys(allowed: allowed, in: "input of type '\(t.scalarText ?? "")'", diagnostics: &diagnostics)
            for entry in map.entries where entry.key != "type" && entry.key != "optional" && allowed.contains(entry.key) {
                if let e = expression(entry.value) { options[entry.key] = e }
            }
        } else {
            typeNode = node
        }
        let text = typeNode.scalarText ?? ""
        guard let type = InputType(rawValue: text) else {
            diagnostics.append(
                .error("value", at: file.location(of: typeNode),
                       "unknown input type '\(text)'\(Suggestion.hint(for: text, among: InputType.allCases.map(\.rawValue))) (known types: \(InputType.allCases.map(\.rawValue).joined(separator: ", ")))"))
            return nil
        }
        return InputSpec(type: Located(type, at: file.location(of: typeNode)), optional: optional, options: options)
    }

    private mutating func readInvalid(_ node: Node?) -> InvalidMessages {
        guard let node else { return .defaults }
        if case .mapping = node {
            guard let map = MappingReader(node, path: file.path, what: "invalid", diagnostics: &diagnostics) else { return .defaults }
            var byReason: [String: Located<String>] = [:]
            for entry in map.entries {
                if let key = localeKey(entry.value, what: "invalid.\(entry.key)") { byReason[entry.key] = key }
            }
            return .byReason(byReason)
        }
        return localeKey(node, what: "invalid").map(InvalidMessages.single) ?? .defaults
    }

    private mutating func readChoices(_ node: Node) -> Choices? {
        switch node {
        case .sequence(let items):
            var choices: [Choice] = []
            for item in items {
                guard let map = MappingReader(item, path: file.path, what: "a choice", diagnostics: &diagnostics) else { continue }
                map.rejectUnknownKeys(allowed: ["label", "value", "next"], in: "a choice", diagnostics: &diagnostics)
                guard let labelNode = map["label"], let label = localeKey(labelNode, what: "label") else {
                    diagnostics.append(.error("structure", at: map.location, "a choice needs a 'label' (a locale key)"))
                    continue
                }
                var value = FlowEngine.Value.null
                if let valueNode = map["value"] {
                    if let v = valueNode.literalValue { value = v } else {
                        diagnostics.append(.error("value", at: file.location(of: valueNode), "a choice's value must be a plain value (text, number, true/false or null)"))
                    }
                }
                choices.append(Choice(label: label, value: value, next: map["next"].flatMap { scalarName($0, what: "next") }))
            }
            return .fixed(choices)
        case .mapping:
            guard let map = MappingReader(node, path: file.path, what: "choices", diagnostics: &diagnostics) else { return nil }
            map.rejectUnknownKeys(allowed: ["from", "label", "value", "page_size", "empty"], in: "choices built from a list", diagnostics: &diagnostics)
            guard let fromNode = map["from"], let from = expression(fromNode) else {
                diagnostics.append(.error("structure", at: map.location, "choices need either a list of buttons or 'from: LIST' with 'label' and 'value'"))
                return nil
            }
            guard let labelNode = map["label"], let label = expression(labelNode),
                  let valueNode = map["value"], let value = expression(valueNode) else {
                diagnostics.append(.error("structure", at: map.location, "choices built from a list need 'label' and 'value' expressions (use 'item' for each element)"))
                return nil
            }
            var pageSize = 8
            if let node = map["page_size"] {
                if let n = node.int, (1...90).contains(n) { pageSize = n } else {
                    diagnostics.append(.error("value", at: file.location(of: node), "page_size must be a whole number from 1 to 90"))
                }
            }
            return .dynamic(DynamicChoices(from: from, label: label, value: value, pageSize: pageSize, empty: map["empty"].flatMap { scalarName($0, what: "empty") }))
        default:
            diagnostics.append(.error("structure", at: file.location(of: node), "choices must be a list of buttons or a mapping with 'from'"))
            return nil
        }
    }

    private mutating func readKeyboard(_ node: Node) -> KeyboardSpec? {
        if node.scalarText == "remove" { return .remove }
        guard case .sequence(let rows) = node else {
            diagnostics.append(.error("structure", at: file.location(of: node), "keyboard must be 'remove' or a list of rows"))
            return nil
        }
        var result: [[KeyboardButton]] = []
        for row in rows {
            let items: [Node]
            if case .sequence(let seq) = row { items = Array(seq) } else { items = [row] }
            var buttons: [KeyboardButton] = []
            for item in items {
                if item.scalar != nil {
                    if let key = localeKey(item, what: "a keyboard button") { buttons.append(.text(label: key, value: nil, next: nil)) }
                    continue
                }
                guard let map = MappingReader(item, path: file.path, what: "a keyboard button", diagnostics: &diagnostics) else { continue }
                if let contact = map["contact"] {
                    map.rejectUnknownKeys(allowed: ["contact"], in: "a contact button", diagnostics: &diagnostics)
                    if let key = localeKey(contact, what: "contact") { buttons.append(.contact(label: key)) }
                    continue
                }
                map.rejectUnknownKeys(allowed: ["label", "value", "next"], in: "a keyboard button", diagnostics: &diagnostics)
                guard let labelNode = map["label"], let label = localeKey(labelNode, what: "label") else {
                    diagnostics.append(.error("structure", at: map.location, "a keyboard button needs a 'label' (or 'contact')"))
                    continue
                }
                var value: FlowEngine.Value?
                if let valueNode = map["value"] {
                    value = valueNode.literalValue
                    if value == nil {
                        diagnostics.append(.error("value", at: file.location(of: valueNode), "a button's value must be a plain value (text, number, true/false or null)"))
                    }
                }
                buttons.append(.text(label: label, value: value, next: map["next"].flatMap { scalarName($0, what: "next") }))
            }
            result.append(buttons)
        }
        return .rows(result)
    }

    private mutating func readAction(_ map: MappingReader) -> ActionStep? {
        guard let name = scalarName(map["do"]!, what: "the action", dotted: true) else { return nil }
        var routes: [(Located<String>, Located<String>)] = []
        if let onNode = map["on"] {
            if let on = MappingReader(onNode, path: file.path, what: "on", diagnostics: &diagnostics) {
                for entry in on.entries {
                    if let target = scalarName(entry.value, what: "on.\(entry.key)") {
                        routes.append((Located(entry.key, at: file.location(of: entry.keyNode)), target))
                    }
                }
            }
        }
        // A missing `on:` is reported by the validator, which knows the action's outcomes.
        return ActionStep(name: name, arguments: readArguments(map["with"]), save: map["save"].flatMap { variablePath($0, what: "save") }, routes: routes)
    }

    private mutating func readBranch(_ map: MappingReader, step: String, at location: SourceLocation) -> Branch? {
        guard let condition = expression(map["if"]!) else { return nil }
        guard let thenNode = map["then"], let then = scalarName(thenNode, what: "then"),
              let elseNode = map["else"], let otherwise = scalarName(elseNode, what: "else") else {
            diagnostics.append(.error("structure", at: location, "step '\(step)' needs both 'then' and 'else'"))
            return nil
        }
        return Branch(condition: condition, then: then, otherwise: otherwise)
    }

    private mutating func readAssignments(_ node: Node) -> [Assignment] {
        guard let map = MappingReader(node, path: file.path, what: "set", diagnostics: &diagnostics) else { return [] }
        return map.entries.compactMap { entry in
            guard let path = variablePath(entry.keyNode, what: "set"), let value = expression(entry.value) else { return nil }
            return Assignment(path: path, value: value)
        }
    }

    private mutating func readWait(_ node: Node) -> Wait? {
        guard let map = MappingReader(node, path: file.path, what: "wait", diagnostics: &diagnostics) else { return nil }
        map.rejectUnknownKeys(allowed: ["at", "for", "late"], in: "wait", diagnostics: &diagnostics)
        let at = map["at"].flatMap { expression($0) }, duration = map["for"].flatMap { expression($0) }
        if (at == nil) == (duration == nil) {
            diagnostics.append(.error("structure", at: map.location, "wait needs exactly one of 'at: MOMENT' or 'for: DURATION'"))
            return nil
        }
        return Wait(at: at, duration: duration, late: map["late"].flatMap { scalarName($0, what: "late") })
    }

    private mutating func readArguments(_ node: Node?) -> [NamedArgument] {
        guard let node, let map = MappingReader(node, path: file.path, what: "arguments", diagnostics: &diagnostics) else { return [] }
        return map.entries.compactMap { entry in
            guard let value = expression(entry.value) else { return nil }
            return NamedArgument(name: Located(entry.key, at: file.location(of: entry.keyNode)), value: value)
        }
    }

    private mutating func readTriggers(_ node: Node) -> Triggers {
        guard let map = MappingReader(node, path: file.path, what: "triggers", diagnostics: &diagnostics) else { return .none }
        map.rejectUnknownKeys(allowed: Self.triggerKeys, in: "triggers", diagnostics: &diagnostics)
        let commands = names(map["commands"], what: "commands", commands: true)
        let texts = sequence(map["texts"]).compactMap { localeKey($0, what: "texts") }
        return Triggers(commands: commands, texts: texts, resume: map["resume"].flatMap { boolean($0, what: "resume") } ?? false)
    }

    // MARK: - Scalars

    private mutating func expression(_ node: Node) -> Expr? {
        guard let source = node.scalarText else {
            diagnostics.append(.error("expression", at: file.location(of: node), "expected an expression, found a \(node.mapping != nil ? "mapping" : "list")"))
            return nil
        }
        let start = YAMLFile.contentLocation(of: node, in: file.path)
        do {
            return Expr(source: source, expression: try Expression.parse(source), location: start)
        } catch {
            diagnostics.append(.error("expression", at: file.location(inside: node, offset: error.offset), "in '\(source)': \(error.message)"))
            return nil
        }
    }

    private mutating func requiredName(_ map: MappingReader, _ key: String, what: String) -> Located<String>? {
        guard let node = map[key] else {
            diagnostics.append(.error("structure", at: map.location, "missing '\(key)' (\(what))"))
            return nil
        }
        return scalarName(node, what: key)
    }

    /// A step, flow or action name.
    private mutating func scalarName(_ node: Node, what: String, dotted: Bool = false) -> Located<String>? {
        guard let text = node.scalarText, isIdentifier(text, dotted: dotted) else {
            diagnostics.append(.error("name", at: file.location(of: node), "\(what) must be a name of latin letters, digits and '_'\(dotted ? " (parts joined by '.')" : "")"))
            return nil
        }
        return Located(text, at: file.location(of: node))
    }

    private mutating func localeKey(_ node: Node, what: String) -> Located<String>? {
        guard let text = node.scalarText, isIdentifier(text, dotted: true) else {
            diagnostics.append(.error("name", at: file.location(of: node), "\(what) must be a locale key like 'registration.first_name'"))
            return nil
        }
        return Located(text, at: file.location(of: node))
    }

    private mutating func variablePath(_ node: Node, what: String) -> Located<String>? {
        guard let text = node.scalarText, isIdentifier(text, dotted: true) else {
            diagnostics.append(.error("name", at: file.location(of: node), "\(what) must be a variable like 'form.first_name'"))
            return nil
        }
        return Located(text, at: file.location(of: node))
    }

    private mutating func boolean(_ node: Node, what: String) -> Bool? {
        if case .scalar(let s) = node, Resolver.default.resolveTag(of: node) == .bool, let b = Bool.construct(from: s) { return b }
        diagnostics.append(.error("value", at: file.location(of: node), "\(what) must be true or false"))
        return nil
    }

    private mutating func sequence(_ node: Node?) -> [Node] {
        guard let node else { return [] }
        if case .sequence(let items) = node { return Array(items) }
        diagnostics.append(.error("structure", at: file.location(of: node), "expected a list"))
        return []
    }

    /// "a" or "an", for step kinds in messages.
    static func article(for kind: String) -> String {
        ["a", "e", "i", "o", "u"].contains(kind.prefix(1)) ? "an" : "a"
    }

    /// Names in a list; `commands` may be written with their slash (`/start`) and in any case,
    /// since Telegram commands are matched in lower case.
    private mutating func names(_ node: Node?, what: String, commands: Bool = false) -> [Located<String>] {
        sequence(node).compactMap { item -> Located<String>? in
            var text = item.scalarText ?? ""
            if commands {
                if text.hasPrefix("/") { text.removeFirst() }
                text = text.lowercased()
            }
            guard isIdentifier(text) else {
                diagnostics.append(.error("name", at: file.location(of: item), "each of \(what) must be a name of latin letters, digits and '_'"))
                return nil
            }
            return Located(text, at: file.location(of: item))
        }
    }
}

/// Names of steps, flows, variables and keys: ASCII letters, digits, `_`, optionally dotted.
func isIdentifier(_ text: String, dotted: Bool = false) -> Bool {
    guard !text.isEmpty, text.utf8.count <= 64 else { return false }
    var atPartStart = true
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            atPartStart = false
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            if atPartStart { return false }
        case UInt8(ascii: ".") where dotted:
            if atPartStart { return false }
            atPartStart = true
        default:
            return false
        }
    }
    return !atPartStart
}
