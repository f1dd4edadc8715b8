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
        let limiter = OutboundLimiter(messagesPerSecond: 1000, perChatPerSecond: 0.5, perChatBurst: 1)
        await limiter.waitTurn(chat: 1)
        let waiting = Task { await limiter.waitTurn(chat: 1) }  // two seconds away
        let start = ContinuousClock.now
        for chat in 2..<50 { await limiter.waitTurn(chat: Int64(chat)) }
        let others = ContinuousClock.now - start
        await waiting.value
        #expect(ContinuousClock.now - start >= .milliseconds(1500))
        #expect(others < .milliseconds(1500), "the other chats went first (\(others))")
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
