/// Texts: every key used exists in every language with the same placeholders and the plural
/// forms each language needs; texts and buttons fit Telegram's limits; unused keys are reported.
extension Validator {
    /// A use of a locale key: where, and which arguments the step gives its placeholders.
    struct TextUse {
        let key: String
        let location: SourceLocation
        /// nil: not a message (a button label, a trigger), so it must have no placeholders.
        let args: Set<String>?
    }

    /// Every key the flows and the engine use.
    func textUsesCollecting(_ extra: inout [Diagnostic]) -> [TextUse] {
        var uses: [TextUse] = []
        func message(_ ref: TextRef) { uses.append(TextUse(key: ref.key.value, location: ref.key.location, args: Set(ref.args.map(\.name.value)))) }
        func label(_ key: Located<String>) { uses.append(TextUse(key: key.value, location: key.location, args: nil)) }
        // Refusals are given `count` (the broken limit) and nothing else.
        func refusal(_ key: Located<String>) { uses.append(TextUse(key: key.value, location: key.location, args: ["count"])) }

        for flow in set.flows.values {
            flow.triggers.texts.forEach(label)
            for step in flow.steps {
                for (expr, _, _) in reads(of: step) {
                    // A text an expression reads (t(), wording()) is given no arguments; a button
                    // label built from one is checked when the message is built, not here.
                    for key in expr.expression.textKeys { uses.append(TextUse(key: key, location: expr.location, args: [])) }
                }
                switch step.kind {
                case .say(let say):
                    message(say.text)
                    if case .rows(let rows) = say.keyboard { rows.joined().forEach { label($0.label) } }
                case .ask(let question):
                    message(question.text)
                    if case .fixed(let choices) = question.choices { choices.map(\.label).forEach(label) }
                    if case .rows(let rows) = question.keyboard { rows.joined().forEach { label($0.label) } }
                    switch question.invalid {
                    case .single(let key): refusal(key)
                    case .byReason(let keys):
                        keys.values.sorted { $0.location < $1.location }.forEach(refusal)
                        if let type = question.input?.type {
                            for (reason, key) in keys where !type.value.reasons.contains(reason) && reason != "use_buttons" {
                                extra.append(.error("invalid-reason", at: key.location, "input type '\(type.value.rawValue)' has no reason '\(reason)'; its reasons: \(type.value.reasons.joined(separator: ", "))"))
                            }
                            // Reasons not overridden keep their default messages.
                            for reason in type.value.reasons where keys[reason] == nil {
                                uses.append(TextUse(key: "errors.\(type.value.rawValue).\(reason)", location: type.location, args: ["count"]))
                            }
                        }
                    case .defaults:
                        if let type = question.input?.type {
                            for reason in type.value.reasons {
                                uses.append(TextUse(key: "errors.\(type.value.rawValue).\(reason)", location: type.location, args: ["count"]))
                            }
                        }
                    }
                    if question.choices != nil || question.keyboard != nil || question.input == nil {
                        uses.append(TextUse(key: ChoiceProblem.useButtons, location: step.location, args: nil))
                    }
                case .action(let action):
                    // Printed on a page, not on a button: a message with no values, of any length.
                    for key in signatures[action.name.value]?.texts ?? [] {
                        uses.append(TextUse(key: key, location: action.name.location, args: []))
                    }
                default: break
                }
            }
        }
        let anywhere = SourceLocation(file: set.locales.catalogs[.ru]?.file ?? "locales/ru.yaml", line: 1, column: 1)
        for key in Self.engineKeys { uses.append(TextUse(key: key, location: anywhere, args: nil)) }
        // The server's own messages are optional (it has a plain wording of its own), but once
        // given they must exist in both languages with the values the server fills in.
        for (key, args) in Self.serverMessages where set.locales.catalogs.values.contains(where: { $0.entries[key] != nil }) {
            uses.append(TextUse(key: key, location: anywhere, args: args))
        }
        return uses
    }

