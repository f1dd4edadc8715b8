@testable import BotRuntime
import FlowEngine
import Foundation
import Logging
import RedisStore
import Telegram
import Testing
import TestSupport

/// Replies recorded in Redis with the session, sent through the fake Bot API, marked when it
/// accepts them; an instance that stops leaves its replies to another.
@Suite("The durable outbox: replies survive the instance that wrote them")
struct DurableOutboxTests {
    @Test("each reply is recorded with its session, sent once in the order written, and nothing is left waiting")
    func sentOnceInOrder() async throws {
        try await FakeBotAPI.serve { fake, url in
            try await SharedRedis.with { redis throws in
                let outbox = redis.outbox(url)
                let sequencer = redis.sequencer(Self.replying(2), outbox: outbox)
                for chat in Int64(1)...5 {
                    for update in Int64(1)...3 {
                        let person = Person(id: 9_000 + chat)
                        let sent = person.text("вопрос", update: chat * 100 + update)
                        #expect(try await sequencer.submit(sent.inbound, payload: sent.payload) == .processed)
                    }
                }
                await outbox.flush()
                let calls = await fake.calls("sendMessage")
                #expect(calls.count == 5 * 3 * 2)
                for chat in Int64(9_001)...9_005 {
                    let texts = calls.filter { $0.chatId == chat }.compactMap(\.text)
                    let base = (chat - 9_000) * 100
                    let expected = (Int64(1)...3).flatMap { ["ответ \(base + $0).1", "ответ \(base + $0).2"] }
                    #expect(texts == expected)
                }
                // Only the heartbeat the instance left when it took the chats.
                #expect(try await redis.outboxKeys() == ["instances"])
            }
        }
    }

    @Test("an instance stops while a reply is in flight: after its heartbeat lapses another sends the rest, the one in flight at most twice")
    func takenOverAfterAStop() async throws {
        try await FakeBotAPI.serve { fake, url in
            try await SharedRedis.with { redis throws in
                var timing = DurableOutbox.Timing()
                timing.deadAfter = .milliseconds(500)
                let stopped = redis.outbox(url, timing: timing)
                // The first reply hangs at Telegram: the instance is stuck sending it when it "dies".
                await fake.answer("sendMessage", with: .delay(.seconds(3)), times: 1, chat: 9_100)
                await stopped.beat()
                let sequencer = redis.sequencer(Self.replying(3), outbox: stopped)
                let update = Person(id: 9_100).text("вопрос", update: 1)
                #expect(try await sequencer.submit(update.inbound, payload: update.payload) == .processed)
                #expect(await eventually { await fake.calls("sendMessage").count == 1 })

                let survivor = redis.outbox(url, timing: timing)
                try await Task.sleep(for: .milliseconds(700))
                await survivor.beat()
                await survivor.flush()
                await stopped.flush()
                let texts = await fake.calls("sendMessage").compactMap(\.text)
                #expect(texts.filter { $0 == "ответ 1.1" }.count <= 2)
                #expect(texts.filter { $0 == "ответ 1.2" }.count == 1)
                #expect(texts.filter { $0 == "ответ 1.3" }.count == 1)
                #expect(texts.last == "ответ 1.3")
                #expect(try await redis.outboxKeys() == ["instances"])
            }
        }
    }

    @Test("while one instance sends a chat's replies, another instance's replies for that chat wait behind them, and each goes once")
    func twoInstancesOneChat() async throws {
        try await FakeBotAPI.serve { fake, url in
            try await SharedRedis.with { redis throws in
                let a = redis.outbox(url), b = redis.outbox(url)
                await a.beat()
                await b.beat()
                // Telegram is slow for this chat, so A is still sending when B records its replies.
                await fake.answer("sendMessage", with: .delay(.milliseconds(200)), times: 2, chat: 9_200)
                let onA = redis.sequencer(Self.replying(2), outbox: a), onB = redis.sequencer(Self.replying(2), outbox: b)
                let person = Person(id: 9_200)
                for update in Int64(1)...6 {
                    let sent = person.text("вопрос", update: update)
                    #expect(try await (update % 2 == 1 ? onA : onB).submit(sent.inbound, payload: sent.payload) == .processed)
                }
                await a.flush()
                await b.flush()
                #expect(await eventually { await fake.calls("sendMessage").count == 12 })
                try await Task.sleep(for: .milliseconds(200))
                let texts = await fake.calls("sendMessage").compactMap(\.text)
                #expect(texts == (1...6).flatMap { ["ответ \($0).1", "ответ \($0).2"] })
                #expect(try await redis.outboxKeys().filter { $0 != "instances" } == [])
            }
        }
    }

