import Testing
@testable import FlowEngine

/// Actions and sub-flows are called with the arguments they declare, and every outcome is routed.
@Suite("Validator: actions and calls")
struct ValidatorActionsTests {
    static let ru = "booking:\n  done: \"Готово\"\n  failed: \"Не получилось\""
    static let kk = "booking:\n  done: \"Дайын\"\n  failed: \"Болмады\""

    /// A flow whose `create` step (line 4) is the given lines.
    static func create(_ lines: String) -> [String] {
        let flow = """
            flow: booking
            entry: create
            steps:
              create:
            \(lines)
              done:
                say: booking.done
                end: true
              failed:
                say: booking.failed
                end: true
            """
        return Validation.run(flow, ru: ru, kk: kk)
    }

    @Test("the texts an action words its result with are needed in both languages, of any length")
    func textsOfAnAction() {
        let call = """
                do: note.print
                on: { ok: done, error: failed }
            """
        #expect(Self.create(call) == [
            "[locale-key] flows/booking.yaml:5:9: error: text 'print.header' is missing in locales/ru.yaml",
            "[locale-key] flows/booking.yaml:5:9: error: text 'print.header' is missing in locales/kk.yaml",
        ])
        let header = String(repeating: "Клиника ", count: 20)
        #expect(Validation.run("""
            flow: booking
            entry: create
            steps:
              create:
            \(call)
              done:
                say: booking.done
                end: true
              failed:
                say: booking.failed
                end: true
            """, ru: Self.ru + "\nprint:\n  header: \"\(header)\"", kk: Self.kk + "\nprint:\n  header: \"\(header)\"") == [])
    }

    @Test func unknownActionWithSuggestion() {
        #expect(Self.create("""
                do: patient.craete
                on: { ok: done, error: failed }
            """) == [
            "[unknown-action] flows/booking.yaml:5:9: error: no action 'patient.craete'; did you mean 'patient.create'?",
        ])
    }

    @Test func unknownParameterWithSuggestion() {
        #expect(Self.create("""
                do: patient.create
                with: { name: "'Aida'", birth_date: "'1990-03-05'", consnet: true }
                on: { ok: done, duplicate: failed, error: failed }
            """) == [
            "[action-argument] flows/booking.yaml:6:57: error: action 'patient.create' has no parameter 'consnet'; did you mean 'consent'?",
        ])
    }

    @Test func missingRequiredParameter() {
        #expect(Self.create("""
                do: patient.create
                with: { name: "'Aida'" }
                on: { ok: done, duplicate: failed, error: failed }
            """) == [
            "[action-argument] flows/booking.yaml:5:9: error: action 'patient.create' needs 'birth_date' under 'with'",
        ])
    }

    @Test("a constant argument of the wrong type", arguments: [
        ("birth_date: true", "6:41", "'birth_date' of action 'patient.create' must be date, but 'true' is not"),
        ("birth_date: 19900305", "6:41", "'birth_date' of action 'patient.create' must be date, but '19900305' is not"),
        ("birth_date: \"'1990-03-05'\", consent: \"'yes'\"", "6:67", "'consent' of action 'patient.create' must be bool, but ''yes'' is not"),
    ])
    func wrongArgumentType(arguments: String, at: String, message: String) {
        #expect(Self.create("""
                do: patient.create
                with: { name: "'Aida'", \(arguments) }
                on: { ok: done, duplicate: failed, error: failed }
            """) == ["[action-argument] flows/booking.yaml:\(at): error: \(message)"])
    }

    @Test func routeForAnOutcomeTheActionDoesNotHave() {
        #expect(Self.create("""
                do: reminder.cancel
                on: { ok: done, not_found: failed, error: failed }
            """) == [
            "[action-outcome] flows/booking.yaml:6:21: error: action 'reminder.cancel' has no outcome 'not_found'; its outcomes: ok, error",
        ])
    }

    @Test func outcomeNotRouted() {
        #expect(Self.create("""
                do: slots.find
                with: { day: "today()" }
                on: { ok: done, error: failed }
            """) == [
            "[action-outcome] flows/booking.yaml:5:9: error: outcome 'none' of action 'slots.find' is not routed; add 'none: STEP' under 'on'",
        ])
    }

    @Test func actionWithoutOn() {
        #expect(Self.create("""
                do: reminder.cancel
                next: done
            """) == [
            "[action-outcome] flows/booking.yaml:5:9: error: action 'reminder.cancel' needs 'on:' with a step for each outcome: ok, error",
            "[unknown-key] flows/booking.yaml:6:5: error: unknown key 'next' in a 'do' step: it goes where 'on' says for each outcome",
            "[unreachable] flows/booking.yaml:7:3: warning: step 'done' can never be reached from the entry 'create'",
            "[unreachable] flows/booking.yaml:10:3: warning: step 'failed' can never be reached from the entry 'create'",
        ])
    }

    @Test func actionResultSavedIntoLocale() {
        #expect(Self.create("""
                do: slots.find
                with: { day: "today()" }
                save: locale
                on: { ok: done, none: failed, error: failed }
            """) == [
            "[save] flows/booking.yaml:7:11: error: the result of 'slots.find' cannot be saved into 'locale'",
        ])
    }

    static let registration = """
        flow: registration
        params: [phone, source]
        entry: done
        steps:
          done:
            say: booking.done
            return: true
        """

    @Test func callWithAParamTheFlowDoesNotDeclare() {
        let flow = """
            flow: booking
            entry: register
            steps:
              register:
                call: registration
                with: { phon: "'+77011234567'", source: "'bot'" }
                next: failed
              failed:
                say: booking.failed
                end: true
            """
        #expect(Validation.run(flows: [("flows/booking.yaml", flow), ("flows/registration.yaml", Self.registration)], ru: Self.ru, kk: Self.kk) == [
            "[call-argument] flows/booking.yaml:5:11: warning: flow 'registration' expects param 'phone', not given under 'with'",
            "[call-argument] flows/booking.yaml:6:13: error: flow 'registration' declares no param 'phon'; did you mean 'phone'?",
        ])
    }
}
