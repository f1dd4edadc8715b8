import Foundation

/// A message text with placeholders, parsed once when locales load and rendered for every message.
///
/// Syntax: literal text with `{name}` or `{name:format}`; `{{` and `}}` stand for literal braces.
/// Names are `[A-Za-z_][A-Za-z0-9_]*`. Formats:
/// - `plain` (the default): the value's display text;
/// - `date`: a date "YYYY-MM-DD" or a moment → "5 марта 2026 г." / "2026 жылғы 5 наурыз";
/// - `datetime`: a moment → "5 марта 2026 г., 09:30" in local time;
/// - `time`: a moment → "09:30" in local time;
/// - `weekday`: a date or moment → "четверг" / "бейсенбі";
/// - `month`: a date, moment or "YYYY-MM" → "Март 2026" / "Наурыз 2026";
/// - `money`: whole tenge → "15 000 ₸".
/// A value a format cannot read is shown as its display text: a wrong message beats a crash.
public struct Template: Sendable, Hashable {
    /// How a placeholder's value is written. Declared in the order error messages list them.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case date, datetime, time, weekday, month, money, plain
    }

    enum Part: Sendable, Hashable {
        case literal(String)
        case placeholder(name: String, format: Format)
    }

    let parts: [Part]
    /// The names used, in order of first use, each once: for checking a text against what a
    /// flow step provides.
    public let placeholders: [String]
    /// UTF-8 length of the literal parts, to reserve the output in one allocation.
    let literalLength: Int

    init(parts: [Part]) {
        self.parts = parts
        var names: [String] = []
        var seen = Set<String>()
        var length = 0
        for part in parts {
            switch part {
            case .literal(let text): length += text.utf8.count
            case .placeholder(let name, _): if seen.insert(name).inserted { names.append(name) }
            }
        }
        placeholders = names
        literalLength = length
    }

    /// Writes the text, asking `value` for each placeholder's value by name.
    public func render(language: Language, timeZone: TimeZone, _ value: (String) -> Value) -> String {
        var output = ""
        // About 16 bytes per part covers names, times and prices without growing.
        output.reserveCapacity(literalLength + 16 * parts.count)
        for part in parts {
            switch part {
            case .literal(let text):
                output += text
            case .placeholder(let name, let format):
                output += format.write(value(name), language: language, timeZone: timeZone)
            }
        }
        return output
    }
}
