import Foundation
import Telegram
import Testing
import TestSupport

@Suite("Outbox: per-chat order, blocked chats, edits that fail")
struct OutboxTests {
    /// A limiter that never makes a test wait.
    static func roomyLimiter() -> OutboundLimiter {
        OutboundLimiter(messagesPerSecond: 100_000, perChatPerSecond: 100_000, perChatBurst: 1000)
    }

    static func message(_ chat: Int64, _ text: String) -> BotCall {
        .sendMessage(SendMessage(chatId: chat, text: text))
    }

    @Test("3 chats × 20 messages, interleaved and with some 500s: each chat gets its own in order")
    func perChatOrder() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("sendMessage", with: .serverError, times: 4)
            let outbox = Outbox(client: .fake(base, retry: RetryPolicy(attempts: 5, baseDelay: .milliseconds(20), maxDelay: .milliseconds(40), maxRetryAfter: .seconds(1))),
                                limiter: Self.roomyLimiter())
            let chats: [Int64] = [11, 22, 33]
            for index in 0..<20 {
                for chat in chats { outbox.enqueue([Self.message(chat, "\(chat)-\(index)")], chat: chat) }
            }
            await outbox.flush()
            #expect(outbox.pending == 0)
            let calls = await fake.calls("sendMessage")
            #expect(calls.count == 60 + 4)
            for chat in chats {
                // A failed attempt is repeated in place, so the distinct texts keep the order.
                var seen: [String] = []
                for text in calls.filter({ $0.chatId == chat }).compactMap(\.text) where seen.last != text { seen.append(text) }
                #expect(seen == (0..<20).map { "\(chat)-\($0)" })
            }
        }
    }

    @Test("a 429 pauses every chat for retry_after, then the refused message goes again at a new turn, once")
    func tooManyPausesEveryone() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("sendMessage", with: .tooManyRequests(retryAfter: 1), times: 1, chat: 1)
            let limiter = Self.roomyLimiter()
            let outbox = Outbox(client: .fake(base), limiter: limiter)
            outbox.enqueue([Self.message(1, "refused first")], chat: 1)
            #expect(await eventually { await limiter.pauseEnds != nil })
            let pauseEnds = try #require(await limiter.pauseEnds)
            // Another chat, during the pause: it waits it out too.
            outbox.enqueue([Self.message(2, "after the pause")], chat: 2)
            await outbox.flush()
            let calls = await fake.calls("sendMessage")
            #expect(calls.compactMap(\.text).sorted() == ["after the pause", "refused first", "refused first"])
            for call in calls.dropFirst() { #expect(call.at >= pauseEnds - .milliseconds(5), "\(call.text ?? "") went out during the pause") }
        }
    }

    @Test("a slow chat does not hold up the others")
    func chatsIndependent() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("sendMessage", with: .delay(.seconds(1)), chat: 1)
            let outbox = Outbox(client: .fake(base), limiter: Self.roomyLimiter())
            outbox.enqueue([Self.message(1, "slow-0"), Self.message(1, "slow-1")], chat: 1)
            try await Task.sleep(for: .milliseconds(100))
            outbox.enqueue([Self.message(2, "quick-0"), Self.message(2, "quick-1"), Self.message(2, "quick-2")], chat: 2)
            await outbox.flush()
            let texts = await fake.calls.compactMap(\.text)
            // Chat 2 went out while chat 1 waited a second for its first answer; each chat kept
            // its own order. (When slow-0 reached the fake relative to quick-0 depends on load.)
            #expect(texts.filter { $0.hasPrefix("slow") } == ["slow-0", "slow-1"])
            #expect(texts.filter { $0.hasPrefix("quick") } == ["quick-0", "quick-1", "quick-2"])
            #expect(texts.firstIndex(of: "quick-2")! < texts.firstIndex(of: "slow-1")!)
        }
    }

    @Test("403: onBlocked once, after exactly one attempt; the chat's other calls dropped, other chats go on")
    func blocked() async throws {
        let blocked = BlockedChats()
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("sendMessage", with: .blocked, chat: 7)
            let outbox = Outbox(client: .fake(base), limiter: Self.roomyLimiter(), onBlocked: { await blocked.add($0) })
            outbox.enqueue((0..<5).map { Self.message(7, "to-7-\($0)") }, chat: 7)
            outbox.enqueue((0..<3).map { Self.message(8, "to-8-\($0)") }, chat: 8)
            await outbox.flush()
            #expect(await fake.calls.filter { $0.chatId == 7 }.count == 1)
            #expect(await fake.calls.filter { $0.chatId == 8 }.count == 3)
            #expect(await blocked.chats == [7])
            #expect(outbox.pending == 0)
        }
    }

    @Test("an edit that cannot be made comes as a new message: same chat, text, parse mode and buttons")
    func cannotEditFallsBack() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("editMessageText", with: .cannotEdit)
            let outbox = Outbox(client: .fake(base), limiter: Self.roomyLimiter())
            let keyboard = InlineKeyboardMarkup(inlineKeyboard: [[InlineKeyboardButton(text: "Иә", callbackData: "yes")]])
            outbox.enqueue([.editMessageText(EditMessageText(chatId: 3, messageId: 40, text: "<i>Растайсыз ба?</i>", replyMarkup: keyboard)),
                            Self.message(3, "кейін")], chat: 3)
            await outbox.flush()
            let calls = await fake.calls
            #expect(calls.map(\.method) == ["editMessageText", "sendMessage", "sendMessage"])
            #expect(calls[1].json as NSDictionary == [
                "chat_id": 3, "text": "<i>Растайсыз ба?</i>", "parse_mode": "HTML",
                "reply_markup": ["inline_keyboard": [[["text": "Иә", "callback_data": "yes"]]]],
            ] as NSDictionary)
            #expect(calls[2].text == "кейін")
        }
    }

    @Test("not modified: no fallback; other failures are logged without texts and the queue goes on")
    func failuresGoOn() async throws {
        let recorder = LogRecorder()
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("editMessageText", with: .notModified)
            await fake.answer("sendMessage", with: .raw(status: 400, body: #"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"}"#))
            let outbox = Outbox(client: .fake(base, logger: recorder.logger), limiter: Self.roomyLimiter(), logger: recorder.logger)
            outbox.enqueue([.editMessageText(EditMessageText(chatId: 4, messageId: 1, text: "бұрынғы")),
                            Self.message(4, "<b>бұзық"), Self.message(4, "келесі")], chat: 4)
            await outbox.flush()
            #expect(await fake.calls.map(\.method) == ["editMessageText", "sendMessage", "sendMessage"])
            #expect(await fake.calls.last?.text == "келесі")
        }
        let text = recorder.text
        #expect(text.contains("method=sendMessage") && text.contains("can't parse entities"), "\(text)")
        #expect(!text.contains("бұзық") && !text.contains("бұрынғы") && !text.contains(FakeBotAPI.token), "\(text)")
    }

    @Test("sendNow passes the queue and the limiter; chat actions in a queue do not wait for the limiter")
    func sendNow() async throws {
        try await FakeBotAPI.serve { fake, base in
            // One message a second in a chat: three messages take two seconds.
            let outbox = Outbox(client: .fake(base), limiter: OutboundLimiter(messagesPerSecond: 30, perChatPerSecond: 1, perChatBurst: 1))
            let start = ContinuousClock.now
            outbox.enqueue([Self.message(9, "1"), .sendChatAction(SendChatAction(chatId: 9)), Self.message(9, "2"), Self.message(9, "3")], chat: 9)
            #expect(outbox.pending > 0)
            await outbox.sendNow(.answerCallbackQuery(AnswerCallbackQuery(callbackQueryId: "cq", text: "Күтіңіз")))
            await outbox.flush()
            #expect(ContinuousClock.now - start >= .seconds(2))
            let methods = await fake.calls.map(\.method)
            #expect(methods.filter { $0 == "sendMessage" }.count == 3 && methods.contains("sendChatAction"))
            let answered = try #require(methods.firstIndex(of: "answerCallbackQuery"))
            #expect(answered < methods.lastIndex(of: "sendMessage")!, "answered before the queue was through")
            // sendNow swallows errors.
            await fake.answer("answerCallbackQuery", with: .raw(status: 400, body: #"{"ok":false,"error_code":400,"description":"Bad Request: query is too old"}"#))
            await outbox.sendNow(.answerCallbackQuery(AnswerCallbackQuery(callbackQueryId: "old")))
        }
    }

    @Test("flush with nothing queued returns at once; the queue of an idle chat is gone")
    func flushIdle() async throws {
        try await FakeBotAPI.serve { _, base in
            let outbox = Outbox(client: .fake(base), limiter: Self.roomyLimiter())
            await outbox.flush()
            outbox.enqueue([], chat: 1)
            await outbox.flush()
            #expect(outbox.pending == 0)
        }
    }
}

actor BlockedChats {
    private(set) var chats: [Int64] = []
    func add(_ chat: Int64) { chats.append(chat) }
}

/// Polls `condition` until it holds or `timeout` passes.
private func eventually(timeout: Duration = .seconds(5), _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}
