import Yams

/// Reads `locales/ru.yaml` or `locales/kk.yaml`: nested keys whose leaves are texts, or plural
/// forms (`one:`, `few:`, `many:`, `other:`).
struct LocaleLoader {
    let file: YAMLFile
    let language: Language
    var diagnostics: [Diagnostic] = []
    private var entries: [String: LocaleEntry] = [:]

    init(file: YAMLFile, language: Language) {
        self.file = file
        self.language = language
    }

    mutating func load() -> LocaleCatalog {
        if let root = file.root {
            walk(root, prefix: "")
        }
        return LocaleCatalog(language: language, file: file.path, entries: entries)
    }

    private mutating func walk(_ node: Node, prefix: String) {
        guard let map = MappingReader(node, path: file.path, what: prefix.isEmpty ? "a locale file" : "'\(prefix)'", diagnostics: &diagnostics) else { return }
        if !prefix.isEmpty, isPluralForms(map) {
            addPlural(map, key: prefix)
            return
        }
        for entry in map.entries {
            let key = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
            guard isIdentifier(entry.key) else {
                diagnostics.append(.error("name", at: file.location(of: entry.keyNode), "locale key part '\(entry.key)' may contain only latin letters, digits and '_'"))
                continue
            }
            switch entry.value {
            case .mapping: walk(entry.value, prefix: key)
            case .scalar(let scalar):
                if let template = template(scalar.string, node: entry.value) {
                    entries[key] = LocaleEntry(form: .single(template), location: file.location(of: entry.keyNode), longestSource: scalar.string.count)
                }
            default:
                diagnostics.append(.error("structure", at: file.location(of: entry.value), "'\(key)' must be a text or a mapping"))
            }
        }
    }

    /// A mapping whose keys are all CLDR plural categories holds plural forms of one text.
    private func isPluralForms(_ map: MappingReader) -> Bool {
        !map.entries.isEmpty && map.entries.allSatisfy { PluralCategory(rawValue: $0.key) != nil && $0.value.scalar != nil }
    }

    private mutating func addPlural(_ map: MappingReader, key: String) {
        var forms: [PluralCategory: Template] = [:]
        var longest = 0
        for entry in map.entries {
            guard let category = PluralCategory(rawValue: entry.key), let text = entry.value.scalarText else { continue }
            if let template = template(text, node: entry.value) {
                forms[category] = template
                longest = max(longest, text.count)
            }
        }
        entries[key] = LocaleEntry(form: .plural(forms), location: map.location, longestSource: longest)
    }

    private mutating func template(_ text: String, node: Node) -> Template? {
        do {
            return try Template.parse(text)
        } catch {
            diagnostics.append(.error("template", at: location(inside: node, offset: error.offset, text: text), error.message))
            return nil
        }
    }

    /// Where the `offset`-th scalar of a (possibly multi-line) text is in the file.
    private func location(inside node: Node, offset: Int, text: String) -> SourceLocation {
        let start = YAMLFile.contentLocation(of: node, in: file.path)
        var line = 0, column = 0
        for (i, scalar) in text.unicodeScalars.enumerated() where i < offset {
            if scalar == "\n" { line += 1; column = 0 } else { column += 1 }
        }
        if line == 0 { return start.advanced(by: column) }
        return SourceLocation(file: file.path, line: start.line + line, column: column + 1)
    }
}
