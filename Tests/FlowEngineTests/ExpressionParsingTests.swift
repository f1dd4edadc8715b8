import Testing
@testable import FlowEngine

@Suite("Expression parsing")
struct ExpressionParsingTests {
    @Test("operators bind as documented", arguments: [
        ("a or b and c", "a or (b and c)"),
        ("a or not b and c", "a or ((not b) and c)"),
        ("not a and b", "(not a) and b"),
        ("not a == b", "not (a == b)"),
        ("not a in b", "not (a in b)"),
        ("not not a", "not (not a)"),
        ("a == b and c != d", "(a == b) and (c != d)"),
        ("a < b + 1 and c", "(a < (b + 1)) and c"),
        ("a + b == c * d", "(a + b) == (c * d)"),
        ("a + b in c", "(a + b) in c"),
        ("a + b * c", "a + (b * c)"),
        ("a - b - c", "(a - b) - c"),
        ("a * b / c % d", "((a * b) / c) % d"),
        ("a - -b", "a - (-b)"),
        ("-a * b", "(-a) * b"),
        ("-a.b", "-(a.b)"),
        ("first(x).y[0]", "((first(x)).y)[0]"),
        ("params.start - 24h", "(params.start) - (24h)"),
        ("x not in [1, 2] or y", "(x not in [1, 2]) or y"),
    ])
    func precedence(source: String, parenthesised: String) throws {
        #expect(try Expression.parse(source) == Expression.parse(parenthesised))
    }

    @Test("precedence shows in results", arguments: [
        ("2 + 3 * 4", Value.int(14)),
        ("(2 + 3) * 4", 20),
        ("10 - 2 - 3", 5),
        ("2 * 3 % 4", 2),
        ("-2 * 3", -6),
        ("100 / 10 / 5", 2),
        ("1 + 2 == 3 and 2 < 3", true),
        ("not 1 == 2", true),
        ("true or false and false", true),
        ("(true or false) and false", false),
    ])
    func evaluatedPrecedence(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test("literals", arguments: [
        ("42", Value.int(42)),
        ("007", 7),
        ("3.25", .double(3.25)),
        ("-5", -5),
        ("-2.5", .double(-2.5)),
        ("1.0", .double(1)),
        ("true", true),
        ("false", false),
        ("null", nil),
        ("'single'", "single"),
        ("\"double\"", "double"),
        ("'it\\'s'", "it's"),
        ("\"say \\\"hi\\\"\"", "say \"hi\""),
        ("'back\\\\slash'", "back\\slash"),
        ("'line\\nnext'", "line\nnext"),
        ("\"mixed 'quotes'\"", "mixed 'quotes'"),
        ("'Сәлем 👋'", "Сәлем 👋"),
        ("90s", 90),
        ("30m", 1800),
        ("24h", 86400),
        ("7d", 604_800),
        ("1.5h", 5400),
        ("0.5s", .double(0.5)),
        ("[]", .list([])),
        ("['M', 'F']", .list(["M", "F"])),
    ])
    func literal(source: String, expected: Value) throws {
        #expect(try Expression.parse(source) == .literal(expected))
    }

    @Test("tree shapes", arguments: [
        ("patient.id", Expression.path(["patient", "id"])),
        ("a['b c'].d", .path(["a", "b c", "d"])),
        ("answers.in.not", .path(["answers", "in", "not"])),
        ("-x", .unary(.negate, .path(["x"]))),
        ("[x, 1]", .list([.path(["x"]), .literal(1)])),
        ("a or b or c", .any([.path(["a"]), .path(["b"]), .path(["c"])])),
        ("a and b or c", .any([.all([.path(["a"]), .path(["b"])]), .path(["c"])])),
        ("x not in y", .binary(.notIn, .path(["x"]), .path(["y"]))),
        ("t('booking.title')", .text("booking.title")),
        ("len(x)", .call(.len, [.path(["x"])])),
        ("items[0]", .index(.path(["items"]), .literal(0))),
        ("first(x).name", .member(.call(.first, [.path(["x"])]), "name")),
        ("  a\n  ==\t1 ", .binary(.equal, .path(["a"]), .literal(1))),
    ])
    func shape(source: String, expected: Expression) throws {
        #expect(try Expression.parse(source) == expected)
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let source = String(repeating: "(", count: 63) + "1" + String(repeating: ")", count: 63)
        #expect(try Expression.parse(source) == .literal(1))
        let longest = String(repeating: "a", count: ExpressionParser.maximumLength)
        #expect(try Expression.parse(longest) == .path([longest]))
    }

    @Test func flatBooleanChainsDoNotCountAsNesting() throws {
        let source = (0..<120).map { "x == \($0)" }.joined(separator: " or ")
        let expression = try Expression.parse(source)
        #expect(expression.evaluate(in: ExpressionFixture.context(variables: ["x": 100])) == true)
        #expect(expression.evaluate(in: ExpressionFixture.context(variables: ["x": 150])) == false)
    }
}
