/// Why a template text could not be parsed.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// 0-based index, in Unicode scalars of the template text, of where the problem is,
    /// so that a loader can point at the column.
    public let offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) (at \(offset))" }
}

extension Template {
    /// Parses a template text; see `Template` for the syntax.
    public static func parse(_ text: String) throws(TemplateError) -> Template {
        let scalars = Array(text.unicodeScalars)
        var parts: [Part] = []
        var literal = String.UnicodeScalarView()
        var index = 0

        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == "{" && next == "{" {
                literal.append("{")
                index += 2
            } else if scalar == "}" && next == "}" {
                literal.append("}")
                index += 2
            } else if scalar == "}" {
                throw TemplateError(message: "stray '}': write '}}' for a literal brace", offset: index)
            } else if scalar == "{" {
                let (name, format, end) = try placeholder(scalars, openingAt: index)
                if !literal.isEmpty {
                    parts.append(.literal(String(literal)))
                    literal = String.UnicodeScalarView()
                }
                parts.append(.placeholder(name: name, format: format))
                index = end
            } else {
                literal.append(scalar)
                index += 1
            }
        }
        if !literal.isEmpty || parts.isEmpty { parts.append(.literal(String(literal))) }
        return Template(parts: parts)
    }

    /// Reads `{name}` or `{name:format}` whose `{` is at `open`; returns the index after its `}`.
    private static func placeholder(
        _ scalars: [Unicode.Scalar], openingAt open: Int
    ) throws(TemplateError) -> (name: String, format: Format, end: Int) {
        let unclosed = TemplateError(message: "'{' is not closed: write '{{' for a literal brace", offset: open)
        let nameStart = open + 1
        var index = nameStart
        while index < scalars.count && isWordScalar(scalars[index]) { index += 1 }
        guard index < scalars.count else { throw unclosed }

        let name = String(String.UnicodeScalarView(scalars[nameStart..<index]))
        let stop = scalars[index]
        if stop != "}" && stop != ":" {
            throw TemplateError(
                message: "\(quoted(stop)) cannot be in a placeholder name: use letters, digits and _, then '}'",
                offset: index)
        }
        if name.isEmpty {
            throw TemplateError(message: "empty placeholder name", offset: index)
        }
        if InputText.digit(scalars[nameStart]) != nil {
            throw TemplateError(message: "placeholder name '\(name)' starts with a digit", offset: nameStart)
        }
        if stop == "}" { return (name, .plain, index + 1) }

        index += 1  // past ':'
        let formatStart = index
        while index < scalars.count && isWordScalar(scalars[index]) { index += 1 }
        guard index < scalars.count else { throw unclosed }
        guard scalars[index] == "}" else {
            throw TemplateError(message: "expected '}' after the format, found \(quoted(scalars[index]))", offset: index)
        }
        let formatName = String(String.UnicodeScalarView(scalars[formatStart..<index]))
        guard let format = Format(rawValue: formatName) else {
            let valid = Format.allCases.map(\.rawValue).joined(separator: ", ")
            let found = formatName.isEmpty ? "missing format" : "unknown format '\(formatName)'"
            throw TemplateError(message: "\(found): valid formats are \(valid)", offset: formatStart)
        }
        return (name, format, index + 1)
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        InputText.isASCIILetter(scalar) || InputText.digit(scalar) != nil || scalar == "_"
    }

    /// Shows a scalar in a message; invisible ones by code point.
    private static func quoted(_ scalar: Unicode.Scalar) -> String {
        if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
        return "'\(scalar)'"
    }
}
