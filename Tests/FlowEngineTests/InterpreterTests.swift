import Foundation
import Testing
@testable import FlowEngine

@Suite("Interpreter")
struct InterpreterTests {
    static let twoQuestions = """
        flow: survey
        triggers: { commands: [start] }
        entry: name
        steps:
          name:
            ask: q.name
            input: name
            save: form.name
            next: age
          age:
            ask: q.age
            input: { type: number, min: 1, max: 120 }
            back: true
            save: form.age
            next: done
          done:
            say: q.done
            args: { name: form.name, age: form.age }
            end: true
        sensitive: [form]
        """
    static let texts = """
        q:
          name: Как вас зовут?
          age: Сколько вам лет?
          done: "{name}, {age}"
        errors:
          choice: { use_buttons: Нажмите кнопку }
          name: { empty: Пусто, too_long: { one: "Не длиннее {count} символа", few: "Не длиннее {count} символов", many: "Не длиннее {count} символов", other: "Не длиннее {count} символа" }, characters: Только буквы }
          number: { format: Число, too_small: "Не меньше {count}", too_large: "Не больше {count}" }
        """

    @Test("a typed answer is checked, saved and the next question asked")
    func typedAnswers() throws {
        var chat = try Dialogue(flows: [Self.twoQuestions], texts: Self.texts)
        chat.type("/start")
        #expect(chat.texts == ["Как вас зовут?"])
        chat.type("  Айгерим ")
        #expect(chat.texts == ["Сколько вам лет?"])
        chat.type("34")
        #expect(chat.texts == ["Айгерим, 34"])
        #expect(chat.session.frames.isEmpty)
    }

    @Test("a bad answer gets its specific message and the same question again, in one message")
    func badAnswer() throws {
        var chat = try Dialogue(flows: [Self.twoQuestions], texts: Self.texts)
        chat.type("/start")
        chat.type("R2-D2")
        #expect(chat.texts == ["Только буквы\n\nКак вас зовут?"])
        chat.type(String(repeating: "а", count: 51))
        #expect(chat.texts == ["Не длиннее 50 символов\n\nКак вас зовут?"])
        chat.type("Айгерим")
        chat.type("500")
        #expect(chat.texts == ["Не больше 120\n\nСколько вам лет?"])
    }

    @Test("back returns to the previous question and forgets the answer given to it")
    func back() throws {
        var chat = try Dialogue(flows: [Self.twoQuestions], texts: Self.texts)
        chat.type("/start")
        chat.type("Айгерим")
        #expect(chat.session.variables["form"]?["name"] == "Айгерим")
        chat.press("Назад")
        #expect(chat.texts == ["Как вас зовут?"])
        #expect(chat.session.variables["form"] == nil)
        chat.type("Дана")
        chat.type("30")
        #expect(chat.texts == ["Дана, 30"])
    }

    @Test("a list asked again after its own answer goes back to the question before it, not to itself")
    func backSkipsTheSameQuestion() throws {
        let flow = """
            flow: docs
            triggers: { commands: [start] }
            entry: kind
            steps:
              kind:
                ask: q.kind
                choices: [ { label: q.all, value: all } ]
                save: form.kind
                next: list
              list:
                ask: q.list
                choices: [ { label: q.one, value: 1 } ]
                back: true
                save: form.chosen
                next: sent
              sent:
                say: q.sent
                next: list
            sensitive: [form]
            """
        let texts = """
            q: { kind: Какие?, all: Все, list: Выберите, one: Справка, sent: Отправлено }
            errors: { choice: { use_buttons: Нажмите кнопку } }
            """
        var chat = try Dialogue(flows: [flow], texts: texts)
        chat.type("/start")
        chat.press("Все")
        chat.press("Справка")
        #expect(chat.texts == ["Отправлено", "Выберите"])
        chat.press("Справка")
        #expect(chat.lastButtons.map(\.text) == ["Справка", "Назад"])
        chat.press("Назад")
        #expect(chat.texts == ["Какие?"])
        #expect(chat.session.variables["form"] == nil)
        #expect(chat.lastButtons.map(\.text) == ["Все"])
    }

