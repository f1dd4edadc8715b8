import Foundation

/// One part of a person's name: a first, last or middle name, as the person typed it.
///
/// Letters are Cyrillic (Russian and Kazakh: ә ғ қ ң ө ұ ү һ і, and other Cyrillic letters
/// for names from neighbouring countries) or Latin (with accented letters, for names written
/// in Kazakh Latin or from passports). A hyphen or apostrophe may join letters:
/// "Анна-Мария", "Д'Артаньян", "О’Нил". Case is kept as typed: "МакКуин" and "ДЖОН" are both
/// someone's choice, and the clinic's records show what the person gave.
public struct PersonName: Sendable, Hashable, CustomStringConvertible {
    /// The name, trimmed and in Unicode NFC, so that "й" typed as и + breve equals "й".
    public let value: String

    public static let maxLength = 50

    public init(_ typedText: String) throws(PersonNameProblem) {
        let text = typedText.trimmingCharacters(in: .whitespacesAndNewlines)
            .precomposedStringWithCanonicalMapping
        guard !text.isEmpty else { throw .empty }
        var length = 0
        var afterJoiner = true  // so that a leading hyphen or apostrophe is refused
        for scalar in text.unicodeScalars {
            length += 1
            guard length <= PersonName.maxLength else { throw .tooLong }
            if PersonName.isLetter(scalar) {
                afterJoiner = false
            } else if scalar == "-" || scalar == "'" || scalar == "\u{2019}" {
                guard !afterJoiner else { throw .characters }
                afterJoiner = true
            } else {
                throw .characters
            }
        }
        guard !afterJoiner else { throw .characters }  // ends with a hyphen or apostrophe
        value = text
    }

    public var description: String { value }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        // Fast paths: Russian А…я and ASCII, which are nearly every name.
        if (0x0410...0x044F).contains(value) || InputText.isASCIILetter(scalar) { return true }
        let latin = (0x00C0...0x024F).contains(value)
        let cyrillic = (0x0400...0x04FF).contains(value)  // Ё ё and Kazakh letters live here
        guard latin || cyrillic else { return false }
        // Both blocks also hold signs (× ÷) and combining marks; only cased letters are names.
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter: return true
        default: return false
        }
    }
}

/// Why a typed name was refused; locale keys `errors.name.*`.
public enum PersonNameProblem: String, TypedInputProblem {
    case empty
    /// More than `PersonName.maxLength` characters.
    case tooLong = "too_long"
    /// Digits, spaces inside, emoji, punctuation, other scripts, or a hyphen or apostrophe
    /// at either end or doubled.
    case characters

    public static var domain: String { "name" }
}

extension PersonName: ParsedText {
    public var canonicalText: String { value }
}
