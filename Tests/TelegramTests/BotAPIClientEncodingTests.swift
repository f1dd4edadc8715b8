import Foundation
import Telegram
import Testing
import TestSupport

@Suite("Bot API client: what goes on the wire and what comes back")
struct BotAPIClientEncodingTests {
    @Test("sendMessage: snake_case keys, HTML parse mode, inline keyboard, nils left out")
    func inlineKeyboard() async throws {
        try await FakeBotAPI.serve { fake, base in
            let keyboard = InlineKeyboardMarkup(inlineKeyboard: [[InlineKeyboardButton(text: "Алматы", callbackData: "branch:1")]])
            let sent = try await BotAPIClient.fake(base).perform(.sendMessage(SendMessage(chatId: 111, text: "<b>Филиал</b>", replyMarkup: .inline(keyboard))))
            #expect(sent == SentMessage(messageId: 101))
            let call = try #require(await fake.calls.first)
            #expect(call.method == "sendMessage" && call.token == FakeBotAPI.token && call.contentType == "application/json")
            let json = call.json
            #expect(Set(json.keys) == ["chat_id", "text", "parse_mode", "reply_markup"])
            #expect(json["chat_id"] as? Int == 111 && json["text"] as? String == "<b>Филиал</b>" && json["parse_mode"] as? String == "HTML")
            let markup = try #require(json["reply_markup"] as? [String: Any])
            let button = try #require((markup["inline_keyboard"] as? [[[String: Any]]])?.first?.first)
            #expect(button as NSDictionary == ["text": "Алматы", "callback_data": "branch:1"] as NSDictionary)
        }
    }

    @Test("reply keyboards: request_contact and resize_keyboard set, unset options absent; remove_keyboard")
    func replyKeyboards() async throws {
        try await FakeBotAPI.serve { fake, base in
            let client = BotAPIClient.fake(base)
            let share = ReplyKeyboardMarkup(keyboard: [[KeyboardButton(text: "Нөмірді жіберу", requestContact: true)], [KeyboardButton(text: "Артқа")]])
            _ = try await client.perform(.sendMessage(SendMessage(chatId: 1, text: "Телефон?", parseMode: nil, replyMarkup: .keyboard(share))))
            _ = try await client.perform(.sendMessage(SendMessage(chatId: 1, text: "Рақмет", replyMarkup: .remove(ReplyKeyboardRemove()))))
            let calls = await fake.calls
            #expect(calls.count == 2)
            let first = calls[0].json
            #expect(first["parse_mode"] == nil, "a nil parse mode is left out, not null")
            let markup = try #require(first["reply_markup"] as? [String: Any])
            #expect(Set(markup.keys) == ["keyboard", "resize_keyboard"])
            let rows = try #require(markup["keyboard"] as? [[[String: Any]]])
            #expect(rows[0][0] as NSDictionary == ["text": "Нөмірді жіберу", "request_contact": true] as NSDictionary)
            #expect(rows[1][0] as NSDictionary == ["text": "Артқа"] as NSDictionary)
            #expect(calls[1].json["reply_markup"] as? NSDictionary == ["remove_keyboard": true] as NSDictionary)
        }
    }

    @Test("edits, callback answers and chat actions: their keys, and what perform returns")
    func otherCalls() async throws {
        try await FakeBotAPI.serve { fake, base in
            let client = BotAPIClient.fake(base)
            let edited = try await client.perform(.editMessageText(EditMessageText(chatId: 5, messageId: 77, text: "Таңдалды")))
            #expect(edited == SentMessage(messageId: 77))
            #expect(try await client.perform(.editMessageReplyMarkup(EditMessageReplyMarkup(chatId: 5, messageId: 77))) == SentMessage(messageId: 77))
            #expect(try await client.perform(.answerCallbackQuery(AnswerCallbackQuery(callbackQueryId: "cq-1"))) == nil)
            #expect(try await client.perform(.sendChatAction(SendChatAction(chatId: 5))) == nil)
            let calls = await fake.calls
            #expect(calls.map(\.method) == ["editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "sendChatAction"])
            #expect(Set(calls[0].json.keys) == ["chat_id", "message_id", "text", "parse_mode"], "no reply_markup: the edit removes the buttons")
            #expect(Set(calls[1].json.keys) == ["chat_id", "message_id"])
            #expect(calls[2].json as NSDictionary == ["callback_query_id": "cq-1"] as NSDictionary)
            #expect(calls[3].json as NSDictionary == ["chat_id": 5, "action": "typing"] as NSDictionary)
        }
    }

