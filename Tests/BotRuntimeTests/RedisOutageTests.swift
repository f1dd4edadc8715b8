import BotRuntime
import FlowEngine
import Foundation
import RedisStore
import TestSupport
import Testing

@Suite("The Redis sequencer when Redis stops answering")
struct RedisOutageTests {
    @Test("a paused Redis makes submit fail fast; after it resumes the redelivered update is handled once")
    func pausedRedis() async throws {
        let server = try await PrivateRedis.start()
        defer { server.stop() }
        let client = RedisClient.withOwnThreadPool(url: RedisURL(host: "127.0.0.1", port: server.port), connections: 2)
        defer { client.close() }
        let recording = RecordingWork()
        let sequencer = RedisSequencer(redis: client, work: recording.work, limit: RateLimit(perMinute: 1_000),
                                       prefix: "outage:", patience: .seconds(10))
        let person = Person(id: 9001)
        let first = person.text("1", update: 1), second = person.text("2", update: 2), third = person.text("3", update: 3)
        #expect(try await sequencer.submit(first.inbound, payload: first.payload) == .processed)

        server.pause()
        let started = ContinuousClock.now
        await #expect(throws: RedisError.self) {
            _ = try await sequencer.submit(second.inbound, payload: second.payload)
        }
        let failedAfter = ContinuousClock.now - started
        server.resume()
        #expect(failedAfter < .seconds(10), "submit hung for \(failedAfter)")

        // The call that timed out runs when Redis wakes up and claims the chat (for 15 s): the
        // redelivery takes that claim back rather than wait it out (patience is only 10 s).
        #expect(try await sequencer.submit(second.inbound, payload: second.payload) == .processed)
        #expect(try await sequencer.submit(second.inbound, payload: second.payload) == .duplicate)
        #expect(try await sequencer.submit(third.inbound, payload: third.payload) == .processed)
        #expect(recording.processed.all == [.init(update: 1, counter: nil), .init(update: 2, counter: 1), .init(update: 3, counter: 2)])
    }
}
