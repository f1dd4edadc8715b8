import Testing
@testable import FlowEngine

/// Every variable a flow reads is set somewhere, before it is read, with the fields it has.
@Suite("Validator: variables")
struct ValidatorVariablesTests {
    static let ru = """
        booking:
          name: "Как вас зовут?"
          hello: "Здравствуйте, {name}!"
        """
    static let kk = """
        booking:
          name: "Атыңыз кім?"
          hello: "Сәлеметсіз бе, {name}!"
        """

    /// A flow that asks the name (saved in `form.name`) and then greets with `args: { name: READ }`.
    static func greet(reading read: String, params: String = "") -> [String] {
        let flow = """
            flow: booking\(params)
            entry: ask_name
            steps:
              ask_name:
                ask: booking.name
                input: name
                save: form.first_name
                next: greet
              greet:
                say: booking.hello
                args: { name: \(read) }
                end: true
            sensitive: [form]
            """
        return Validation.run(flow, ru: ru, kk: kk)
    }

    @Test func aVariableSetBeforeItIsReadIsFine() {
        #expect(Self.greet(reading: "form.first_name") == [])
    }

    @Test func variableNeverSetWithSuggestion() {
        #expect(Self.greet(reading: "form.frist_name") == [
            "[variable] flows/booking.yaml:11:19: error: 'form.frist_name' is never set by any flow; did you mean 'form.first_name'?",
        ])
    }

    @Test func variableNeverSetWithoutSuggestion() {
        #expect(Self.greet(reading: "visit.doctor") == [
            "[variable] flows/booking.yaml:11:19: error: 'visit.doctor' is never set by any flow",
        ])
    }

    @Test func undeclaredParam() {
        #expect(Self.greet(reading: "params.name") == [
            "[variable] flows/booking.yaml:11:19: error: 'params.name': flow 'booking' declares no param 'name'; add it under 'params'",
        ])
        #expect(Self.greet(reading: "params.name", params: "\nparams: [name]") == [])
    }

    @Test func itemOutsideChoicesBuiltFromAList() {
        #expect(Self.greet(reading: "item.name") == [
            "[variable] flows/booking.yaml:11:19: error: 'item' exists only in the 'label' and 'value' of choices built from a list",
        ])
    }

    @Test func unknownFieldOfUser() {
        #expect(Self.greet(reading: "user.phone") == [
            "[variable] flows/booking.yaml:11:19: error: 'user.phone': 'user' has only id, username, name",
        ])
        #expect(Self.greet(reading: "user.name") == [])
    }

    /// A flow that saves `slots.find`'s result (fields `slots`, `first`) and reads `found.FIELD`.
    static func readSlots(_ field: String) -> [String] {
        let flow = """
            flow: booking
            entry: find
            steps:
              find:
                do: slots.find
                with: { day: "today()" }
                save: found
                on: { ok: greet, none: greet, error: greet }
              greet:
                say: booking.hello
                args: { name: found.\(field) }
                end: true
            """
        return Validation.run(flow, ru: ru.replacingOccurrences(of: "  name: \"Как вас зовут?\"\n", with: ""),
                              kk: kk.replacingOccurrences(of: "  name: \"Атыңыз кім?\"\n", with: ""))
    }

    @Test func fieldTheSavedActionResultDoesNotHave() {
        #expect(Self.readSlots("frist") == [
            "[variable] flows/booking.yaml:11:19: error: 'found.frist': the saved action result has no field 'frist'; its fields: first, slots",
        ])
    }

    @Test func actionResultReadOnARouteWhereItMayNotBeSaved() {
        // `found` is saved only on `ok`; `none` and `error` also lead to `greet`.
        #expect(Self.readSlots("first") == [
            "[variable] flows/booking.yaml:11:19: warning: 'found.first' may be read before it is set: some path to step 'greet' does not set it",
        ])
    }

    @Test func variableMayBeReadBeforeItIsSet() {
        let flow = """
            flow: booking
            entry: check
            steps:
              check:
                if: user.username
                then: ask_name
                else: greet
              ask_name:
                ask: booking.name
                input: name
                save: form.first_name
                next: greet
              greet:
                say: booking.hello
                args: { name: form.first_name }
                end: true
            sensitive: [form]
            """
        #expect(Validation.run(flow, ru: Self.ru, kk: Self.kk) == [
            "[variable] flows/booking.yaml:15:19: warning: 'form.first_name' may be read before it is set: some path to step 'greet' does not set it",
        ])
    }

    @Test("saving into what the bot provides", arguments: [
        ("save: user.name", "7:11", "'user' is provided by the bot and cannot be changed; save into another name, such as 'form.name'"),
        ("save: item", "7:11", "'item' is provided by the bot and cannot be changed; save into another name, such as 'form.item'"),
    ])
    func savingIntoUser(save: String, at: String, message: String) {
        let flow = """
            flow: booking
            entry: ask_name
            steps:
              ask_name:
                ask: booking.name
                input: name
                \(save)
                next: greet
              greet:
                say: booking.hello
                args: { name: user.name }
                end: true
            """
        #expect(Validation.run(flow, ru: Self.ru, kk: Self.kk) == ["[save] flows/booking.yaml:\(at): error: \(message)"])
    }

    @Test func itemInsideChoicesBuiltFromAListIsFine() {
        let flow = """
            flow: booking
            entry: find
            steps:
              find:
                do: slots.find
                with: { day: "today()" }
                save: found
                on: { ok: pick, none: greet, error: greet }
              pick:
                ask: booking.name
                choices: { from: found.slots, label: item.title, value: item.id }
                save: form.first_name
                next: greet
              greet:
                say: booking.hello
                args: { name: user.name }
                end: true
            """
        #expect(Validation.run(flow, ru: Self.ru, kk: Self.kk) == [])
    }
}
