import Foundation

/// One text of a locale file: a single template or one template per plural form.
public struct LocaleEntry: Sendable {
    public enum Form: Sendable {
        case single(Template)
        case plural([PluralCategory: Template])
    }

    public let form: Form
    public let location: SourceLocation
    /// The longest text this entry can produce before placeholders are filled.
    public let longestSource: Int

    /// Every placeholder used by any form.
    public var placeholders: Set<String> {
        switch form {
        case .single(let t): return Set(t.placeholders)
        case .plural(let forms): return forms.values.reduce(into: Set<String>()) { $0.formUnion($1.placeholders) }
        }
    }

    public var pluralCategories: Set<PluralCategory> {
        if case .plural(let forms) = form { return Set(forms.keys) }
        return []
    }
}

/// Every text of one language, by dotted key (`registration.first_name`).
public struct LocaleCatalog: Sendable {
    public let language: Language
    public let file: String
    public let entries: [String: LocaleEntry]
}

/// The texts of all languages, and the reverse index that recognises a reply-keyboard label
/// typed back in any language.
public struct Locales: Sendable {
    public let catalogs: [Language: LocaleCatalog]
    public let timeZone: TimeZone

    public init(catalogs: [Language: LocaleCatalog], timeZone: TimeZone) {
        self.catalogs = catalogs
        self.timeZone = timeZone
    }

    public func entry(_ key: String, in language: Language) -> LocaleEntry? {
        catalogs[language]?.entries[key]
    }

    /// The text for `key` in `language` with `args` filled in. A plural entry picks its form by
    /// the `count` argument. A missing key (which the validator prevents) shows the key itself.
    public func render(_ key: String, in language: Language, args: (String) -> Value) -> String {
        guard let entry = entry(key, in: language) ?? entry(key, in: .ru) else { return key }
        switch entry.form {
        case .single(let template):
            return template.render(language: language, timeZone: timeZone, args)
        case .plural(let forms):
            let count = args("count")
            let category: PluralCategory
            if case .double(let d) = count { category = PluralRules.category(for: d, in: language) }
            else { category = PluralRules.category(for: count.intValue ?? 0, in: language) }
            guard let template = forms[category] ?? forms[.other] ?? forms.values.first else { return key }
            return template.render(language: language, timeZone: timeZone, args)
        }
    }

    /// A text without placeholders (button labels, menu items).
    public func plain(_ key: String, in language: Language) -> String {
        render(key, in: language) { _ in .null }
    }
}