    @Test("a person who blocked the bot: the first refused reply drops the rest, and the chat is reported blocked")
    func blockedDropsTheRest() async throws {
        try await FakeBotAPI.serve { fake, url in
            try await SharedRedis.with { redis throws in
                let blocked = Recorder<Int64>()
                let outbox = redis.outbox(url, onBlocked: { blocked.append($0) })
                await fake.answer("sendMessage", with: .blocked, times: 1, chat: 9_300)
                let sequencer = redis.sequencer(Self.replying(3), outbox: outbox)
                let update = Person(id: 9_300).text("вопрос", update: 1)
                #expect(try await sequencer.submit(update.inbound, payload: update.payload) == .processed)
                await outbox.flush()
                #expect(await fake.calls("sendMessage").count == 1)
                #expect(blocked.all == [9_300])
                #expect(try await redis.outboxKeys() == ["instances"])
            }
        }
    }

    @Test("an instance shutting down with replies it cannot send in time hands them over at once")
    func shutdownHandsOver() async throws {
        try await FakeBotAPI.serve { fake, url in
            try await SharedRedis.with { redis throws in
                var timing = DurableOutbox.Timing()
                timing.shutdownGrace = .milliseconds(200)
                // A minute: only the handover, not a lapsed heartbeat, lets the other take over.
                timing.deadAfter = .seconds(60)
                let leaving = redis.outbox(url, timing: timing)
                await leaving.beat()
                await fake.answer("sendMessage", with: .delay(.seconds(1)), times: 1, chat: 9_400)
                let sequencer = redis.sequencer(Self.replying(2), outbox: leaving)
                let update = Person(id: 9_400).text("вопрос", update: 1)
                #expect(try await sequencer.submit(update.inbound, payload: update.payload) == .processed)
                #expect(await eventually { await fake.calls("sendMessage").count == 1 })
                await leaving.stop()

                let next = redis.outbox(url, timing: timing)
                await next.beat()
                await next.flush()
                let texts = await fake.calls("sendMessage").compactMap(\.text)
                #expect(texts.suffix(1) == ["ответ 1.2"])
                #expect(texts.filter { $0 == "ответ 1.2" }.count == 1)
                #expect(try await redis.outboxKeys() == ["instances"])
            }
        }
    }

    @Test("a chat Redis counts as this instance's but with no loop here (the commit's answer was lost) is sent by its next heartbeat")
    func strandedChatAdopted() async throws {
        try await FakeBotAPI.serve { fake, url in
            try await SharedRedis.with { redis throws in
                let outbox = redis.outbox(url)
                let writer = redis.client()
                let entry = try OutboxEntry.encode(.sendMessage(SendMessage(chatId: 9_500, text: "осиротевший ответ")), name: "test-1")
                _ = try await writer.command(["RPUSH", "\(redis.prefix)out:9500", entry])
                _ = try await writer.command(["SET", "\(redis.prefix)out-owner:9500", outbox.instance])
                _ = try await writer.command(["SADD", "\(redis.prefix)owned:\(outbox.instance)", "9500"])
                await outbox.beat()
                #expect(await eventually { await fake.calls("sendMessage").count == 1 })
                await outbox.flush()
                await outbox.beat()
                try await Task.sleep(for: .milliseconds(200))
                #expect(await fake.calls("sendMessage").compactMap(\.text) == ["осиротевший ответ"])
                #expect(try await redis.outboxKeys() == ["instances"])
            }
        }
    }

    @Test("Telegram down for longer than the client's retries: the reply stays first in line and goes once it is back")
    func telegramDownKeepsTheReply() async throws {
        try await FakeBotAPI.serve { fake, url in
            try await SharedRedis.with { redis throws in
                let outbox = redis.outbox(url)
                // The test client tries 3 times: the first delivery fails for good, the next one gets through.
                await fake.answer("sendMessage", with: .serverError, times: 4, chat: 9_600)
                let sequencer = redis.sequencer(Self.replying(2), outbox: outbox)
                let update = Person(id: 9_600).text("вопрос", update: 1)
                #expect(try await sequencer.submit(update.inbound, payload: update.payload) == .processed)
                await outbox.flush()
                let calls = await fake.calls("sendMessage")
                #expect(calls.count == 6)
                #expect(calls.suffix(2).compactMap(\.text) == ["ответ 1.1", "ответ 1.2"])
                #expect(try await redis.outboxKeys() == ["instances"])
            }
        }
    }

    @Test("a chat's waiting replies are capped: those past the cap are dropped and counted, the list never grows past it")
    func capped() async throws {
        try await FakeBotAPI.serve { fake, url in
            try await SharedRedis.with { redis throws in
                var timing = DurableOutbox.Timing()
                timing.maxPerChat = 3
                let outbox = redis.outbox(url, timing: timing)
                let sequencer = redis.sequencer(Self.replying(5), outbox: outbox)
                let update = Person(id: 9_600).text("вопрос", update: 1)
                #expect(try await sequencer.submit(update.inbound, payload: update.payload) == .processed)
                await outbox.flush()
                let texts = await fake.calls("sendMessage").filter { $0.chatId == 9_600 }.compactMap(\.text)
                #expect(texts == ["ответ 1.1", "ответ 1.2", "ответ 1.3"])
                #expect(try await redis.outboxKeys() == ["instances"])
            }
        }
    }

