import ClinicPostgres
import BotRuntime
import FlowEngine
import Telegram
import Testing

@Suite("An update through the shipped flows")
struct UpdateHandlerTests {
    @Test("/start from a new person asks for the language with inline buttons carrying the engine's tokens")
    func startAsksForLanguage() async throws {
        let harness = try HandlerHarness()
        var chat = ChatDriver(harness)
        let calls = try await chat.send("/start")

        let session = try #require(chat.session)
        #expect(session.position?.flow == "registration")
        #expect(harness.log.all == ["action patient.by_telegram"])
        let set = harness.set
        #expect(calls == [.sendMessage(SendMessage(
            chatId: 1001, text: HTML.escape(set.text("registration.choose_language")),
            replyMarkup: .inline(InlineKeyboardMarkup(inlineKeyboard: [[
                InlineKeyboardButton(text: set.text("language.ru"), callbackData: "\(session.serial).0"),
                InlineKeyboardButton(text: set.text("language.kk"), callbackData: "\(session.serial).1"),
            ]]))))])
        #expect(session.buttons.count == 2)
        // Nothing was pressed: nobody was answered.
        #expect(harness.answers.count == 0)
    }

    @Test("a language button is answered at once, without a notice, and its message is edited")
    func languageButton() async throws {
        let harness = try HandlerHarness()
        var chat = ChatDriver(harness)
        try await chat.send("/start")
        let question = try #require(chat.keyboard)
        let logged = harness.log.count

        let calls = try await chat.press(harness.set.text("language.ru"))

        #expect(harness.answers.all == [AnswerCallbackQuery(callbackQueryId: "query-101", text: nil)])
        #expect(Array(harness.log.all.dropFirst(logged)) == ["answer"])
        let edit = try #require(calls.first?.editedText)
        #expect(edit.chatId == 1001)
        #expect(edit.messageId == question.message)
        #expect(edit.text.hasSuffix("✓ " + HTML.escape(harness.set.text("language.ru"))))
        #expect(edit.replyMarkup == nil, "the chosen answer replaces the buttons")
        #expect(calls.dropFirst().contains { $0.sentMessage?.text == HTML.escape(harness.set.text("registration.first_name")) })
        #expect(chat.session?.locale == .ru)
    }

    @Test("a button press is answered before the actions it leads to run")
    func answerBeforeActions() async throws {
        // A registered patient changing the language: the press saves the choice (an action).
        let harness = try HandlerHarness(results: [
            "patient.by_telegram": [.ok(["patient_id": 7, "language": "ru", "full_name": "Сапарова Айгерим"])],
            "patient.set_language": [.ok()],
        ])
        var chat = ChatDriver(harness)
        try await chat.send("/start")
        #expect(chat.session?.position?.flow == "main_menu")
        try await chat.send("/language")
        let logged = harness.log.count

        let calls = try await chat.press(harness.set.text("language.kk"))

        #expect(Array(harness.log.all.dropFirst(logged)) == ["answer", "action patient.set_language"])
        #expect(harness.answers.all.last?.text == nil)
        #expect(calls.contains { $0.sentMessage?.text == HTML.escape(harness.set.text("language.changed", .kk)) })
        #expect(chat.session?.locale == .kk)
    }

    @Test("a stale button is answered with the stale notice and sends no message")
    func staleButton() async throws {
        let harness = try HandlerHarness()
        var chat = ChatDriver(harness)
        try await chat.send("/start")
        let question = try #require(chat.keyboard)
        let russian = try #require(question.buttons.first)
        try await chat.press(russian.text)
        let before = try #require(chat.session)
        let logged = harness.log.count

        let calls = try await chat.press(token: russian.callbackData, onMessage: question.message)

        #expect(calls.isEmpty)
        #expect(harness.answers.all.last == AnswerCallbackQuery(callbackQueryId: "query-102", text: harness.set.text("common.stale_button")))
        #expect(Array(harness.log.all.dropFirst(logged)) == ["answer"], "no action ran")
        #expect(chat.session?.position?.flow == before.position?.flow)
        #expect(chat.session?.position?.step == before.position?.step)
    }

    @Test("a new person's first question is in their Telegram language when the clinic speaks it",
          arguments: [("kk", Language.kk), ("kk-KZ", .kk), ("ru", .ru), ("en", nil), (nil, nil)] as [(String?, Language?)])
    func newPersonLanguage(code: String?, expected: Language?) async throws {
        let harness = try HandlerHarness()
        var chat = ChatDriver(harness, person: Person(id: 2002, firstName: "Ерболат", languageCode: code))
        let calls = try await chat.send("/start")
        #expect(chat.session?.locale == expected)
        #expect(chat.session?.displayName == "Ерболат")
        #expect(calls.first?.sentMessage?.text == HTML.escape(harness.set.text("registration.choose_language", expected ?? .ru)))
    }

    @Test("the too-fast answer is in the person's language and stores nothing")
    func tooFast() throws {
        let harness = try HandlerHarness()
        var session = Session(userID: 3003)
        session.locale = .kk
        let processed = harness.handler.tooFast(chat: 3003, session: session)
        #expect(processed.session == nil)
        #expect(processed.calls == [.sendMessage(SendMessage(chatId: 3003, text: HTML.escape(harness.set.text("common.too_fast", .kk))))])
    }
}