    @Test("a button from an earlier question is stale: answered politely and never acted on")
    func staleButton() throws {
        var chat = try Dialogue(flows: [Self.twoQuestions], texts: Self.texts)
        chat.type("/start")
        chat.type("Айгерим")
        let backToken = chat.lastButtons[0].token
        chat.send(.button(backToken))
        #expect(chat.texts == ["Как вас зовут?"])
        chat.send(.button(backToken))
        #expect(chat.notices == ["Кнопка устарела"])
        #expect(chat.texts.isEmpty)
        chat.send(.button("garbage"))
        #expect(chat.notices == ["Кнопка устарела"])
        chat.send(.button(String(repeating: "9", count: 500)))
        #expect(chat.notices == ["Кнопка устарела"])
    }

    @Test("every button token fits Telegram's 64-byte callback_data")
    func tokensAreShort() throws {
        var chat = try Dialogue(flows: [Self.twoQuestions], texts: Self.texts)
        chat.session.serial = Int.max - 5
        chat.type("/start")
        chat.type("Айгерим")
        #expect(chat.lastButtons.allSatisfy { $0.token.utf8.count <= 64 })
    }

    static let withAction = """
        flow: start
        triggers: { commands: [start] }
        entry: lookup
        steps:
          lookup:
            do: patient.find
            with: { phone: "'+77011234567'" }
            save: patient
            on: { ok: found, not_found: missing, error: broken }
          found:
            say: t.found
            args: { name: patient.name }
            end: true
          missing: { say: t.missing, end: true }
          broken: { say: t.broken, end: true }
        """
    static let find = ActionSignature(name: "patient.find", summary: "", parameters: [.init("phone", .string)], outcomes: ["ok", "not_found"], resultFields: ["name"])

    @Test("an action's outcome picks the route, and its value is saved on ok", arguments: [
        (ActionResult.ok(["name": "Айгерим"]), "Нашли: Айгерим"),
        (ActionResult(outcome: "not_found"), "Не нашли"),
        (ActionResult.error, "Сбой"),
        (ActionResult(outcome: "surprise"), "Сбой"),
    ])
    func actionRoutes(result: ActionResult, expected: String) throws {
        var chat = try Dialogue(flows: [Self.withAction], texts: "t: { found: \"Нашли: {name}\", missing: Не нашли, broken: Сбой }",
                                signatures: [Self.find], results: ["patient.find": result])
        chat.type("/start")
        #expect(chat.calls.map(\.name) == ["patient.find"])
        #expect(chat.calls.first?.arguments["phone"] == "+77011234567")
        #expect(chat.calls.first?.context.telegramUserID == 42)
        #expect(chat.texts == [expected])
    }

    static let reminder = """
        flow: reminder
        params: [start]
        entry: day_before
        steps:
          day_before:
            wait: { at: params.start - 24h, late: hour_before }
            next: remind_day
          remind_day:
            say: r.day
            next: hour_before
          hour_before:
            wait: { at: params.start - 1h }
            next: remind_hour
          remind_hour:
            say: r.hour
            end: true
        """
    static let start = """
        flow: start
        triggers: { commands: [start] }
        entry: ask
        steps:
          ask:
            ask: r.q
            input: text
            invalid: r.q
            save: form.x
            next: ask
        """

    @Test("a system flow waits until a moment relative to its data, then speaks")
    func waitsUntilAMoment() throws {
        var chat = try Dialogue(flows: [Self.reminder, Self.start], texts: "r: { day: Завтра приём, hour: Через час приём, q: Вопрос }")
        chat.send(.start(flow: "reminder", params: ["start": "2026-11-27T09:00:00Z"]))
        #expect(chat.texts.isEmpty)
        #expect(chat.jobs.map(\.at) == ["2026-11-26T09:00:00Z"])
        let first = chat.jobs.removeFirst()
        chat.now = Moment.parse(first.at)!
        chat.send(.resume(first))
        #expect(chat.texts == ["Завтра приём"])
        #expect(chat.jobs.map(\.at) == ["2026-11-27T08:00:00Z"])
    }

    @Test("a wait whose moment has passed goes to its 'late' step at once")
    func lateWait() throws {
        var chat = try Dialogue(flows: [Self.reminder, Self.start], texts: "r: { day: Завтра приём, hour: Через час приём, q: Вопрос }")
        chat.send(.start(flow: "reminder", params: ["start": "2026-11-25T12:00:00Z"]))
        #expect(chat.texts.isEmpty)
        #expect(chat.jobs.map(\.at) == ["2026-11-25T11:00:00Z"])
    }

