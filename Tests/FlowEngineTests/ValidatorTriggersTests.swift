import Testing
@testable import FlowEngine

/// What starts flows: commands are unique, `/start` exists, and each flow is defined once.
@Suite("Validator: triggers")
struct ValidatorTriggersTests {
    static func menu(_ name: String, command: String) -> String {
        """
        flow: \(name)
        triggers:
          commands: [\(command)]
        entry: hello
        steps:
          hello:
            say: start.hello
            end: true
        """
    }

    @Test func commandThatStartsTwoFlows() {
        #expect(Validation.run(flows: [("flows/help.yaml", Self.menu("help", command: "menu")),
                                       ("flows/menu.yaml", Self.menu("menu", command: "/menu"))]) == [
            "[duplicate-trigger] flows/menu.yaml:3:14: error: command /menu already starts another flow (flows/help.yaml:3:14)",
        ])
    }

    @Test func menuTextThatStartsTwoFlows() {
        let book = "flow: book\ntriggers:\n  texts: [menu.book]\nentry: hello\nsteps:\n  hello:\n    say: start.hello\n    end: true\n"
        let again = book.replacingOccurrences(of: "flow: book", with: "flow: again")
        #expect(Validation.run(flows: [("flows/again.yaml", again), ("flows/book.yaml", book)], ru: "menu:\n  book: Записаться", kk: "menu:\n  book: Жазылу") == [
            "[duplicate-trigger] flows/book.yaml:3:11: error: the text “Записаться” (menu.book) already starts another flow (flows/again.yaml:3:11)",
        ])
    }

    @Test func commandListedTwiceInOneFlow() {
        let flow = Self.menu("menu", command: "menu, home, menu")
        #expect(Validation.run(flows: [("flows/menu.yaml", flow)]) == [
            "[duplicate-trigger] flows/menu.yaml:3:26: error: command /menu is listed twice (flows/menu.yaml:3:14)",
        ])
    }

    @Test func noFlowIsStartedByStart() {
        #expect(Validation.run(flows: [("flows/menu.yaml", Self.menu("menu", command: "menu"))], startFlow: false) == [
            "[start] flows/menu.yaml:1:1: error: no flow is started by /start (add 'triggers: { commands: [start] }' to one flow)",
        ])
    }

    @Test func flowDefinedInTwoFiles() {
        #expect(Validation.run(flows: [("flows/menu.yaml", Self.menu("menu", command: "menu")),
                                       ("flows/menu_copy.yaml", Self.menu("menu", command: "home"))]) == [
            "[duplicate-flow] flows/menu_copy.yaml:1:7: error: flow 'menu' is also defined in flows/menu.yaml",
        ])
    }
}
