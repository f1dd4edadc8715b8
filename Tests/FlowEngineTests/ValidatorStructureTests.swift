import Testing
@testable import FlowEngine

/// The loader's checks: YAML syntax, keys, the shape of a flow and of each step, names, values
/// and expressions.
@Suite("Validator: structure")
struct ValidatorStructureTests {
    static let hello = (ru: "booking:\n  hello: \"Здравствуйте\"", kk: "booking:\n  hello: \"Сәлеметсіз бе\"")

    @Test func yamlSyntaxErrorIsReportedWhereLibyamlFindsIt() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                note: Внимание: важно
                end: true
            """
        #expect(Validation.run(flow) == [
            "[yaml] flows/booking.yaml:6:19: error: YAML syntax: mapping values are not allowed in this context",
        ])
    }

    @Test func yamlSyntaxErrorInALocaleFile() {
        let ru = "booking:\n\thello: \"Здравствуйте\""
        #expect(Validation.run(flows: [], ru: ru).filter { $0.hasPrefix("[yaml]") } == [
            "[yaml] locales/ru.yaml:2:1: error: YAML syntax: found character that cannot start any token (while scanning for the next token)",
        ])
    }

    @Test("an unknown key is named, with the closest known key", arguments: [
        (
            """
            flow: booking
            descripton: Booking a visit
            entry: hello
            steps:
              hello:
                say: booking.hello
                end: true
            """,
            "[unknown-key] flows/booking.yaml:2:1: error: unknown key 'descripton' in a flow file; did you mean 'description'?"
        ),
        (
            """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                kyboard: remove
                end: true
            """,
            "[unknown-key] flows/booking.yaml:6:5: error: unknown key 'kyboard' in a 'say' step; did you mean 'keyboard'?"
        ),
        (
            """
            flow: booking
            entry: hello
            steps:
              hello:
                ask: booking.hello
                input: { type: birth_date, max_ag: 120 }
                save: form.birth_date
                end: true
            sensitive: [form]
            """,
            "[unknown-key] flows/booking.yaml:6:32: error: unknown key 'max_ag' in input of type 'birth_date'; did you mean 'max_age'?"
        ),
        (
            """
            flow: booking
            entry: hello
            steps:
              hello:
                ask: booking.hello
                choices:
                  - { label: booking.hello, vlue: yes }
                end: true
            """,
            "[unknown-key] flows/booking.yaml:7:33: error: unknown key 'vlue' in a choice; did you mean 'value'?"
        ),
        (
            """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                end: true
                colour: blue
            """,
            "[unknown-key] flows/booking.yaml:7:5: error: unknown key 'colour' in a 'say' step"
        ),
    ])
    func unknownKey(flow: String, expected: String) {
        #expect(Validation.run(flow, ru: Self.hello.ru, kk: Self.hello.kk) == [expected])
    }

    @Test func duplicateKeyIsReportedAtItsSecondOccurrence() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                end: true
                say: booking.bye
            """
        #expect(Validation.run(flow) == [
            "[duplicate-key] flows/booking.yaml:7:5: error: duplicate key 'say' (first given at line 5)",
        ])
    }

    @Test func duplicateKeyInAFlowMapping() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                args: { name: user.name, name: user.username }
                end: true
            """
        #expect(Validation.run(flow) == [
            "[duplicate-key] flows/booking.yaml:6:30: error: duplicate key 'name' (first given at line 6)",
        ])
    }

    @Test func duplicateStepName() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                end: true
              hello:
                say: booking.hello
                end: true
            """
        #expect(Validation.run(flow) == [
            "[duplicate-key] flows/booking.yaml:7:3: error: duplicate key 'hello' (first given at line 4)",
        ])
    }

    @Test func missingFlowName() {
        let flow = """
            entry: hello
            steps:
              hello:
                say: booking.hello
                end: true
            """
        #expect(Validation.run(flow) == [
            "[structure] flows/booking.yaml:1:1: error: missing 'flow' (the flow's name)",
        ])
    }

    @Test func missingEntry() {
        let flow = """
            flow: booking
            steps:
              hello:
                say: booking.hello
                end: true
            """
        #expect(Validation.run(flow) == [
            "[structure] flows/booking.yaml:1:1: error: missing 'entry' (the first step's name)",
        ])
    }

    @Test func missingSteps() {
        let flow = """
            flow: booking
            entry: hello
            """
        #expect(Validation.run(flow) == [
            "[structure] flows/booking.yaml:1:1: error: a flow needs 'steps'",
        ])
    }

    @Test func emptySteps() {
        let flow = """
            flow: booking
            entry: hello
            steps: {}
            """
        #expect(Validation.run(flow) == [
            "[structure] flows/booking.yaml:3:8: error: a flow needs at least one step",
        ])
    }

    @Test func emptyFlowFile() {
        #expect(Validation.run("") == [
            "[structure] flows/booking.yaml:1:1: error: the file is empty; a flow starts with 'flow: NAME'",
        ])
    }

    @Test func stepWithTwoKinds() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                ask: booking.hello
                say: booking.hello
                end: true
            """
        #expect(Validation.run(flow, ru: Self.hello.ru, kk: Self.hello.kk) == [
            "[structure] flows/booking.yaml:6:5: error: step 'hello' does more than one thing ('ask' and 'say'); split it into two steps",
        ])
    }

    @Test func stepWithTwoTransitions() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                end: true
                next: hello
            """
        #expect(Validation.run(flow, ru: Self.hello.ru, kk: Self.hello.kk) == [
            "[structure] flows/booking.yaml:7:5: error: 'end' and 'next' both given; a step goes one way",
        ])
    }

    @Test func stepThatDoesNothing() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                note: nothing here yet
            """
        #expect(Validation.run(flow) == [
            "[structure] flows/booking.yaml:4:3: error: step 'hello' does nothing: give it 'say', 'ask', 'do', 'if', 'set', 'call', 'wait' or a 'goto'/'next'/'end'",
        ])
    }

    @Test("an unknown input type is named, with the closest type", arguments: [
        ("input: birthdate", "6:12", "'birthdate'", "; did you mean 'birth_date'?"),
        ("input: { type: phon }", "6:20", "'phon'", "; did you mean 'phone'?"),
        ("input: email", "6:12", "'email'", ""),
    ])
    func unknownInputType(input: String, at: String, type: String, hint: String) {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                ask: booking.hello
                \(input)
                save: form.answer
                end: true
            """
        #expect(Validation.run(flow, ru: Self.hello.ru, kk: Self.hello.kk) == [
            "[value] flows/booking.yaml:\(at): error: unknown input type \(type)\(hint) (known types: text, name, number, phone, contact, date, birth_date, iin, rating)",
        ])
    }

    @Test("a step name must be a plain name", arguments: ["шаг", "2nd"])
    func badStepName(name: String) {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                end: true
              \(name):
                say: booking.hello
                end: true
            """
        #expect(Validation.run(flow, ru: Self.hello.ru, kk: Self.hello.kk) == [
            "[name] flows/booking.yaml:7:3: error: step name '\(name)' may contain only latin letters, digits and '_'",
        ])
    }

    @Test func valuesOutOfRange() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                ask: booking.hello
                choices:
                  - { label: booking.hello, value: 1 }
                columns: 9
                back: sometimes
                save: form.answer
                end: true
            """
        #expect(Validation.run(flow, ru: Self.hello.ru, kk: Self.hello.kk) == [
            "[value] flows/booking.yaml:8:14: error: columns must be a whole number from 1 to 8",
            "[value] flows/booking.yaml:9:11: error: back must be true or false",
        ])
    }

    @Test("an expression that does not parse is reported at the place inside the line", arguments: [
        // Plain scalar: the expression starts where the value does.
        ("if: form.age >=", "5:20", "in 'form.age >=': expected a value after '>='"),
        ("if: form.age > 17 and", "5:26", "in 'form.age > 17 and': expected a value after 'and'"),
        // Quoted scalars: the expression starts after the quote.
        ("if: \"lenn(form.children) > 0\"", "5:10", "in 'lenn(form.children) > 0': unknown function 'lenn'; did you mean 'len'?"),
        ("if: 'form.age > > 17'", "5:21", "in 'form.age > > 17': unexpected '>'"),
        // Escapes in a double-quoted scalar are longer in the file than in the text.
        ("if: \"form.name == \\\"A\\\" or\"", "5:31", "in 'form.name == \"A\" or': expected a value after 'or'"),
    ])
    func badExpression(condition: String, at: String, message: String) {
        let flow = """
            flow: booking
            entry: check
            steps:
              check:
                \(condition)
                then: check
                else: check
            """
        #expect(Validation.run(flow) == ["[expression] flows/booking.yaml:\(at): error: \(message)"])
    }

    @Test func expressionWhereAMappingIsGiven() {
        let flow = """
            flow: booking
            entry: check
            steps:
              check:
                if: { age: 18 }
                then: check
                else: check
            """
        #expect(Validation.run(flow) == [
            "[expression] flows/booking.yaml:5:9: error: expected an expression, found a mapping",
        ])
    }
}
