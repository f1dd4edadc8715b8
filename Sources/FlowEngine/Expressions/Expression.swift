/// A parsed expression of the flow language, as used in conditions (`if: patient != null`),
/// action arguments, wait times (`at: params.start - 24h`) and dynamic button labels.
///
/// Expressions are parsed once when flows are loaded and then evaluated many times;
/// evaluation never throws and never traps: values of the wrong type give `null` or `false`.
public indirect enum Expression: Sendable, Hashable {
    /// A constant: number, duration (in seconds), string, boolean, null, or a constant list.
    case literal(Value)
    /// A variable and the members read from it: `patient.id` is `["patient", "id"]`.
    /// `a['key']` with a literal string key is the same as `a.key`, so it is a path too.
    case path([String])
    /// A member of a value that is not a plain path, such as `first(items).name`.
    case member(Expression, String)
    /// `base[index]`: a list element by position or a map entry by key.
    case index(Expression, Expression)
    /// A list written out with some non-constant elements: `[a, b]`.
    case list([Expression])
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// `a and b and …`, kept flat so long conditions do not nest deeply.
    case all([Expression])
    /// `a or b or …`, kept flat so long conditions do not nest deeply.
    case any([Expression])
    case call(Function, [Expression])
    /// `t('locale.key')`: the key is always a literal so the validator can check it exists.
    case text(String)

    /// Prefix operators.
    public enum UnaryOperator: String, Sendable, Hashable {
        case not
        case negate = "-"
    }

    /// Infix operators other than `and` / `or`.
    public enum BinaryOperator: String, Sendable, Hashable {
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case `in` = "in"
        case notIn = "not in"
        case add = "+"
        case subtract = "-"
        case multiply = "*"
        case divide = "/"
        case remainder = "%"
    }

    /// Reads an expression; the error says what is wrong in words a content editor understands.
    public static func parse(_ source: String) throws(ExpressionError) -> Expression {
        var parser = try ExpressionParser(source: source)
        return try parser.parseAll()
    }
}