    @Test("a system flow that speaks in the middle of a question asks that question again when it ends")
    func interruptionResumesTheQuestion() throws {
        var chat = try Dialogue(flows: [Self.reminder, Self.start], texts: "r: { day: Завтра приём, hour: Через час приём, q: Вопрос }")
        chat.type("/start")
        #expect(chat.texts == ["Вопрос"])
        chat.send(.resume(Job(flow: "reminder", step: "hour_before", params: [:], at: "2026-11-25T09:00:00Z")))
        #expect(chat.texts == ["Через час приём", "Вопрос"])
        chat.type("ответ")
        #expect(chat.session.variables["form"]?["x"] == "ответ")
    }

    static let paged = """
        flow: pick
        triggers: { commands: [start] }
        entry: load
        steps:
          load:
            set: { doctors: "['Аскаров', 'Бекова', 'Валиев', 'Гусева', 'Дәулетов']" }
            next: choose
          choose:
            ask: p.choose
            choices: { from: doctors, label: item, value: item, page_size: 2 }
            save: form.doctor
            next: chosen
          chosen:
            say: p.chosen
            args: { doctor: form.doctor }
            end: true
        """

    @Test("choices built from a list are paginated; pages are edited in place")
    func pagination() throws {
        var chat = try Dialogue(flows: [Self.paged], texts: "p: { choose: Врач?, chosen: \"Выбран {doctor}\" }")
        chat.type("/start")
        #expect(chat.lastButtons.map(\.text) == ["Аскаров", "Бекова", "◀", "1/3", "▶"])
        chat.press("▶")
        #expect(chat.lastButtons.map(\.text) == ["Валиев", "Гусева", "◀", "2/3", "▶"])
        #expect(chat.texts.isEmpty)  // an edit, not a new message
        chat.press("▶")
        chat.press("Дәулетов")
        #expect(chat.texts == ["Выбран Дәулетов"])
    }

    @Test("typing a button's label counts as pressing it")
    func typedLabel() throws {
        var chat = try Dialogue(flows: [Self.paged], texts: "p: { choose: Врач?, chosen: \"Выбран {doctor}\" }")
        chat.type("/start")
        chat.type("бекова")
        #expect(chat.texts == ["Выбран Бекова"])
    }

    @Test("after a reload that removed the current step, the person is moved to /start politely")
    func reloadRemovesStep() throws {
        var chat = try Dialogue(flows: [Self.twoQuestions], texts: Self.texts)
        chat.type("/start")
        chat.type("Айгерим")
        let oldButton = chat.lastButtons[0].token
        let renamed = Self.twoQuestions.replacingOccurrences(of: "  age:", with: "  years:").replacingOccurrences(of: "next: age", with: "next: years")
        var reloaded = try Dialogue(flows: [renamed], texts: Self.texts)
        reloaded.session = chat.session
        reloaded.type("34")
        #expect(reloaded.texts == ["Диалоги обновились", "Как вас зовут?"])
        reloaded.send(.button(oldButton))
        #expect(reloaded.notices == ["Кнопка устарела"])
    }

    @Test("after a reload that kept the current step, the dialogue goes on; old buttons are stale")
    func reloadKeepsStep() throws {
        var chat = try Dialogue(flows: [Self.twoQuestions], texts: Self.texts)
        chat.type("/start")
        chat.type("Айгерим")
        let oldButton = chat.lastButtons[0].token
        var reloaded = try Dialogue(flows: [Self.twoQuestions.replacingOccurrences(of: "end: true", with: "end: true\n  extra: { say: q.done, args: { name: form.name, age: form.age }, end: true }")], texts: Self.texts)
        reloaded.session = chat.session
        reloaded.send(.button(oldButton))
        #expect(reloaded.notices == ["Кнопка устарела"])
        reloaded.type("34")
        #expect(reloaded.texts == ["Айгерим, 34"])
    }

