import Testing
@testable import FlowEngine

/// Where steps go: every target exists, every step is reachable, none is a dead end, no loop
/// runs without waiting, and no back button crosses a commit point.
@Suite("Validator: routes")
struct ValidatorRoutesTests {
    static let ru = """
        booking:
          hello: "Здравствуйте"
          confirm: "Записать вас?"
          yes: "Да"
          no: "Нет"
          bye: "До свидания"
          cancelled: "Запись отменена"
        """
    static let kk = """
        booking:
          hello: "Сәлеметсіз бе"
          confirm: "Жазайын ба?"
          yes: "Иә"
          no: "Жоқ"
          bye: "Сау болыңыз"
          cancelled: "Жазылу тоқтатылды"
        """

    /// The flow's diagnostics, without the warnings about the texts above it does not use.
    static func run(_ flow: String) -> [String] {
        Validation.run(flow, ru: ru, kk: kk).filter { !$0.hasPrefix("[unused-key]") }
    }

    @Test func unknownNextStepWithSuggestion() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                next: confrim
              confirm:
                ask: booking.confirm
                choices:
                  - { label: booking.yes, value: true, next: bye }
                  - { label: booking.no, value: false, next: cancelled }
              bye:
                say: booking.bye
                end: true
              cancelled:
                say: booking.cancelled
                end: true
            """
        #expect(Self.run(flow) == [
            "[unknown-step] flows/booking.yaml:6:11: error: no step 'confrim' in flow 'booking'; did you mean 'confirm'?",
            "[unreachable] flows/booking.yaml:7:3: warning: step 'confirm' can never be reached from the entry 'hello' (nor the 2 steps it leads to)",
        ])
    }

    @Test func unknownEntryStep() {
        let flow = """
            flow: booking
            entry: helo
            steps:
              hello:
                say: booking.hello
                end: true
            """
        #expect(Validation.run(flow, ru: "booking:\n  hello: \"Здравствуйте\"", kk: "booking:\n  hello: \"Сәлем\"") == [
            "[unknown-step] flows/booking.yaml:2:8: error: no step 'helo' in flow 'booking'; did you mean 'hello'?",
        ])
    }

    @Test func unknownChoiceTarget() {
        let flow = """
            flow: booking
            entry: confirm
            steps:
              confirm:
                ask: booking.confirm
                choices:
                  - { label: booking.yes, value: true, next: bye }
                  - { label: booking.no, value: false, next: canceled }
              bye:
                say: booking.bye
                end: true
              cancelled:
                say: booking.cancelled
                end: true
            """
        #expect(Self.run(flow) == [
            "[unknown-step] flows/booking.yaml:8:50: error: no step 'canceled' in flow 'booking'; did you mean 'cancelled'?",
            "[unreachable] flows/booking.yaml:12:3: warning: step 'cancelled' can never be reached from the entry 'confirm'",
        ])
    }

    @Test func unknownOutcomeTarget() {
        let flow = """
            flow: booking
            entry: cancel
            steps:
              cancel:
                do: reminder.cancel
                on: { ok: cancelled, error: by }
              cancelled:
                say: booking.cancelled
                end: true
              bye:
                say: booking.bye
                end: true
            """
        #expect(Self.run(flow) == [
            "[unknown-step] flows/booking.yaml:6:33: error: no step 'by' in flow 'booking'; did you mean 'bye'?",
            "[unreachable] flows/booking.yaml:10:3: warning: step 'bye' can never be reached from the entry 'cancel'",
        ])
    }

    @Test func unknownBranchTargets() {
        let flow = """
            flow: booking
            entry: check
            steps:
              check:
                if: user.username
                then: helo
                else: bye_bye
              hello:
                say: booking.hello
                end: true
              bye:
                say: booking.bye
                end: true
            """
        #expect(Self.run(flow) == [
            "[unknown-step] flows/booking.yaml:6:11: error: no step 'helo' in flow 'booking'; did you mean 'hello'?",
            "[unknown-step] flows/booking.yaml:7:11: error: no step 'bye_bye' in flow 'booking'",
            "[unreachable] flows/booking.yaml:8:3: warning: step 'hello' can never be reached from the entry 'check'",
            "[unreachable] flows/booking.yaml:11:3: warning: step 'bye' can never be reached from the entry 'check'",
        ])
    }

    @Test func unknownFlowInGoto() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                goto: strt
            """
        #expect(Validation.run(flow, ru: "booking:\n  hello: \"Здравствуйте\"", kk: "booking:\n  hello: \"Сәлем\"") == [
            "[unknown-flow] flows/booking.yaml:6:11: error: no flow 'strt'; did you mean 'start'?",
        ])
    }

    @Test func unknownFlowInCall() {
        let flow = """
            flow: booking
            entry: register
            steps:
              register:
                call: registraton
                next: hello
              hello:
                say: booking.hello
                end: true
            """
        let registration = """
            flow: registration
            entry: done
            steps:
              done:
                say: booking.bye
                return: true
            """
        #expect(Validation.run(flows: [("flows/booking.yaml", flow), ("flows/registration.yaml", registration)], ru: Self.ru, kk: Self.kk)
            .filter { !$0.hasPrefix("[unused-key]") } == [
            "[unknown-flow] flows/booking.yaml:5:11: error: no flow 'registraton'; did you mean 'registration'?",
        ])
    }

    @Test func unreachableStepIsAWarning() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                end: true
              bye:
                say: booking.bye
                end: true
            """
        #expect(Validation.run(flow, ru: "booking:\n  hello: \"Здравствуйте\"\n  bye: \"Пока\"", kk: "booking:\n  hello: \"Сәлем\"\n  bye: \"Сау бол\"") == [
            "[unreachable] flows/booking.yaml:7:3: warning: step 'bye' can never be reached from the entry 'hello'",
        ])
    }

    @Test func sayWithoutNextIsADeadEnd() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
            """
        #expect(Validation.run(flow, ru: "booking:\n  hello: \"Здравствуйте\"", kk: "booking:\n  hello: \"Сәлем\"") == [
            "[dead-end] flows/booking.yaml:4:3: error: step 'hello' does not say where to go next; add 'next', 'goto', 'end: true' or 'return: true'",
        ])
    }

    @Test func askWithoutNextIsADeadEnd() {
        let flow = """
            flow: booking
            entry: confirm
            steps:
              confirm:
                ask: booking.confirm
                choices:
                  - { label: booking.yes, value: true, next: bye }
                  - { label: booking.no, value: false }
                save: form.confirmed
              bye:
                say: booking.bye
                end: true
            """
        #expect(Self.run(flow).filter { !$0.hasPrefix("[unused-key]") } == [
            "[dead-end] flows/booking.yaml:4:3: error: step 'confirm' takes an answer but does not say where to go next; add 'next', 'goto', 'end: true' or 'return: true'",
        ])
    }

    @Test func askWhoseEveryButtonSaysWhereToGoIsNoDeadEnd() {
        let flow = """
            flow: booking
            entry: confirm
            steps:
              confirm:
                ask: booking.confirm
                choices:
                  - { label: booking.yes, value: true, next: bye }
                  - { label: booking.no, value: false, next: cancelled }
              bye:
                say: booking.bye
                end: true
              cancelled:
                say: booking.cancelled
                end: true
            """
        #expect(Self.run(flow).filter { !$0.hasPrefix("[unused-key]") } == [])
    }

    @Test func callWithoutNextIsADeadEnd() {
        let flow = """
            flow: booking
            entry: register
            steps:
              register:
                call: registration
            """
        let registration = """
            flow: registration
            entry: done
            steps:
              done:
                say: booking.bye
                return: true
            """
        #expect(Validation.run(flows: [("flows/booking.yaml", flow), ("flows/registration.yaml", registration)], ru: Self.ru, kk: Self.kk)
            .filter { !$0.hasPrefix("[unused-key]") } == [
            "[dead-end] flows/booking.yaml:4:3: error: step 'register' calls 'registration' but does not say where to go when it returns; add 'next', 'goto', 'end: true' or 'return: true'",
        ])
    }

    @Test func stepsThatLoopWithoutWaitingForAnAnswer() {
        let flow = """
            flow: booking
            entry: remind
            steps:
              remind:
                say: booking.hello
                next: check
              check:
                if: user.username
                then: remind
                else: bye
              bye:
                say: booking.bye
                end: true
            """
        #expect(Self.run(flow).filter { !$0.hasPrefix("[unused-key]") } == [
            "[loop] flows/booking.yaml:4:3: error: steps remind → check → remind loop without ever waiting for an answer",
        ])
    }

    @Test func aLoopThroughAQuestionIsFine() {
        let flow = """
            flow: booking
            entry: remind
            steps:
              remind:
                say: booking.hello
                next: confirm
              confirm:
                ask: booking.confirm
                choices:
                  - { label: booking.yes, value: true, next: bye }
                  - { label: booking.no, value: false, next: remind }
              bye:
                say: booking.bye
                end: true
            """
        #expect(Self.run(flow).filter { !$0.hasPrefix("[unused-key]") } == [])
    }

    static let commitFlow = """
        flow: booking
        entry: name
        steps:
          name:
            ask: booking.name
            input: name
            save: form.name
            next: birth_date
          birth_date:
            ask: booking.birth_date
            input: birth_date
            back: true
            save: form.birth_date
            next: create
          create:
            do: patient.create
            with: { name: form.name, birth_date: form.birth_date }
            commit: true
            on: { ok: phone, duplicate: failed, error: failed }
          phone:
            ask: booking.phone
            input: phone
            back: BACK
            save: form.phone
            end: true
          failed:
            ask: booking.failed
            choices:
              - { label: booking.retry, value: retry }
            back: true
            next: create
        sensitive: [form]
        """
    static let commitTexts = (
        ru: """
            booking:
              name: "Имя?"
              birth_date: "Дата рождения?"
              phone: "Телефон?"
              failed: "Не получилось"
              retry: "Повторить"
            """,
        kk: """
            booking:
              name: "Атыңыз?"
              birth_date: "Туған күніңіз?"
              phone: "Телефоныңыз?"
              failed: "Болмады"
              retry: "Қайталау"
            """
    )

    @Test func backButtonOverACommitPoint() {
        let flow = Self.commitFlow.replacingOccurrences(of: "BACK", with: "true")
        #expect(Validation.run(flow, ru: Self.commitTexts.ru, kk: Self.commitTexts.kk) == [
            "[back-over-commit] flows/booking.yaml:20:3: error: the back button of 'phone' would go back over the commit point 'create' (flows/booking.yaml:15:3); remove 'back: true' or ask something in between",
        ])
    }

    @Test func backButtonAfterAFailedCommitIsFine() {
        // `failed` is reached only when `create` did not commit, so going back from it is fine.
        let flow = Self.commitFlow.replacingOccurrences(of: "BACK", with: "false")
        #expect(Validation.run(flow, ru: Self.commitTexts.ru, kk: Self.commitTexts.kk) == [])
    }

    @Test func backOnAStepThatIsNotAQuestion() {
        let flow = """
            flow: booking
            entry: hello
            steps:
              hello:
                say: booking.hello
                back: true
                end: true
            """
        #expect(Validation.run(flow, ru: "booking:\n  hello: \"Здравствуйте\"", kk: "booking:\n  hello: \"Сәлем\"") == [
            "[back] flows/booking.yaml:4:3: error: 'back: true' belongs on a question ('ask'), not on a 'say' step",
        ])
    }
}
