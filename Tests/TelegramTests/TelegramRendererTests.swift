import FlowEngine
import Foundation
import Telegram
import Testing

@Suite("The renderer from the engine's replies to Bot API calls")
struct TelegramRendererTests {
    let renderer = TelegramRenderer()
    let chat: Int64 = 1001

    @Test("a question with choices is one message whose buttons carry the engine's tokens")
    func inlineButtons() {
        let message = Message(text: "Ваш пол?", buttons: [[Button(text: "Мужской", token: "4.0"), Button(text: "Женский", token: "4.1")]])
        let calls = renderer.calls(for: [.message(message)], chat: chat, buttonMessage: nil)
        #expect(calls == [.sendMessage(SendMessage(chatId: chat, text: "Ваш пол?", replyMarkup: .inline(InlineKeyboardMarkup(inlineKeyboard: [[
            InlineKeyboardButton(text: "Мужской", callbackData: "4.0"), InlineKeyboardButton(text: "Женский", callbackData: "4.1"),
        ]]))))])
    }

    @Test("a reply keyboard with a contact button asks for the person's own number")
    func contactKeyboard() {
        let message = Message(text: "Телефон?", keyboard: .show([[.contact("📱 Отправить номер")], [.text("◀ Назад")]]))
        let calls = renderer.calls(for: [.message(message)], chat: chat, buttonMessage: nil)
        guard case .sendMessage(let sent) = calls.first, case .keyboard(let keyboard)? = sent.replyMarkup else {
            Issue.record("expected a reply keyboard, got \(calls)")
            return
        }
        #expect(keyboard.keyboard == [[KeyboardButton(text: "📱 Отправить номер", requestContact: true)], [KeyboardButton(text: "◀ Назад")]])
    }

    @Test("removing the keyboard without buttons rides on the message itself")
    func removeKeyboard() {
        let calls = renderer.calls(for: [.message(Message(text: "Дата рождения?", keyboard: .remove))], chat: chat, buttonMessage: nil)
        #expect(calls == [.sendMessage(SendMessage(chatId: chat, text: "Дата рождения?", replyMarkup: .remove(ReplyKeyboardRemove())))])
    }

    @Test("removing the keyboard beside inline buttons goes on an earlier message of the turn")
    func removeBesideButtons() {
        let replies: [Reply] = [
            .message(Message(text: "Спасибо!")),
            .message(Message(text: "Отчество?", buttons: [[Button(text: "Нет отчества", token: "2.0")]], keyboard: .remove)),
        ]
        let calls = renderer.calls(for: replies, chat: chat, buttonMessage: nil)
        #expect(calls.count == 2)
        guard case .sendMessage(let first) = calls[0], case .sendMessage(let second) = calls[1] else { return }
        #expect(first.replyMarkup == .remove(ReplyKeyboardRemove()))
        guard case .inline? = second.replyMarkup else {
            Issue.record("the question kept its inline buttons")
            return
        }
    }

    @Test("a reply keyboard beside inline buttons gets a message of its own, before the question")
    func showBesideButtons() {
        let message = Message(text: "Меню", buttons: [[Button(text: "A", token: "1.0")]], keyboard: .show([[.text("Главное меню")]]))
        let calls = renderer.calls(for: [.message(message)], chat: chat, buttonMessage: nil)
        #expect(calls.count == 2)
        guard case .sendMessage(let keyboard) = calls[0], case .sendMessage(let question) = calls[1] else { return }
        guard case .keyboard? = keyboard.replyMarkup, case .inline? = question.replyMarkup else {
            Issue.record("expected the keyboard first, then the inline buttons: \(calls)")
            return
        }
        #expect(question.text == "Меню")
    }

    @Test("a chosen answer edits the message whose button was pressed")
    func editAfterChoice() {
        let calls = renderer.calls(for: [.edit(Message(text: "Ваш пол?\n\n✓ Женский"))], chat: chat, buttonMessage: 77)
        #expect(calls == [.editMessageText(EditMessageText(chatId: chat, messageId: 77, text: "Ваш пол?\n\n✓ Женский"))])
    }

    @Test("an edit without a pressed message: a tidy-up is dropped, new buttons are sent")
    func editWithoutMessage() {
        #expect(renderer.calls(for: [.edit(Message(text: "Вопрос\n\n✓ Да"))], chat: chat, buttonMessage: nil).isEmpty)
        let page = Message(text: "Врачи", buttons: [[Button(text: "▶", token: "3.4")]])
        guard case .sendMessage? = renderer.calls(for: [.edit(page)], chat: chat, buttonMessage: nil).first else {
            Issue.record("a new page must still reach the person")
            return
        }
    }

    @Test("user-supplied text is escaped for HTML parse mode")
    func escaping() {
        let calls = renderer.calls(for: [.message(Message(text: "Имя: <b>Али</b> & Co"))], chat: chat, buttonMessage: nil)
        guard case .sendMessage(let sent) = calls.first else { return }
        #expect(sent.text == "Имя: &lt;b&gt;Али&lt;/b&gt; &amp; Co")
        #expect(sent.parseMode == .html)
    }

    @Test("a text over 4096 characters is split, the buttons go with the last part")
    func longText() {
        let paragraph = String(repeating: "Қазақстан ", count: 60)
        let text = Array(repeating: paragraph, count: 10).joined(separator: "\n\n")
        #expect(text.utf16.count > 4096)
        let calls = renderer.calls(for: [.message(Message(text: text, buttons: [[Button(text: "OK", token: "1.0")]]))], chat: chat, buttonMessage: nil)
        #expect(calls.count == 2)
        for (index, call) in calls.enumerated() {
            guard case .sendMessage(let sent) = call else { continue }
            #expect(sent.text.utf16.count <= 4096)
            #expect((sent.replyMarkup != nil) == (index == calls.count - 1))
        }
    }

    @Test("a file becomes a document upload")
    func file() {
        let calls = renderer.calls(for: [.file(Attachment(name: "талон.ics", mimeType: "text/calendar", bytes: [1, 2, 3]))], chat: chat, buttonMessage: nil)
        #expect(calls == [.sendDocument(SendDocument(chatId: chat, fileName: "талон.ics", mimeType: "text/calendar", bytes: [1, 2, 3]))])
    }

    @Test("a stale button's notice is the callback answer; a plain press gets an empty answer")
    func callbackAnswers() {
        #expect(renderer.callbackAnswer(for: [.notice("Эта кнопка уже неактуальна")], queryID: "q1")
                == AnswerCallbackQuery(callbackQueryId: "q1", text: "Эта кнопка уже неактуальна"))
        #expect(renderer.callbackAnswer(for: [.edit(Message(text: "x"))], queryID: "q2") == AnswerCallbackQuery(callbackQueryId: "q2"))
        // Notices are never chat messages during a button press.
        #expect(renderer.calls(for: [.notice("x")], chat: chat, buttonMessage: 5).isEmpty)
    }

    @Test("calls encode as Telegram expects: snake_case, nils left out")
    func encoding() throws {
        let call = SendMessage(chatId: 5, text: "a", replyMarkup: .inline(InlineKeyboardMarkup(inlineKeyboard: [[InlineKeyboardButton(text: "b", callbackData: "1.0")]])))
        let json = String(decoding: try TelegramJSON.encoder.encode(call), as: UTF8.self)
        #expect(json.contains(#""chat_id":5"#))
        #expect(json.contains(#""inline_keyboard":[[{"#))
        #expect(json.contains(#""callback_data":"1.0""#))
        #expect(json.contains(#""parse_mode":"HTML""#))
        let removal = String(decoding: try TelegramJSON.encoder.encode(SendMessage(chatId: 5, text: "a", parseMode: nil, replyMarkup: .remove(ReplyKeyboardRemove()))), as: UTF8.self)
        #expect(removal.contains(#""remove_keyboard":true"#))
        #expect(!removal.contains("parse_mode"))
    }
}

