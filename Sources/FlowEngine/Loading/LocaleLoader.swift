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
            walk(root, prefix: "", at: file.location(of: root))
        }
        return LocaleCatalog(language: language, file: file.path, entries: entries)
    }

    /// `location`: where the key of this mapping is, which is where its problems are reported.
    private mutating func walk(_ node: Node, prefix: String, at location: SourceLocation) {
        guard let map = MappingReader(node, path: file.path, what: prefix.isEmpty ? "a locale file" : "'\(prefix)'", diagnostics: &diagnostics) else { return }
        if !prefix.isEmpty, isPluralForms(map) {
            addPlural(map, key: prefix, at: location)
            return
        }
        for entry in map.entries {
            let key = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
            guard isIdentifier(entry.key) else {
                diagnostics.append(.error("name", at: file.location(of: entry.keyNode), "locale key part '\(entry.key)' may contain only latin letters, digits and '_'"))
                continue
            }
            switch entry.value {
            case .mapping: walk(entry.value, prefix: key, at: file.location(of: entry.keyNode))
            case .scalar(let scalar):
                entries[key] = LocaleEntry(
                    form: .single(template(scalar.string, node: entry.value)), location: file.location(of: entry.keyNode),
                    longestSource: scalar.string.count)
            default:
                diagnostics.append(.error("structure", at: file.location(of: entry.value), "'\(key)' must be a text or a mapping"))
            }
        }
    }

    /// A mapping whose keys are all CLDR plural categories holds plural forms of one text.
    private func isPluralForms(_ map: MappingReader) -> Bool {
        !map.entries.isEmpty && map.entries.allSatisfy { PluralCategory(rawValue: $0.key) != nil && $0.value.scalar != nil }
    }

    private mutating func addPlural(_ map: MappingReader, key: String, at location: SourceLocation) {
        var forms: [PluralCategory: Template] = [:]
        var longest = 0
        for entry in map.entries {
            guard let category = PluralCategory(rawValue: entry.key), let text = entry.value.scalarText else { continue }
            forms[category] = template(text, node: entry.value)
            longest = max(longest, text.count)
        }
        entries[key] = LocaleEntry(form: .plural(forms), location: location, longestSource: longest)
    }

    /// The parsed text; one that does not parse is reported and kept as plain text, so the key
    /// is not also reported as missing wherever it is used.
    private mutating func template(_ text: String, node: Node) -> Template {
        do {
            return try Template.parse(text)
        } catch {
            diagnostics.append(.error("template", at: file.location(inside: node, offset: error.offset), error.message))
            return Template(parts: [.literal(text)])
        }
    }
}