    @Test("set-up calls: getMe, setWebhook, deleteWebhook, setMyCommands")
    func setUp() async throws {
        try await FakeBotAPI.serve { fake, base in
            let client = BotAPIClient.fake(base)
            let me = try await client.getMe()
            #expect(me.id == 42 && me.isBot && me.username == "clinic_test_bot")
            try await client.setWebhook(SetWebhook(url: "https://bot.example/api/bot/webhook", secretToken: "s3cret", allowedUpdates: handledUpdateTypes))
            try await client.deleteWebhook(DeleteWebhook(dropPendingUpdates: true))
            try await client.setMyCommands(SetMyCommands(commands: [BotCommand(command: "start", description: "Бастау")], languageCode: "kk"))
            let calls = await fake.calls
            #expect(calls.map(\.method) == ["getMe", "setWebhook", "deleteWebhook", "setMyCommands"])
            #expect(calls[0].json.isEmpty)
            #expect(calls[1].json as NSDictionary == ["url": "https://bot.example/api/bot/webhook", "secret_token": "s3cret",
                                                      "allowed_updates": ["message", "callback_query", "pre_checkout_query"]] as NSDictionary)
            #expect(calls[2].json as NSDictionary == ["drop_pending_updates": true] as NSDictionary)
            #expect(calls[3].json as NSDictionary == ["commands": [["command": "start", "description": "Бастау"]], "language_code": "kk"] as NSDictionary)
        }
    }

    @Test("getUpdates: the request's keys, and real-looking updates decoded (text, contact, callback query)")
    func getUpdates() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.setUpdates(Self.updates)
            let updates = try await BotAPIClient.fake(base).getUpdates(GetUpdates(offset: 1001, timeout: 0, allowedUpdates: handledUpdateTypes))
            let request = try #require(await fake.calls.first).json
            #expect(request as NSDictionary == ["offset": 1001, "limit": 100, "timeout": 0, "allowed_updates": ["message", "callback_query", "pre_checkout_query"]] as NSDictionary)

            #expect(updates.map(\.updateId) == [1001, 1002, 1003, 1004])
            let start = try #require(updates[0].message)
            #expect(start.messageId == 5 && start.text == "/start" && start.chat == Chat(id: 111) && start.date == 1732500000)
            #expect(start.from == User(id: 111, isBot: false, firstName: "Айгүл", lastName: "Серікбаева", username: "aigul", languageCode: "kk"))
            let contact = try #require(updates[1].message?.contact)
            #expect(contact == Contact(phoneNumber: "+77011234567", firstName: "Айгүл", userId: 111))
            let query = try #require(updates[2].callbackQuery)
            #expect(query.id == "4382bfdwdsb323b2d9" && query.from.id == 111 && query.data == "branch:1")
            #expect(query.message?.messageId == 7 && query.message?.chat.id == 111 && query.message?.text == "Филиалды таңдаңыз")
            #expect(updates[3].message == nil && updates[3].callbackQuery == nil, "an update type the bot does not read still decodes")
        }
    }

    static let updates = #"""
    [
      {"update_id": 1001, "message": {"message_id": 5,
        "from": {"id": 111, "is_bot": false, "first_name": "Айгүл", "last_name": "Серікбаева", "username": "aigul", "language_code": "kk"},
        "chat": {"id": 111, "first_name": "Айгүл", "last_name": "Серікбаева", "username": "aigul", "type": "private"},
        "date": 1732500000, "text": "/start", "entities": [{"offset": 0, "length": 6, "type": "bot_command"}]}},
      {"update_id": 1002, "message": {"message_id": 6,
        "from": {"id": 111, "is_bot": false, "first_name": "Айгүл"},
        "chat": {"id": 111, "first_name": "Айгүл", "type": "private"}, "date": 1732500010,
        "reply_to_message": {"message_id": 4, "chat": {"id": 111, "type": "private"}, "date": 1732499990, "text": "Телефон?"},
        "contact": {"phone_number": "+77011234567", "first_name": "Айгүл", "user_id": 111}}},
      {"update_id": 1003, "callback_query": {"id": "4382bfdwdsb323b2d9",
        "from": {"id": 111, "is_bot": false, "first_name": "Айгүл", "language_code": "kk"},
        "message": {"message_id": 7, "from": {"id": 42, "is_bot": true, "first_name": "Clinic", "username": "clinic_test_bot"},
          "chat": {"id": 111, "first_name": "Айгүл", "type": "private"}, "date": 1732500020, "text": "Филиалды таңдаңыз",
          "reply_markup": {"inline_keyboard": [[{"text": "Алматы", "callback_data": "branch:1"}]]}},
        "chat_instance": "-7890123456789", "data": "branch:1"}},
      {"update_id": 1004, "my_chat_member": {"chat": {"id": 111, "type": "private"}, "date": 1732500030,
        "from": {"id": 111, "is_bot": false, "first_name": "Айгүл"},
        "old_chat_member": {"status": "member"}, "new_chat_member": {"status": "kicked"}}}
    ]
    """#
}

@Suite("Telegram Payments on the wire")
struct PaymentWireTests {
    @Test("a pre-checkout query and a successful payment decode from Telegram's JSON")
    func decode() throws {
        let json = """
            [{"update_id": 7, "pre_checkout_query": {"id": "pcq-1", "from": {"id": 42, "is_bot": false, "first_name": "Дана", "language_code": "kk"},
              "currency": "KZT", "total_amount": 1500050, "invoice_payload": "r-abc"}},
             {"update_id": 8, "message": {"message_id": 9, "date": 1796000000, "from": {"id": 42, "is_bot": false, "first_name": "Дана"},
              "chat": {"id": 42, "type": "private"}, "successful_payment": {"currency": "KZT", "total_amount": 1500050,
              "invoice_payload": "r-abc", "telegram_payment_charge_id": "tg-1", "provider_payment_charge_id": "prov-1"}}}]
            """
        let updates = try TelegramJSON.decoder.decode([Update].self, from: Data(json.utf8))
        #expect(updates[0].preCheckoutQuery == PreCheckoutQuery(id: "pcq-1", from: User(id: 42, firstName: "Дана", languageCode: "kk"),
                                                                currency: "KZT", totalAmount: 1_500_050, invoicePayload: "r-abc"))
        #expect(updates[1].message?.successfulPayment == SuccessfulPayment(currency: "KZT", totalAmount: 1_500_050, invoicePayload: "r-abc",
                                                                            telegramPaymentChargeId: "tg-1", providerPaymentChargeId: "prov-1"))
    }

    @Test("sendInvoice and answerPreCheckoutQuery carry Telegram's keys; a title is cut to 32 characters")
    func encode() throws {
        let invoice = BotCall.sendInvoice(SendInvoice(chatId: 42, title: String(repeating: "Ә", count: 40), description: "№ 2026-000007",
                                                      payload: "r-abc", providerToken: "t", currency: "KZT",
                                                      prices: [LabeledPrice(label: "УЗИ", amount: 1_500_050)]))
        guard case .sendInvoice(let body) = invoice else { return }
        let json = try JSONSerialization.jsonObject(with: TelegramJSON.encoder.encode(body)) as? NSDictionary
        #expect(json == ["chat_id": 42, "title": String(repeating: "Ә", count: 32), "description": "№ 2026-000007", "payload": "r-abc",
                         "provider_token": "t", "currency": "KZT", "prices": [["label": "УЗИ", "amount": 1_500_050]]] as NSDictionary)
        #expect(invoice.postsMessage && invoice.chatId == 42 && invoice.method == "sendInvoice")
        let stored = try JSONDecoder().decode(BotCall.self, from: JSONEncoder().encode(invoice))
        #expect(stored == invoice)
        let answer = try JSONSerialization.jsonObject(with: TelegramJSON.encoder.encode(
            AnswerPreCheckoutQuery(preCheckoutQueryId: "pcq-1", ok: false, errorMessage: "Счёт изменился."))) as? NSDictionary
        #expect(answer == ["pre_checkout_query_id": "pcq-1", "ok": false, "error_message": "Счёт изменился."] as NSDictionary)
    }
}
