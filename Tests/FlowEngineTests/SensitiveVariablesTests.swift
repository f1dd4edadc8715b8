import Foundation
import Testing
@testable import FlowEngine

/// What a person types as their name, phone or IIN lives in the session only while the flow
/// that asked for it runs: however that flow ends, its `sensitive` variables go with it.
@Suite("Sensitive variables")
struct SensitiveVariablesTests {
    static let signup = """
        flow: signup
        triggers: { commands: [signup] }
        sensitive: [answers]
        entry: name
        steps:
          name:
            ask: q.name
            input: name
            save: answers.name
            next: phone
          phone:
            ask: q.phone
            input: phone
            keyboard:
              - [ { contact: q.share } ]
            back: true
            save: answers.phone
            next: confirm
          confirm:
            ask: q.confirm
            choices:
              - { label: q.yes, value: true }
            back: true
            save: answers.sure
            next: save
          save:
            do: patient.save
            with: { name: answers.name, phone: answers.phone, consent: wording('q.consent') }
            on: { ok: done, error: done }
          done:
            say: q.done
            args: { name: answers.name }
            goto: menu
        """
    static let menu = """
        flow: menu
        triggers: { commands: [start, cancel, menu] }
        entry: show
        steps:
          show:
            ask: q.menu
            choices:
              - { label: q.again, value: again }
            save: choice
            end: true
        """
    static let language = """
        flow: language
        triggers: { commands: [language], resume: true }
        entry: pick
        steps:
          pick:
            say: q.language
            return: true
        """
    static let texts = """
        q:
          name: Как вас зовут?
          phone: Ваш телефон?
          share: Отправить номер
          consent: Я согласен на обработку данных
          confirm: Всё верно?
          yes: Да
          done: "Спасибо, {name}"
          menu: Меню
          again: Ещё раз
          language: Язык
        errors:
          choice: { use_buttons: Нажмите кнопку }
          name: { empty: Пусто, too_long: Длинно, characters: Только буквы }
          phone: { format: Номер, not_kazakhstan: Не Казахстан, not_own: Не ваш }
        """
    static let save = ActionSignature(
        name: "patient.save", summary: "Saves", parameters: [.init("name", .string), .init("phone", .string), .init("consent", .map)],
        outcomes: ["ok"], resultFields: [])

    func dialogue() throws -> Dialogue {
        try Dialogue(flows: [Self.signup, Self.menu, Self.language], texts: Self.texts, signatures: [Self.save],
                     results: ["patient.save": .ok()])
    }

    @Test("/cancel mid-way: the answers leave the session, the back history's copies too")
    func cancelled() throws {
        var chat = try dialogue()
        chat.type("/signup")
        chat.type("Айгерим")
        #expect(chat.session.variables["answers"]?["name"] == "Айгерим")
        chat.type("/cancel")
        #expect(chat.texts == ["Меню"])
        #expect(chat.session.variables["answers"] == nil)
        let stored = String(decoding: try JSONEncoder().encode(chat.session), as: UTF8.self)
        #expect(!stored.contains("Айгерим"))
    }

    @Test("finished with goto to another flow: the answers were used, then dropped")
    func finished() throws {
        var chat = try dialogue()
        chat.type("/signup")
        chat.type("Айгерим")
        chat.type("87011234567")
        chat.press("Да")
        #expect(chat.calls.map(\.name) == ["patient.save"])
        #expect(chat.texts == ["Спасибо, Айгерим", "Меню"])
        let stored = String(decoding: try JSONEncoder().encode(chat.session), as: UTF8.self)
        #expect(!stored.contains("Айгерим") && !stored.contains("7011234567"))
    }

    @Test("a flow run on top (a language switch) keeps them: the flow that owns them still runs")
    func interrupted() throws {
        var chat = try dialogue()
        chat.type("/signup")
        chat.type("Айгерим")
        chat.type("/language")
        #expect(chat.texts == ["Язык", "Ваш телефон?"])
        #expect(chat.session.variables["answers"]?["name"] == "Айгерим")
    }

