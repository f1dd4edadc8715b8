import Testing
@testable import FlowEngine

/// Parse errors are read by content editors: exact wording and the scalar offset they point at.
@Suite("Expression errors")
struct ExpressionErrorTests {
    static let known = "age, coalesce, contains, date, empty, first, int, last, len, lower, now, str, t, today, upper, wording"

    @Test("messages and offsets", arguments: [
        ("", "the expression is empty", 0),
        ("   ", "the expression is empty", 0),
        ("(a", "expected ')' to close '(' opened at column 1", 2),
        ("len(x", "expected ')' to close '(' opened at column 4", 5),
        ("len(x y)", "expected ')' to close '(' opened at column 4", 6),
        ("1 + (2 * (3", "expected ')' to close '(' opened at column 10", 11),
        ("x == 1\n and (y", "expected ')' to close '(' opened at column 6", 14),
        ("items[0", "expected ']' to close '[' opened at column 6", 7),
        ("[1, 2", "expected ']' to close '[' opened at column 1", 5),
        ("[1, 2,]", "unexpected ']'", 6),
        ("lenght(x)", "unknown function 'lenght'; did you mean 'len'?", 0),
        ("x and uper(name)", "unknown function 'uper'; did you mean 'upper'?", 6),
        ("frobnicate(x)", "unknown function 'frobnicate'; known functions are \(known)", 0),
        ("a = 1", "'=' is not an operator; use '==' to compare", 2),
        ("a =", "'=' is not an operator; use '==' to compare", 2),
        ("a and and b", "unexpected 'and'", 6),
        ("and", "unexpected 'and'", 0),
        ("a or", "expected a value after 'or'", 4),
        ("a +", "expected a value after '+'", 3),
        ("not", "expected a value after 'not'", 3),
        ("a b", "unexpected 'b'", 2),
        ("a 'b'", "unexpected text 'b'", 2),
        ("a not b", "unexpected 'not'", 2),
        ("a == not b", "unexpected 'not'", 5),
        ("a)", "unexpected ')'; there is no '(' to close", 1),
        ("a]", "unexpected ']'; there is no '[' to close", 1),
        ("()", "unexpected ')'", 1),
        ("a < b < c", "comparisons cannot be chained; join them with 'and', like 'a < b and b < c'", 6),
        ("a == b == c", "comparisons cannot be chained; join them with 'and', like 'a < b and b < c'", 7),
        ("a in b not in c", "comparisons cannot be chained; join them with 'and', like 'a < b and b < c'", 7),
        ("'abc", "unterminated string", 0),
        ("x == \"abc", "unterminated string", 5),
        ("'abc\\", "unterminated string", 0),
        ("'it\\'s", "unterminated string", 0),
        ("'a\\qb'", "unknown escape '\\q' in text; use \\' \\\" \\\\ or \\n", 2),
        ("12abc", "'12abc' is not a number or a duration; durations look like 90s, 30m, 24h or 7d", 0),
        ("x + 5x", "'5x' is not a number or a duration; durations look like 90s, 30m, 24h or 7d", 4),
        ("24hours", "'24hours' is not a number or a duration; durations look like 90s, 30m, 24h or 7d", 0),
        ("99999999999999999999", "the number '99999999999999999999' is too large", 0),
        ("999999999999999999d", "the number '999999999999999999' is too large", 0),
        ("a.b(1)", "only functions can be called, like len(x)", 3),
        ("len(x)(y)", "only functions can be called, like len(x)", 6),
        ("a.", "expected a name after '.'", 2),
        ("a.5", "expected a name after '.'", 2),
        ("len()", "len() takes 1 argument, not 0", 0),
        ("now(1)", "now() takes no arguments, not 1", 0),
        ("contains(a)", "contains() takes 2 arguments, not 1", 0),
        ("coalesce()", "coalesce() takes at least 1 argument, not 0", 0),
        ("t(key)", "t() takes one text key in quotes, like t('booking.title')", 2),
        ("t('a' + 'b')", "t() takes one text key in quotes, like t('booking.title')", 2),
        ("t()", "t() takes one text key in quotes, like t('booking.title')", 2),
        ("t('a', 'b')", "t() takes one text key in quotes, like t('booking.title')", 2),
        ("a !b", "'!' is not an operator; use 'not'", 2),
        ("a && b", "'&&' is not an operator; use 'and'", 2),
        ("a || b", "'||' is not an operator; use 'or'", 2),
        ("a <> b", "'<>' is not an operator; use '!=' for \"not equal\"", 2),
        ("a # b", "unexpected character '#'", 2),
        ("a & b", "unexpected character '&'", 2),
        ("‘yes’", "unexpected character '‘'; put text in straight quotes ' or \"", 0),
        ("возраст > 18", "unexpected character 'в'; names may only use Latin letters, digits and '_'", 0),
        ("a\u{7}", "unexpected character U+0007", 1),
        ("a\u{200B}b", "unexpected character U+200B", 1),
        ("'👍' == x and 🙂", "unexpected character '🙂'", 13),
        ("in", "unexpected 'in'", 0),
    ])
    func error(source: String, message: String, offset: Int) {
        #expect(throws: ExpressionError(message: message, offset: offset)) { try Expression.parse(source) }
    }

    @Test func tooLong() {
        let source = String(repeating: "a", count: 2001)
        #expect(throws: ExpressionError(message: "the expression is too long (2001 characters; at most 2000)", offset: 2000)) {
            try Expression.parse(source)
        }
    }

    @Test("too deep", arguments: [
        (String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100), 64),
        (String(repeating: "[", count: 70) + String(repeating: "]", count: 70), 64),
        (String(repeating: "a+", count: 70) + "a", 127),
        (String(repeating: "-", count: 70) + "x", 64),
    ])
    func tooDeep(source: String, offset: Int) {
        #expect(throws: ExpressionError(message: "the expression is nested too deeply (more than 64 levels)", offset: offset)) {
            try Expression.parse(source)
        }
    }

    @Test func tooDeepNot() throws {
        let source = String(repeating: "not ", count: 100) + "x"
        let error = try #require(throws: ExpressionError.self) { try Expression.parse(source) }
        #expect(error.message == "the expression is nested too deeply (more than 64 levels)")
        #expect(error.offset > 0 && error.offset < source.unicodeScalars.count)
    }
}
