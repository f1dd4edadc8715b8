/// The kinds of answer a question can require. Each names the reasons an answer can be refused;
/// the default message for a reason is the locale key `errors.TYPE.REASON`.
public enum InputType: String, CaseIterable, Sendable, Hashable {
    case text, name, number, phone, contact, date
    case birthDate = "birth_date"
    case iin, rating

    /// Why an answer of this type can be refused.
    public var reasons: [String] {
        switch self {
        case .text: return ["empty", "too_short", "too_long"]
        case .name: return ["empty", "too_long", "characters"]
        case .number: return ["format", "too_small", "too_large"]
        case .phone: return ["format", "not_kazakhstan", "not_own"]
        case .contact: return ["use_button", "not_own", "format", "not_kazakhstan"]
        case .date: return ["format", "no_such_day", "too_early", "too_late", "unavailable"]
        case .birthDate: return ["format", "no_such_day", "future", "too_old"]
        case .iin: return ["length", "not_digits", "century_digit", "birth_date", "checksum", "birth_date_mismatch", "sex_mismatch"]
        case .rating: return ["format", "range"]
        }
    }

    /// Options an `input:` of this type accepts besides `type` and `optional`; each is an expression.
    public var options: [String] {
        switch self {
        case .text: return ["min_length", "max_length"]
        case .name, .phone, .contact: return []
        case .number, .rating: return ["min", "max"]
        case .date: return ["min", "max", "calendar", "days"]
        case .birthDate: return ["max_age"]
        case .iin: return ["birth_date", "sex"]
        }
    }
}

/// The reason a question with buttons only refuses typed text.
public enum ChoiceProblem {
    public static let useButtons = "errors.choice.use_buttons"
}
