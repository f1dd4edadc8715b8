import Synchronization
import Telegram
import Testing

@Suite("OutboundLimiter: per-chat and global rates")
struct OutboundLimiterTests {
    @Test("10 messages in one chat at 5 a second, burst 1, take at least 1.8 s")
    func perChat() async {
        let limiter = OutboundLimiter(messagesPerSecond: 1000, perChatPerSecond: 5, perChatBurst: 1)
        let start = ContinuousClock.now
        for _ in 0..<10 { await limiter.waitTurn(chat: 1) }
        #expect(ContinuousClock.now - start >= .milliseconds(1800))
    }

    @Test("a burst of 3 goes at once, the rest at the steady rate: 6 messages at 5 a second take at least 0.6 s")
    func burst() async {
        let limiter = OutboundLimiter(messagesPerSecond: 1000, perChatPerSecond: 5, perChatBurst: 3)
        let start = ContinuousClock.now
        for _ in 0..<6 { await limiter.waitTurn(chat: 1) }
        #expect(ContinuousClock.now - start >= .milliseconds(600))
    }

    @Test("the global rate holds across chats: 21 chats at 20 a second take at least 1 s")
    func global() async {
        let limiter = OutboundLimiter(messagesPerSecond: 20, perChatPerSecond: 1, perChatBurst: 3)
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for chat in 0..<21 { group.addTask { await limiter.waitTurn(chat: Int64(chat)) } }
        }
        #expect(ContinuousClock.now - start >= .seconds(1))
    }

    @Test("a chat waiting for its own turn does not hold up other chats")
    func chatDoesNotBlockOthers() async {
        // Chat 1's next turn is 20 s away; 48 other chats at 1000/s need about 50 ms. Ordering,
        // not wall-clock bounds, is asserted, so a busy machine cannot make this flaky.
        let limiter = OutboundLimiter(messagesPerSecond: 1000, perChatPerSecond: 0.05, perChatBurst: 1)
        await limiter.waitTurn(chat: 1)
        let finished = Mutex(false)
        let waiting = Task {
            await limiter.waitTurn(chat: 1)
            finished.withLock { $0 = true }
        }
        for chat in 2..<50 { await limiter.waitTurn(chat: Int64(chat)) }
        #expect(!finished.withLock { $0 }, "the other chats went first")
        waiting.cancel()
        await waiting.value
    }

    @Test("a pause holds back every turn, those already handed out included, and turns after it are spaced as before")
    func pause() async throws {
        let limiter = OutboundLimiter(messagesPerSecond: 20, perChatPerSecond: 100, perChatBurst: 10)
        await limiter.waitTurn(chat: 1)
        // A turn handed out before the pause, still waiting for its moment when it begins.
        async let early: ContinuousClock.Instant = { await limiter.waitTurn(chat: 2); return .now }()
        await limiter.pause(for: .milliseconds(500))
        let pauseEnds = try #require(await limiter.pauseEnds)
        let afterPause = await early
        await limiter.waitTurn(chat: 3)
        let last = ContinuousClock.now
        // Lower bounds only: a busy machine makes every turn later, never earlier.
        #expect(afterPause >= pauseEnds - .milliseconds(1))
        #expect(last >= pauseEnds + .milliseconds(45), "the turn after the pause's first comes one interval (50 ms) later")
    }

    @Test("idle chats are forgotten: memory follows active chats, not every chat seen")
    func boundedMemory() async {
        let limiter = OutboundLimiter(messagesPerSecond: 1_000_000, perChatPerSecond: 1000, perChatBurst: 1)
        for chat in 0..<3000 {
            await limiter.waitTurn(chat: Int64(chat))
            if chat % 500 == 0 { try? await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(await limiter.trackedChats < 2048)
    }
}