    @Test("replies already waiting count against the cap: only the room left is recorded")
    func cappedWithWaiting() async throws {
        try await FakeBotAPI.serve { fake, url in
            try await SharedRedis.with { redis throws in
                var timing = DurableOutbox.Timing()
                timing.maxPerChat = 3
                // Two replies of an earlier turn still wait (their sender stopped).
                let writer = redis.client()
                for n in 1...2 {
                    let call = BotCall.sendMessage(SendMessage(chatId: 9_610, text: "раньше \(n)"))
                    _ = try await writer.command(["RPUSH", redis.prefix + "out:9610", try OutboxEntry.encode(call, name: "earlier-\(n)")])
                }
                let outbox = redis.outbox(url, timing: timing)
                let sequencer = redis.sequencer(Self.replying(5), outbox: outbox)
                let update = Person(id: 9_610).text("вопрос", update: 1)
                #expect(try await sequencer.submit(update.inbound, payload: update.payload) == .processed)
                await outbox.flush()
                let texts = await fake.calls("sendMessage").filter { $0.chatId == 9_610 }.compactMap(\.text)
                #expect(texts == ["раньше 1", "раньше 2", "ответ 1.1"])
                #expect(try await redis.outboxKeys() == ["instances"])
            }
        }
    }

    @Test("a call survives its trip through the outbox's JSON, a document's bytes included")
    func entryRoundTrip() throws {
        let calls: [BotCall] = [
            .sendMessage(SendMessage(chatId: 1, text: "<b>Напоминание</b>: ертең 10:00", replyMarkup: .inline(InlineKeyboardMarkup(
                inlineKeyboard: [[InlineKeyboardButton(text: "Приду", callbackData: "r.1")]])))),
            .editMessageText(EditMessageText(chatId: 2, messageId: 7, text: "Жазылу")),
            .sendDocument(SendDocument(chatId: 3, fileName: "visit.ics", mimeType: "text/calendar", bytes: Array("BEGIN:VCALENDAR\r\n".utf8) + [0, 255])),
            .sendChatAction(SendChatAction(chatId: 4)),
        ]
        for call in calls {
            let data = try JSONEncoder().encode(call)
            #expect(try JSONDecoder().decode(BotCall.self, from: data) == call)
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(BotCall.self, from: Data(#"{"method":"banChatMember","call":{}}"#.utf8)) }
    }

    /// Each update gets `count` replies: "ответ <update>.<n>".
    static func replying(_ count: Int) -> UpdateWork {
        UpdateWork(
            process: { inbound, session in
                let id = inbound.updateID ?? 0
                let calls = (1...count).map { BotCall.sendMessage(SendMessage(chatId: inbound.chat, text: "ответ \(id).\($0)")) }
                return Processed(session: session ?? Session(userID: inbound.chat), calls: calls, chat: inbound.chat)
            },
            tooFast: { inbound, _ in Processed(session: nil, calls: [], chat: inbound.chat) },
            deliver: { _ in Issue.record("replies must go through the durable outbox") },
            logger: Logger(label: "test.outbox"))
    }
}

extension SharedRedis {
    func outbox(_ url: String, timing: DurableOutbox.Timing = DurableOutbox.Timing(),
                onBlocked: @escaping @Sendable (Int64) async -> Void = { _ in }) -> DurableOutbox {
        let sender = CallSender(client: .fake(url), limiter: OutboundLimiter(messagesPerSecond: 1_000, perChatPerSecond: 100, perChatBurst: 10),
                                logger: Logger(label: "test.outbox"))
        return DurableOutbox(redis: client(), sender: sender, prefix: prefix, timing: timing, logger: Logger(label: "test.outbox"), onBlocked: onBlocked)
    }

    func sequencer(_ work: UpdateWork, outbox: DurableOutbox) -> RedisSequencer {
        RedisSequencer(redis: client(), work: work, limit: RateLimit(perMinute: 1_000), prefix: prefix, outbox: outbox)
    }

    /// The outbox's keys left in Redis, without the prefix and the chat or instance.
    func outboxKeys() async throws -> [String] {
        let reader = client()
        let keys = try await reader.command(["KEYS", prefix + "*"]).array?.compactMap(\.string) ?? []
        var kinds: Set<String> = []
        for key in keys {
            let name = String(key.dropFirst(prefix.count))
            guard name.hasPrefix("out") || name.hasPrefix("owned") || name == "instances" else { continue }
            kinds.insert(name.split(separator: ":").first.map(String.init) ?? name)
        }
        return kinds.sorted()
    }
}