    @Test("a session survives a JSON round trip unchanged")
    func sessionCodable() throws {
        var chat = try Dialogue(flows: [Self.twoQuestions], texts: Self.texts)
        chat.type("/start")
        chat.type("Айгерим")
        let data = try JSONEncoder().encode(chat.session)
        #expect(try JSONDecoder().decode(Session.self, from: data) == chat.session)
    }
}

@Suite("Interpreter: calendar and sub-flows")
struct CalendarAndCallTests {
    static let calendar = """
        flow: book
        triggers: { commands: [start] }
        entry: day
        steps:
          day:
            ask: c.day
            input: { type: date, calendar: true, days: "['2026-11-27', '2026-12-03']", max: "'2026-12-31'" }
            save: form.day
            next: done
          done:
            say: c.done
            args: { day: form.day }
            end: true
        """
    static let texts = """
        c:
          day: Выберите день
          done: "Вы выбрали {day:date}"
        errors:
          choice: { use_buttons: Нажмите кнопку }
          date: { format: Формат, no_such_day: Нет дня, too_early: Рано, too_late: Поздно, unavailable: Нет времени }
        """

    @Test("a month grid in the person's language: title, weekdays, only bookable days pressable")
    func monthGrid() throws {
        var chat = try Dialogue(flows: [Self.calendar], texts: Self.texts)
        chat.type("/start")
        let rows = try #require(chat.replies.first.flatMap { reply -> [[Button]]? in
            if case .message(let m) = reply { return m.buttons }
            return nil
        })
        #expect(rows[0].map(\.text) == ["Ноябрь 2026"])
        #expect(rows[1].map(\.text) == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"])
        // November 2026 starts on a Sunday: six blanks, then the 1st. A blank is U+2800, not a
        // space: Telegram refuses buttons whose text is only whitespace.
        let blank = "\u{2800}"
        #expect(rows[2].map(\.text) == [blank, blank, blank, blank, blank, blank, "·"])
        #expect(rows.joined().allSatisfy { !$0.text.allSatisfy(\.isWhitespace) })
        #expect(rows.flatMap { $0 }.map(\.text).filter { Int($0) != nil } == ["27"])
        #expect(rows.last?.map(\.text) == [blank, "▶"])
        #expect(rows.allSatisfy { $0.count <= 7 })
    }

    @Test("month navigation, then a day pressed is saved as an ISO date and written in full")
    func navigateAndPick() throws {
        var chat = try Dialogue(flows: [Self.calendar], texts: Self.texts)
        chat.type("/start")
        chat.press("▶")
        #expect(chat.lastButtons.first?.text == "Декабрь 2026")
        #expect(chat.lastButtons.map(\.text).filter { Int($0) != nil } == ["3"])
        chat.press("3")
        #expect(chat.texts == ["Вы выбрали 3 декабря 2026 г."])
    }

    @Test("a typed day without free time is refused with its own message")
    func typedUnavailableDay() throws {
        var chat = try Dialogue(flows: [Self.calendar], texts: Self.texts)
        chat.type("/start")
        chat.type("28.11.2026")
        #expect(chat.texts.first?.hasPrefix("Нет времени\n\n") == true)
        chat.type("27.11.2026")
        #expect(chat.texts == ["Вы выбрали 27 ноября 2026 г."])
    }

    @Test("the calendar speaks Kazakh: month and weekday names")
    func kazakhCalendar() throws {
        var chat = try Dialogue(flows: [Self.calendar], texts: Self.texts)
        chat.session.locale = .kk
        chat.type("/start")
        #expect(chat.lastButtons.prefix(8).map(\.text) == ["Қараша 2026", "Дс", "Сс", "Ср", "Бс", "Жм", "Сб", "Жс"])
    }

    static let caller = """
        flow: main
        triggers: { commands: [start] }
        entry: pick
        steps:
          pick:
            call: pick_number
            with: { limit: 5 }
            next: show
          show:
            say: n.show
            args: { n: form.n }
            end: true
        """
    static let callee = """
        flow: pick_number
        params: [limit]
        entry: ask
        steps:
          ask:
            ask: n.ask
            args: { limit: params.limit }
            input: { type: number, min: 1, max: params.limit }
            invalid: n.bad
            save: form.n
            return: true
        """

    @Test("a called flow gets its params and returns to the caller's next step")
    func callAndReturn() throws {
        var chat = try Dialogue(flows: [Self.caller, Self.callee], texts: "n: { ask: \"Число до {limit}\", bad: Не то число, show: \"Вы выбрали {n}\" }")
        chat.type("/start")
        #expect(chat.texts == ["Число до 5"])
        chat.type("9")
        #expect(chat.texts == ["Не то число\n\nЧисло до 5"])
        chat.type("3")
        #expect(chat.texts == ["Вы выбрали 3"])
        #expect(chat.session.frames.isEmpty)
    }
}

