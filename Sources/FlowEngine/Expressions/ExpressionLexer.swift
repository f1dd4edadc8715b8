/// One word of an expression: a number, a string, a name (keywords included) or a symbol.
struct ExpressionToken {
    enum Symbol: String {
        case openParen = "(", closeParen = ")", openBracket = "[", closeBracket = "]"
        case comma = ",", dot = ".", plus = "+", minus = "-", star = "*", slash = "/", percent = "%"
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    enum Kind: Equatable {
        case number(Value)
        case string(String)
        /// Identifiers and keywords alike: `and` is a keyword before a value but a member name after a dot.
        case name(String)
        case symbol(Symbol)
        case end
    }

    let kind: Kind
    /// Position of the first scalar in the source.
    let offset: Int
    /// Length in scalars, to quote the token in messages.
    let length: Int
}

/// Splits source text into tokens; runs once per expression at load time.
enum ExpressionLexer {
    static func tokenize(_ source: [Unicode.Scalar]) throws(ExpressionError) -> [ExpressionToken] {
        var tokens: [ExpressionToken] = []
        var i = 0
        while i < source.count {
            let c = source[i]
            if c.properties.isWhitespace {
                i += 1
            } else if isDigit(c) {
                let (value, end) = try number(source, from: i)
                tokens.append(ExpressionToken(kind: .number(value), offset: i, length: end - i))
                i = end
            } else if isNameStart(c) {
                var end = i + 1
                while end < source.count, isNamePart(source[end]) { end += 1 }
                let name = String(String.UnicodeScalarView(source[i..<end]))
                tokens.append(ExpressionToken(kind: .name(name), offset: i, length: end - i))
                i = end
            } else if c == "'" || c == "\"" {
                let (text, end) = try string(source, from: i)
                tokens.append(ExpressionToken(kind: .string(text), offset: i, length: end - i))
                i = end
            } else {
                let (symbol, length) = try symbol(source, at: i)
                tokens.append(ExpressionToken(kind: .symbol(symbol), offset: i, length: length))
                i += length
            }
        }
        tokens.append(ExpressionToken(kind: .end, offset: source.count, length: 0))
        return tokens
    }

    // MARK: Numbers and durations

    private static let durationUnits: [Unicode.Scalar: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]

    private static func number(_ source: [Unicode.Scalar], from start: Int) throws(ExpressionError) -> (Value, Int) {
        var i = start
        while i < source.count, isDigit(source[i]) { i += 1 }
        var isDecimal = false
        // A dot is part of the number only when a digit follows, so `1.foo` stays a member access.
        if i + 1 < source.count, source[i] == ".", isDigit(source[i + 1]) {
            isDecimal = true
            i += 1
            while i < source.count, isDigit(source[i]) { i += 1 }
        }
        let digits = String(String.UnicodeScalarView(source[start..<i]))
        var unit = 1
        if i < source.count, isNamePart(source[i]) {
            var wordEnd = i
            while wordEnd < source.count, isNamePart(source[wordEnd]) { wordEnd += 1 }
            guard wordEnd == i + 1, let seconds = durationUnits[source[i]] else {
                let word = String(String.UnicodeScalarView(source[start..<wordEnd]))
                throw ExpressionError(
                    message: "'\(word)' is not a number or a duration; durations look like 90s, 30m, 24h or 7d",
                    offset: start)
            }
            unit = seconds
            i = wordEnd
        }
        let tooLarge = ExpressionError(message: "the number '\(digits)' is too large", offset: start)
        if isDecimal {
            guard let parsed = Double(digits), (parsed * Double(unit)).isFinite else { throw tooLarge }
            let scaled = parsed * Double(unit)
            // `1.5h` is a whole number of seconds; keep it an integer so it compares and shifts exactly.
            // A plain `1.0` stays a decimal: the editor wrote one.
            if unit > 1, scaled.rounded() == scaled, let whole = Int(exactly: scaled) { return (.int(whole), i) }
            return (.double(scaled), i)
        }
        guard let parsed = Int(digits) else { throw tooLarge }
        let (scaled, overflow) = parsed.multipliedReportingOverflow(by: unit)
        if overflow { throw tooLarge }
        return (.int(scaled), i)
    }

