import Testing
@testable import FlowEngine

@Suite("Expression functions")
struct ExpressionFunctionTests {
    @Test("functions", arguments: [
        ("len('Айгүл')", Value.int(5)),
        ("len('👨‍👩‍👧')", 1),
        ("len('')", 0),
        ("len(items)", 3),
        ("len(form)", 3),
        ("len(none)", 0),
        ("len(5)", nil),
        ("empty('')", true),
        ("empty(none)", true),
        ("empty([])", true),
        ("empty(emptyMap)", true),
        ("empty(0)", false),
        ("empty('a')", false),
        ("empty(items)", false),
        ("lower('ҚАЗАҚ Aida')", "қазақ aida"),
        ("upper('aida')", "AIDA"),
        ("lower(5)", nil),
        ("upper(null)", nil),
        ("first(items)", 10),
        ("last(items)", 30),
        ("first([])", nil),
        ("first('abc')", nil),
        ("last(null)", nil),
        ("contains(items, 20)", true),
        ("contains('hello', 'ell')", true),
        ("contains(form, 'age')", true),
        ("contains(5, 5)", false),
        ("coalesce(none, missing, 'x', 'y')", "x"),
        ("coalesce(null)", nil),
        ("coalesce(0, 1)", 0),
        ("coalesce(patient.phone, 'no phone')", "no phone"),
        ("t('booking.title')", "Запись"),
        ("t('greeting') + ', ' + patient.name", "Сәлем, Aida"),
        ("t('missing.key')", "missing.key"),
        ("str(5)", "5"),
        ("str(2.0)", "2"),
        ("str(true)", "true"),
        ("str(null)", ""),
        ("str(items)", "10, 20, 30"),
        ("'Age: ' + str(form.age)", "Age: 18"),
        ("int('18')", 18),
        ("int(' 18 ')", 18),
        ("int('18.7')", 18),
        ("int(-3.9)", -3),
        ("int(7)", 7),
        ("int(true)", 1),
        ("int('abc')", nil),
        ("int('nan')", nil),
        ("int(null)", nil),
        ("int(big * 1.0)", nil),
        ("int(form.age) >= 18", true),
    ])
    func call(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test("misspelt names suggest the closest function", arguments: [
        ("lenght", "len"),
        ("length", "len"),
        ("uper", "upper"),
        ("lwoer", "lower"),
        ("coalese", "coalesce"),
        ("tody", "today"),
        ("Len", "len"),
        ("integer", "int"),
    ])
    func suggestion(typed: String, expected: String) {
        #expect(Expression.Function.suggestion(for: typed) == expected)
    }

    @Test("unrelated names suggest nothing", arguments: ["foo", "x", "frobnicate", "sum"])
    func noSuggestion(typed: String) {
        #expect(Expression.Function.suggestion(for: typed) == nil)
    }
}