@Suite("Interpreter: details editors rely on")
struct InterpreterDetailTests {
    @Test("an optional question takes '-' as no answer")
    func optionalDash() throws {
        let flow = """
            flow: f
            triggers: { commands: [start] }
            entry: middle
            steps:
              middle:
                ask: t.q
                input: { type: name, optional: true }
                invalid: t.bad
                save: form.middle
                next: done
              done: { say: t.done, args: { m: form.middle }, end: true }
            sensitive: [form]
            """
        var chat = try Dialogue(flows: [flow], texts: "t: { q: Отчество?, bad: Только буквы, done: \"[{m}]\" }")
        chat.type("/start")
        chat.type("-")
        #expect(chat.texts == ["[]"])
        // The flow ended: its sensitive answers went with it.
        #expect(chat.session.variables["form"] == nil)
    }

    @Test("a reply-keyboard button with only 'next' goes there when its text is sent")
    func keyboardNext() throws {
        let flow = """
            flow: f
            triggers: { commands: [start] }
            entry: q
            steps:
              q:
                ask: t.q
                keyboard: [ [ { label: t.yes, next: yes }, { label: t.no, next: no } ] ]
              yes: { say: t.yes, end: true }
              no: { say: t.no, end: true }
            """
        var chat = try Dialogue(flows: [flow], texts: "t: { q: Продолжить?, \"yes\": Да, \"no\": Нет }")
        chat.type("/start")
        chat.type("Нет")
        #expect(chat.texts == ["Нет"])
    }

    @Test("a commit point on a say step also ends the way back")
    func commitOnSay() throws {
        let flow = """
            flow: f
            triggers: { commands: [start] }
            entry: a
            steps:
              a: { ask: t.a, input: text, invalid: t.a, save: form.a, next: sent }
              sent: { say: t.sent, commit: true, next: b }
              b: { ask: t.b, input: text, invalid: t.b, save: form.b, next: a }
            """
        var chat = try Dialogue(flows: [flow], texts: "t: { a: А?, b: Б?, sent: Отправлено }")
        chat.type("/start")
        chat.type("x")
        #expect(chat.texts == ["Отправлено", "Б?"])
        #expect(chat.session.history.isEmpty)
    }
}

@Suite("Conversation scripts")
struct ScriptRunnerTests {
    @Test("a text is matched against its template even when a value contains the literal after it")
    func templateSuffix() throws {
        let template = try Template.parse("Приём {d}.")
        #expect(template.matches("Приём 5 марта 2026 г.."))
        #expect(template.matches("Приём 5."))
        #expect(!template.matches("Приём 5"))
        #expect(!template.matches("Запись 5."))
    }

    @Test("an action call the script does not list fails the step")
    func unexpectedCalls() async throws {
        let flow = """
            flow: f
            triggers: { commands: [start] }
            entry: a
            steps:
              a:
                do: x.run
                on: { ok: b, error: b }
              b: { say: t.b, end: true }
            """
        let chat = try Dialogue(flows: [flow], texts: "t: { b: Готово }",
                                signatures: [ActionSignature(name: "x.run", summary: "", parameters: [], outcomes: ["ok"], resultFields: [])])
        let script = """
            script: no calls expected
            steps:
              - send: /start
                calls: []
                expect: [ t.b ]
            """
        let (loaded, problems) = ConversationScriptLoader.load(script, path: "tests/x.yaml")
        #expect(problems.isEmpty)
        let runner = ScriptRunner(set: chat.set, signatures: [ActionSignature(name: "x.run", summary: "", parameters: [], outcomes: ["ok"], resultFields: [])])
        let result = await runner.run(try #require(loaded))
        #expect(result.failures.first?.contains("unexpected action call(s): x.run") == true)
    }
}
