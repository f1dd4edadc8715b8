import Testing
@testable import FlowEngine

/// Every operator on matching and mismatched types; mismatches give null or false, never a crash.
@Suite("Expression operators")
struct ExpressionOperatorTests {
    @Test("equality", arguments: [
        ("1 == 1", Value.bool(true)),
        ("1 == 1.0", true),
        ("1.5 == 1.5", true),
        ("1 == 2", false),
        ("1 == '1'", false),
        ("'a' == 'a'", true),
        ("'a' == 'A'", false),
        ("null == null", true),
        ("none == null", true),
        ("missing == null", true),
        ("patient.phone == null", true),
        ("patient != null", true),
        ("patient == patient", true),
        ("[1, 2] == [1.0, 2]", true),
        ("[1] == [1, 2]", false),
        ("true == 1", false),
        ("false == null", false),
        ("0 == null", false),
        ("form.age == 18", true),
        ("form == emptyMap", false),
        ("emptyMap == emptyMap", true),
        ("big == 9223372036854775807.0", false),
        ("1 != 1.0", false),
        ("'x' != null", true),
    ])
    func equality(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test("ordering", arguments: [
        ("1 < 2", Value.bool(true)),
        ("2 <= 2", true),
        ("3 > 2.5", true),
        ("2.5 >= 3", false),
        ("'a' < 'b'", true),
        ("'b' <= 'a'", false),
        ("'2026-01-02' > '2025-12-31'", true),
        ("'2026-11-25T09:00:00Z' < '2026-11-25T10:00:00Z'", true),
        ("'10' < '9'", true),
        ("1 < '2'", false),
        ("'2' > 1", false),
        ("null < 1", false),
        ("null >= null", false),
        ("true > false", false),
        ("[1] < [2]", false),
        ("form.age >= 18", true),
        ("big > 1.5", true),
    ])
    func ordering(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test("membership", arguments: [
        ("'F' in ['M', 'F']", Value.bool(true)),
        ("'X' in ['M', 'F']", false),
        ("form.gender in ['M', 'F']", true),
        ("1 in [1.0]", true),
        ("null in [null]", true),
        ("'age' in form", true),
        ("'zzz' in form", false),
        ("1 in form", false),
        ("'ell' in 'hello'", true),
        ("'' in 'hello'", true),
        ("'x' in text", false),
        ("1 in 'hello'", false),
        ("1 in 5", false),
        ("1 in null", false),
        ("'X' not in ['M', 'F']", true),
        ("'M' not in ['M', 'F']", false),
        ("20 in items", true),
    ])
    func membership(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test("arithmetic", arguments: [
        ("1 + 2", Value.int(3)),
        ("1 + 2.5", .double(3.5)),
        ("'a' + 'b'", "ab"),
        ("[1] + [2, 3]", .list([1, 2, 3])),
        ("5 - 7", -2),
        ("2 * 3.5", .double(7)),
        ("7 / 2", .double(3.5)),
        ("6 / 3", 2),
        ("-6 / 4", .double(-1.5)),
        ("48h / 2", 86400),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ("7.5 % 2", .double(1.5)),
        ("--3", 3),
        ("-half", .double(-0.5)),
        ("1.5 * 2 == 3", true),
    ])
    func arithmetic(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test("arithmetic on wrong types, by zero or overflowing gives null", arguments: [
        "'a' + 1", "1 + 'a'", "true + 1", "null + 1", "[1] + 1", "form + form", "'a' + [1]",
        "'a' - 'b'", "[1] - [1]", "1 - 'a'", "'a' * 2", "true * 2", "null / 2", "'6' / 3", "items % 2",
        "1 / 0", "1.0 / 0", "1 / 0.0", "0 / 0", "7 % 0", "7.5 % 0", "1 / null",
        "big + 1", "-big - 2", "big * 2", "big * big", "(-big - 1) / -1", "(-big - 1) % -1", "-(-big - 1)",
        "-'a'", "-items", "-null", "-true",
    ])
    func nullResults(source: String) throws {
        #expect(try ExpressionFixture.evaluate(source) == nil)
    }

    @Test("boolean operators give booleans by truthiness", arguments: [
        ("true and false", Value.bool(false)),
        ("true and true", true),
        ("1 and 'x'", true),
        ("1 and ''", false),
        ("0 or ''", false),
        ("null or 5", true),
        ("items or none", true),
        ("emptyMap or []", false),
        ("not null", true),
        ("not 0", true),
        ("not []", true),
        ("not 'x'", false),
        ("not missing.deep.path", true),
        ("patient != null and form.age >= 18", true),
    ])
    func booleans(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test("and / or / coalesce stop at the first deciding value", arguments: [
        ("false and x and x", 0),
        ("true or x or x", 0),
        ("x or x", 2),
        ("coalesce(1, x)", 0),
        ("coalesce(x, x, 1)", 2),
    ])
    func shortCircuit(source: String, lookups: Int) throws {
        let counter = ExpressionLookupCounter()
        let context = EvaluationContext(now: ExpressionFixture.now, timeZone: ExpressionFixture.almaty) { _ in
            counter.increment()
            return .null
        }
        _ = try Expression.parse(source).evaluate(in: context)
        #expect(counter.value == lookups)
    }

    @Test("members and indexes", arguments: [
        ("patient.name", Value.string("Aida")),
        ("patient.missing", nil),
        ("missing.a.b.c", nil),
        ("items[0]", 10),
        ("items[2]", 30),
        ("items[3]", nil),
        ("items[-1]", nil),
        ("items[1.0]", 20),
        ("items[0.5]", nil),
        ("items['0']", nil),
        ("items[big]", nil),
        ("form['age']", 18),
        ("form[1]", nil),
        ("form.answers[1]", "b"),
        ("[1, 2, 3][1]", 2),
        ("text.length", nil),
        ("text[0]", nil),
        ("items.x", nil),
        ("5[0]", nil),
        ("null.x", nil),
        ("first([patient]).name", "Aida"),
        ("[patient][0].id", 7),
    ])
    func access(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test("durations are seconds", arguments: [
        ("90s", Value.int(90)),
        ("2h + 30m", 9000),
        ("24h == 1d", true),
        ("7d / 1d", 7),
        ("-1h", -3600),
        ("1.5d", 129_600),
    ])
    func durations(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }
}
