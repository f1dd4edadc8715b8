import Testing
@testable import FlowEngine

/// Plan files: which flow the clinic starts about an appointment, and when.
@Suite("Validator: reminder plans")
struct ValidatorPlansTests {
    static let reminder = """
        flow: reminder
        params: [appointment_id, start]
        entry: hello
        steps:
          hello:
            say: start.hello
            end: true
        """

    func run(_ plan: String, flow: String = reminder) -> [String] {
        Validation.run(flows: [("flows/reminder.yaml", flow), ("flows/plan.yaml", plan)])
    }

    @Test("a plan of existing flows with well-formed moments is clean, and is loaded with its entries")
    func clean() {
        let plan = """
            plan: appointments
            entries:
              day_before: { flow: reminder, at: start - 24h, quiet: evening }
              arrival: { flow: reminder, at: start + 5m }
              rating:
                flow: reminder
                at: end + 2h
                quiet: morning
            """
        #expect(run(plan) == [])
        let (set, _) = FlowSetLoader.load(
            flows: [.init(path: "flows/reminder.yaml", text: Self.reminder), .init(path: "flows/plan.yaml", text: plan),
                    .init(path: "flows/start.yaml", text: Validation.startFlow)],
            locales: [.init(path: "locales/ru.yaml", text: Validation.engineTexts(.ru)),
                      .init(path: "locales/kk.yaml", text: Validation.engineTexts(.kk))],
            signatures: Validation.signatures)
        let entries = set.plans.first?.entries ?? []
        #expect(entries.map(\.name.value) == ["day_before", "arrival", "rating"])
        #expect(entries.map(\.moment) == [.init(anchor: .start, offsetSeconds: -86_400), .init(anchor: .start, offsetSeconds: 300),
                                          .init(anchor: .end, offsetSeconds: 7200)])
        #expect(entries.map(\.quiet) == [.evening, .send, .morning])
    }

    @Test("an entry pointing at a missing flow is refused where it names it")
    func missingFlow() {
        let diagnostics = run("""
            plan: appointments
            entries:
              day_before: { flow: remindr, at: start - 24h }
            """)
        #expect(diagnostics == ["[unknown-flow] flows/plan.yaml:3:23: error: no flow 'remindr'; did you mean 'reminder'?"])
    }

    @Test("a malformed moment is refused at its place", arguments: ["start - 24", "begin - 24h", "start -24h", "start * 2h", "24h"])
    func malformedMoment(at: String) {
        let diagnostics = run("""
            plan: appointments
            entries:
              day_before:
                flow: reminder
                at: \(at)
            """)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.hasPrefix("[value] flows/plan.yaml:5:9: error: 'at' must be the appointment's start or end") == true)
    }

    @Test("an unknown quiet rule and an unknown key get suggestions")
    func otherMistakes() {
        let diagnostics = run("""
            plan: appointments
            entries:
              day_before: { flow: reminder, at: start - 24h, quiet: evenin, flw: x }
            """)
        #expect(diagnostics == [
            "[value] flows/plan.yaml:3:57: error: 'quiet' must be one of send, evening, morning, skip; did you mean 'evening'?",
            "[unknown-key] flows/plan.yaml:3:65: error: unknown key 'flw' in a plan entry; did you mean 'flow'?",
        ])
    }

    @Test("a flow that expects a param the planner does not give is refused at the entry")
    func params() {
        let diagnostics = run("""
            plan: appointments
            entries:
              day_before: { flow: reminder, at: start - 24h }
            """, flow: Self.reminder.replacingOccurrences(of: "[appointment_id, start]", with: "[appointment_id, doctor]"))
        #expect(diagnostics == [
            "[plan-params] flows/plan.yaml:3:23: error: flow 'reminder' expects param 'doctor', but a plan starts it only with appointment_id, start, end, language",
        ])
    }
}