@Suite("Splitting long texts")
struct TextSplitterTests {
    @Test("a short text stays whole")
    func short() { #expect(TextSplitter.split("Сәлем") == ["Сәлем"]) }

    @Test("cuts at a line break, never inside a character, each part within the limit")
    func cuts() {
        let text = String(repeating: "ә", count: 30) + "\n" + String(repeating: "😀", count: 30)
        let parts = TextSplitter.split(text, limit: 40)
        #expect(parts.allSatisfy { $0.utf16.count <= 40 })
        #expect(parts.joined() == text.replacingOccurrences(of: "\n", with: ""))
        #expect(parts.first == String(repeating: "ә", count: 30))
    }

    @Test("a text with no spaces is cut at the limit")
    func noSpaces() {
        let parts = TextSplitter.split(String(repeating: "x", count: 100), limit: 30)
        #expect(parts.map(\.count) == [30, 30, 30, 10])
    }
}

@Suite("Telegram renderer: invoices")
struct TelegramRendererInvoiceTests {
    let offer = InvoiceOffer(title: "УЗИ", description: "№ 2026-000007", reference: "r-abc", amountTiyn: 1_500_050, currency: "KZT", label: "УЗИ")

    @Test("an invoice becomes sendInvoice after the text, priced in tiyn, with the provider's token")
    func invoice() {
        let calls = TelegramRenderer(paymentProviderToken: "provider-token").calls(
            for: [.message(Message(text: "Счёт")), .invoice(offer)], chat: 42, buttonMessage: nil)
        #expect(calls.map(\.method) == ["sendMessage", "sendInvoice"])
        #expect(calls.last == .sendInvoice(SendInvoice(chatId: 42, title: "УЗИ", description: "№ 2026-000007", payload: "r-abc",
                                                       providerToken: "provider-token", currency: "KZT",
                                                       prices: [LabeledPrice(label: "УЗИ", amount: 1_500_050)])))
    }

    @Test("without a provider token no invoice is sent (the flows offer none)")
    func noToken() {
        #expect(TelegramRenderer().calls(for: [.invoice(offer)], chat: 42, buttonMessage: nil).isEmpty)
    }
}
