/// A CLDR plural category: which form of a word goes with a number.
public enum PluralCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case zero, one, two, few, many, other
}

/// CLDR cardinal plural rules for the bot's languages (CLDR 44+; unchanged for years for ru and kk).
///
/// Russian:  one  — n % 10 = 1 and n % 100 ≠ 11 (1, 21, 101);
///           few  — n % 10 = 2…4 and n % 100 ≠ 12…14 (2, 22, 104);
///           many — other integers (0, 5–20, 25, 111);
///           other — non-integers (1.5).
/// Kazakh:   one — n = 1; other — everything else.
public enum PluralRules {
    /// The category of an integer. Negative numbers take the form of their absolute value.
    public static func category(for n: Int, in language: Language) -> PluralCategory {
        let n = n.magnitude  // magnitude, not abs(): abs(Int.min) traps
        switch language {
        case .ru:
            let lastDigit = n % 10
            let lastTwo = n % 100
            if lastDigit == 1 && lastTwo != 11 { return .one }
            if (2...4).contains(lastDigit) && !(12...14).contains(lastTwo) { return .few }
            return .many
        case .kk:
            return n == 1 ? .one : .other
        }
    }

    /// The category of a number that may have a fraction. A whole number (2.0) is treated as
    /// the integer, since a Double cannot tell "2" from "2.0".
    public static func category(for n: Double, in language: Language) -> PluralCategory {
        if n.isFinite, n == n.rounded(), n.magnitude < 1e15 {
            return category(for: Int(n), in: language)
        }
        // ru: fractions are "other"; kk: only 1 is "one", and 1 was handled above.
        return .other
    }

    /// The categories a locale file must give for a pluralised text in `language`.
    public static func required(for language: Language) -> [PluralCategory] {
        switch language {
        case .ru: [.one, .few, .many, .other]
        case .kk: [.one, .other]
        }
    }
}