    mutating func checkTexts() {
        var extra: [Diagnostic] = []
        let uses = textUsesCollecting(&extra)
        diagnostics += extra
        let catalogs = Language.allCases.map { ($0, set.locales.catalogs[$0]) }
        for (language, catalog) in catalogs where catalog == nil {
            error("locale-file", SourceLocation(file: "locales/\(language.rawValue).yaml", line: 1, column: 1), "no locale file for '\(language.rawValue)'; every text must exist in Russian and Kazakh")
        }
        let present = catalogs.compactMap { $0.1 }
        guard !present.isEmpty else { return }

        // Used keys exist everywhere, with placeholders the step provides.
        var reportedMissing: Set<String> = []
        for use in uses {
            for catalog in present {
                guard let entry = catalog.entries[use.key] else {
                    if reportedMissing.insert("\(use.key)@\(catalog.language)@\(use.location)").inserted {
                        let others = catalog.entries.keys
                        error("locale-key", use.location, "text '\(use.key)' is missing in \(catalog.file)\(Suggestion.hint(for: use.key, among: others))")
                    }
                    continue
                }
                let needed = entry.placeholders
                if let args = use.args {
                    for name in needed.subtracting(args).sorted() {
                        error("placeholder", use.location, "text '\(use.key)' in \(catalog.file) needs {\(name)}; give it under 'args'")
                    }
                } else if !needed.isEmpty {
                    error("placeholder", use.location, "text '\(use.key)' is a label and cannot have placeholders, but \(catalog.file) has {\(needed.sorted().joined(separator: "}, {"))}")
                }
            }
        }
        // Plural forms are chosen by `count`: once per use, whichever language has them.
        for use in uses {
            guard let args = use.args, !args.contains("count"),
                  present.contains(where: { if case .plural? = $0.entries[use.key]?.form { return true }; return false }) else { continue }
            error("placeholder", use.location, "text '\(use.key)' has plural forms, chosen by 'count'; give 'count' under 'args'")
        }
        for use in uses where use.args != nil {
            guard let ruEntry = present.first?.entries[use.key] else { continue }
            for name in use.args!.subtracting(ruEntry.placeholders).subtracting(["count"]).sorted() where !use.key.hasPrefix("errors.") {
                warning("placeholder", use.location, "argument '\(name)' is not used by text '\(use.key)'")
            }
        }

        // Every language has the same keys, placeholders and its plural forms. (A missing key a
        // flow uses was already reported where it is used.)
        let usedKeys = Set(uses.map(\.key))
        let allKeys = Set(present.flatMap { $0.entries.keys })
        for key in allKeys.sorted() {
            let entries = present.map { ($0, $0.entries[key]) }
            for (catalog, entry) in entries where entry == nil && !usedKeys.contains(key) {
                let location = entries.compactMap { $0.1?.location }.first!
                error("locale-key", location, "text '\(key)' is missing in \(catalog.file)")
            }
            let found = entries.compactMap { pair in pair.1.map { (pair.0, $0) } }
            if let (firstCatalog, first) = found.first {
                for (catalog, entry) in found.dropFirst() where entry.placeholders != first.placeholders {
                    error("placeholder", entry.location,
                          "text '\(key)' has placeholders \(Self.list(entry.placeholders)) in \(catalog.file) but \(Self.list(first.placeholders)) in \(firstCatalog.file)")
                }
            }
            let plural = found.contains { if case .plural = $0.1.form { return true }; return false }
            if plural {
                for (catalog, entry) in found {
                    let required = Set(PluralRules.required(for: catalog.language))
                    let given = entry.pluralCategories
                    let missing = required.subtracting(given)
                    if !missing.isEmpty {
                        error("plural", entry.location, "text '\(key)' in \(catalog.file) needs the plural forms \(PluralRules.required(for: catalog.language).map(\.rawValue).joined(separator: ", ")); missing: \(missing.map(\.rawValue).sorted().joined(separator: ", "))")
                    }
                    for unused in given.subtracting(required).sorted(by: { $0.rawValue < $1.rawValue }) {
                        warning("plural", entry.location, "text '\(key)' in \(catalog.file): the form '\(unused.rawValue)' is never used in this language")
                    }
                }
            }
            for (catalog, entry) in found where entry.longestSource > Self.maxTextLength {
                error("telegram-limit", entry.location, "text '\(key)' in \(catalog.file) is \(entry.longestSource) characters; Telegram allows \(Self.maxTextLength)")
            }
        }

        // Labels must fit a button.
        let labelKeys = Set(uses.filter { $0.args == nil }.map(\.key))
        for catalog in present {
            for key in labelKeys.sorted() {
                guard let entry = catalog.entries[key], entry.longestSource > Self.maxButtonLabel,
                      !key.hasPrefix("errors."), !key.hasPrefix("common.") || key == "common.back" || key == "common.retry" else { continue }
                error("telegram-limit", entry.location, "button text '\(key)' in \(catalog.file) is \(entry.longestSource) characters; Telegram buttons should have at most \(Self.maxButtonLabel)")
            }
        }

        // Unused keys: texts nobody shows.
        let used = Set(uses.map(\.key))
        for catalog in present {
            for (key, entry) in catalog.entries.sorted(by: { $0.key < $1.key }) where !used.contains(key) {
                if key.hasPrefix("errors.") || key.hasPrefix("commands.") { continue }
                warning("unused-key", entry.location, "text '\(key)' in \(catalog.file) is not used by any flow")
            }
        }
    }

    static func list(_ names: Set<String>) -> String {
        names.isEmpty ? "none" : names.sorted().map { "{\($0)}" }.joined(separator: ", ")
    }

    mutating func checkButtons(_ flow: Flow) {
        for step in flow.steps {
            guard case .ask(let question) = step.kind else { continue }
            if case .fixed(let choices) = question.choices, choices.count + (step.back ? 1 : 0) > Self.maxInlineButtons {
                let buttons = step.back ? "\(choices.count + 1) buttons (\(choices.count) choices and the back button)" : "\(choices.count) buttons"
                error("telegram-limit", step.location, "step '\(step.name)' has \(buttons); Telegram shows at most \(Self.maxInlineButtons)")
            }
            if case .rows(let rows) = question.keyboard {
                for case .text(let label, nil, nil) in rows.joined() where set.texts[set.locales.plain(label.value, in: .ru)] == nil {
                    warning("button", label.location, "keyboard button '\(label.value)' starts no flow and answers nothing; give it a 'value', or add its key to some flow's 'triggers.texts'")
                }
            }
        }
    }
}