    @Test("the person's own contact is proof the action sees; a typed number is not")
    func sharedPhone() throws {
        var chat = try dialogue()
        chat.type("/signup")
        chat.type("Айгерим")
        chat.send(.contact(phone: "77011234567", userID: 42))
        chat.press("Да")
        #expect(chat.calls.first?.context.sharedPhone == "+77011234567")

        chat = try dialogue()
        chat.type("/signup")
        chat.type("Айгерим")
        chat.send(.contact(phone: "77011234567", userID: 43))
        #expect(chat.texts.first?.hasPrefix("Не ваш") == true)
        chat.type("+7 701 123 45 67")
        chat.press("Да")
        #expect(chat.calls.map(\.name) == ["patient.save"])
        #expect(chat.calls.first?.context.sharedPhone == nil)
    }

    @Test("going back over a shared contact and typing the number instead leaves no proof")
    func backOverProof() throws {
        var chat = try dialogue()
        chat.type("/signup")
        chat.type("Айгерим")
        chat.send(.contact(phone: "+77011234567", userID: 42))
        #expect(chat.session.frames.last?.sharedPhone == "+77011234567")
        chat.press("Назад")
        #expect(chat.texts == ["Ваш телефон?"])
        chat.type("+77011234567")
        chat.press("Да")
        #expect(chat.calls.map(\.name) == ["patient.save"])
        #expect(chat.calls.first?.context.sharedPhone == nil)
    }

    @Test("wording() gives the text's key and the text in the person's language")
    func wording() throws {
        var chat = try dialogue()
        chat.type("/signup")
        chat.type("Айгерим")
        chat.type("+77011234567")
        chat.press("Да")
        #expect(chat.calls.first?.arguments["consent"] == .map(["key": "q.consent", "text": "Я согласен на обработку данных"]))
    }

    @Test("the validator: personal answers must go into a sensitive variable, and another flow cannot share it undeclared")
    func validator() {
        let leaky = """
            flow: booking
            entry: phone
            steps:
              phone:
                ask: booking.phone
                input: phone
                save: contact.phone
                end: true
            """
        #expect(Validation.run(leaky, ru: "booking:\n  phone: Телефон?", kk: "booking:\n  phone: Телефон?") == [
            "[sensitive] flows/booking.yaml:7:11: error: an answer of type 'phone' is a person's data: save it into a variable listed under 'sensitive' in this flow (add 'sensitive: [contact]'), so it leaves the session when the flow ends",
        ])
        let owner = """
            flow: signup
            sensitive: [form]
            entry: phone
            steps:
              phone:
                ask: booking.phone
                input: phone
                save: form.phone
                end: true
            """
        let borrower = """
            flow: booking
            entry: keep
            steps:
              keep:
                set: { form: 1 }
                end: true
            """
        let copier = """
            flow: booking
            sensitive: [form]
            entry: phone
            steps:
              phone:
                ask: booking.phone
                input: phone
                save: form.phone
                next: keep
              keep:
                set: { kept: form.phone }
                end: true
            """
        #expect(Validation.run(copier, ru: "booking:\n  phone: Телефон?", kk: "booking:\n  phone: Телефон?") == [
            "[sensitive] flows/booking.yaml:11:12: error: 'kept' would keep a copy of the sensitive 'form' after the flow ends; list 'kept' under 'sensitive' too, or keep only an id",
        ])
        #expect(Validation.run(flows: [("flows/booking.yaml", borrower), ("flows/signup.yaml", owner)],
                               ru: "booking:\n  phone: Телефон?", kk: "booking:\n  phone: Телефон?") == [
            "[sensitive] flows/booking.yaml:5:12: error: 'form' is sensitive in flow 'signup': list it under 'sensitive' here too, or use another name",
        ])
    }
}
