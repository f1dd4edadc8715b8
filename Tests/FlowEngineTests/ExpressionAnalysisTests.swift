import Testing
@testable import FlowEngine

/// What the validator learns about an expression without running it.
@Suite("Expression static analysis")
struct ExpressionAnalysisTests {
    @Test("paths in source order", arguments: [
        ("patient != null and form.age >= 18", [["patient"], ["form", "age"]]),
        ("patient.id", [["patient", "id"]]),
        ("a[0].b", [["a"]]),
        ("a['key'].b", [["a", "key", "b"]]),
        ("a[i].b + c", [["a"], ["i"], ["c"]]),
        ("first(items).name", [["items"]]),
        ("len(x) > 0 or not y", [["x"], ["y"]]),
        ("x + x", [["x"], ["x"]]),
        ("[p, q] == r", [["p"], ["q"], ["r"]]),
        ("coalesce(params.start, now()) - 24h", [["params", "start"]]),
        ("-item.price * 2", [["item", "price"]]),
        ("1 + 2", []),
        ("t('a')", []),
    ] as [(String, [[String]])])
    func paths(source: String, expected: [[String]]) throws {
        #expect(try Expression.parse(source).paths == expected)
    }

    @Test("text keys", arguments: [
        ("t('a.b') + t('c')", ["a.b", "c"]),
        ("coalesce(t('x'), name)", ["x"]),
        ("str(len(t('nested')))", ["nested"]),
        ("'t' + t", []),
    ] as [(String, [String])])
    func textKeys(source: String, expected: [String]) throws {
        #expect(try Expression.parse(source).textKeys == expected)
    }

    @Test("constant expressions", arguments: [
        ("1 + 2", true),
        ("[1, 2]", true),
        ("'a' in ['a']", true),
        ("len('abc')", true),
        ("lower('A') == 'a'", true),
        ("-(24h)", true),
        ("24h * 2 > 1d and not false", true),
        ("coalesce(null, 1)", true),
        ("'2026-11-25' + 7d", true),
        ("now()", false),
        ("today()", false),
        ("date('2026-01-01')", false),
        ("age('2000-01-01')", false),
        ("t('k')", false),
        ("x", false),
        ("[1, x]", false),
        ("[1, 2][x]", false),
        ("1 + x.y", false),
    ])
    func constant(source: String, expected: Bool) throws {
        #expect(try Expression.parse(source).isConstant == expected)
    }
}