    // MARK: Strings

    private static func string(_ source: [Unicode.Scalar], from start: Int) throws(ExpressionError) -> (String, Int) {
        let quote = source[start]
        var text = String.UnicodeScalarView()
        var i = start + 1
        while i < source.count {
            let c = source[i]
            if c == quote { return (String(text), i + 1) }
            if c == "\\" {
                guard i + 1 < source.count else { break }
                switch source[i + 1] {
                case "'": text.append("'")
                case "\"": text.append("\"")
                case "\\": text.append("\\")
                case "n": text.append("\n")
                default:
                    throw ExpressionError(
                        message: "unknown escape '\\\(describeRaw(source[i + 1]))' in text; use \\' \\\" \\\\ or \\n",
                        offset: i)
                }
                i += 2
            } else {
                text.append(c)
                i += 1
            }
        }
        throw ExpressionError(message: "unterminated string", offset: start)
    }

    // MARK: Symbols

    private static func symbol(_ source: [Unicode.Scalar], at i: Int) throws(ExpressionError) -> (ExpressionToken.Symbol, Int) {
        let c = source[i]
        let next: Unicode.Scalar? = i + 1 < source.count ? source[i + 1] : nil
        switch c {
        case "(": return (.openParen, 1)
        case ")": return (.closeParen, 1)
        case "[": return (.openBracket, 1)
        case "]": return (.closeBracket, 1)
        case ",": return (.comma, 1)
        case ".": return (.dot, 1)
        case "+": return (.plus, 1)
        case "-": return (.minus, 1)
        case "*": return (.star, 1)
        case "/": return (.slash, 1)
        case "%": return (.percent, 1)
        case "=":
            if next == "=" { return (.equal, 2) }
            throw ExpressionError(message: "'=' is not an operator; use '==' to compare", offset: i)
        case "!":
            if next == "=" { return (.notEqual, 2) }
            throw ExpressionError(message: "'!' is not an operator; use 'not'", offset: i)
        case "<":
            if next == "=" { return (.lessOrEqual, 2) }
            if next == ">" {
                throw ExpressionError(message: "'<>' is not an operator; use '!=' for \"not equal\"", offset: i)
            }
            return (.less, 1)
        case ">":
            if next == "=" { return (.greaterOrEqual, 2) }
            return (.greater, 1)
        case "&" where next == "&":
            throw ExpressionError(message: "'&&' is not an operator; use 'and'", offset: i)
        case "|" where next == "|":
            throw ExpressionError(message: "'||' is not an operator; use 'or'", offset: i)
        case "‘", "’", "“", "”", "«", "»", "„":
            throw ExpressionError(
                message: "unexpected character '\(c)'; put text in straight quotes ' or \"", offset: i)
        default:
            if c.properties.isAlphabetic {
                throw ExpressionError(
                    message: "unexpected character '\(c)'; names may only use Latin letters, digits and '_'",
                    offset: i)
            }
            throw ExpressionError(message: "unexpected character \(describe(c))", offset: i)
        }
    }

    // MARK: Character classes

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A) || c == "_"
    }

    static func isNamePart(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || isDigit(c) }

    /// A character quoted for a message; invisible ones are named by code point so the editor can find them.
    static func describe(_ c: Unicode.Scalar) -> String {
        isVisible(c) ? "'\(c)'" : codePoint(c)
    }

    private static func describeRaw(_ c: Unicode.Scalar) -> String {
        isVisible(c) ? String(c) : codePoint(c)
    }

    private static func isVisible(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default:
            return true
        }
    }

    private static func codePoint(_ c: Unicode.Scalar) -> String {
        let hex = String(c.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
