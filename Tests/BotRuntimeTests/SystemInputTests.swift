import BotRuntime
import FlowEngine
import Foundation
import Logging
import Testing

/// A flow that wakes (or that the system starts) is an input for its chat like a person's
/// update: once, in order, on the session the previous input stored.
@Suite("System inputs through the sequencers")
struct SystemInputTests {
    let person = Person(id: 8101)

    func wake(_ n: Int, chat: Int64 = 8101) -> SystemInput {
        SystemInput(id: "job:\(n)", chat: chat, flow: "reminder", step: "wait", params: ["n": .int(n)], due: "2026-11-27T04:00:00Z")
    }

    @Test("the same system input submitted twice, to two instances, is handled once")
    func onceOnRedis() async throws {
        try await SharedRedis.with { redis throws in
            let recording = RecordingWork()
            let a = redis.sequencer(recording.work), b = redis.sequencer(recording.work)
            let input = wake(1)
            #expect(try await a.submit(Inbound(input), payload: input.payload) == .processed)
            #expect(try await b.submit(Inbound(input), payload: input.payload) == .duplicate)
            #expect(recording.processedIDs == [-1])
        }
    }

    @Test("system inputs and updates of one chat take turns, each on the session the one before stored")
    func inTurnWithUpdatesOnRedis() async throws {
        try await SharedRedis.with { redis throws in
            let recording = RecordingWork()
            let a = redis.sequencer(recording.work), b = redis.sequencer(recording.work)
            let started = Flag(false)
            let watcher = redis.client()
            // The first update is slow; the woken flows and the next updates queue behind it.
            recording.on(1) { _ in
                started.set(true)
                _ = try await eventually(timeout: .seconds(15)) { try await redis.queued(8101, using: watcher) == 5 }
            }
            let first = person.text("привет", update: 1)
            try await withThrowingTaskGroup(of: Submission.self) { group throws in
                group.addTask { try await a.submit(first.inbound, payload: first.payload) }
                #expect(await eventually { started.isOn })
                for n in 1...2 {
                    let input = wake(n)
                    group.addTask { try await b.submit(Inbound(input), payload: input.payload) }
                }
                #expect(try await eventually(timeout: .seconds(15)) { try await redis.queued(8101, using: watcher) == 3 })
                for id in Int64(2)...3 {
                    let update = person.text("ещё \(id)", update: id)
                    group.addTask { try await a.submit(update.inbound, payload: update.payload) }
                }
                for try await outcome in group { #expect(outcome == .processed) }
            }
            #expect(Set(recording.processedIDs) == [1, -1, -2, 2, 3])
            #expect(recording.processedIDs.first == 1)
            #expect(Array(recording.processedIDs.suffix(2)) == [2, 3], "the updates sent after the inputs were queued come after them")
            #expect(recording.processed.all.map(\.counter) == [nil, 1, 2, 3, 4])
            #expect(recording.meter.most(8101) == 1)
        }
    }

    @Test("a chat whose person blocked the bot gets no system inputs until the person writes again")
    func blockedOnRedis() async throws {
        try await SharedRedis.with { redis throws in
            let recording = RecordingWork()
            let a = redis.sequencer(recording.work)
            try await a.markBlocked(chat: 8101)
            let input = wake(3)
            #expect(try await a.submit(Inbound(input), payload: input.payload) == .blocked)
            let hello = person.text("снова я", update: 10)
            #expect(try await a.submit(hello.inbound, payload: hello.payload) == .processed)
            #expect(try await a.submit(Inbound(input), payload: input.payload) == .processed)
            #expect(recording.processedIDs == [10, -3])
        }
    }

    @Test("in memory: once, and skipped for a blocked chat until the person writes")
    func local() async throws {
        let recording = RecordingWork()
        let local = LocalSequencer(store: InMemorySessionStore(), work: recording.work, limit: RateLimit(perMinute: 1))
        let input = wake(4)
        #expect(try await local.submit(Inbound(input), payload: input.payload) == .processed)
        #expect(try await local.submit(Inbound(input), payload: input.payload) == .duplicate)
        await local.markBlocked(chat: 8101)
        let later = wake(5)
        #expect(try await local.submit(Inbound(later), payload: later.payload) == .blocked)
        let hello = person.text("снова я", update: 11)
        #expect(try await local.submit(hello.inbound, payload: hello.payload) == .processed)
        // The person's rate limit (1 a minute) is theirs: the bot's own inputs do not count.
        #expect(try await local.submit(Inbound(later), payload: later.payload) == .processed)
        #expect(recording.processedIDs == [-4, 11, -5])
    }

    @Test("the queued form names the input and decodes back; an update's JSON is not one")
    func payload() throws {
        let input = wake(6)
        let text = String(decoding: input.payload, as: UTF8.self)
        #expect(SystemInput.decode(text) == input)
        #expect(input.payload == wake(6).payload)
        #expect(Inbound(input).key == "s:job:6")
        #expect(Inbound(input).event == .resume(Job(flow: "reminder", step: "wait", params: ["n": .int(6)], at: "2026-11-27T04:00:00Z")))
        let update = person.text("{\"system\":1}", update: 12)
        #expect(SystemInput.decode(String(decoding: update.payload, as: UTF8.self)) == nil)
        #expect(update.inbound.key == "12")
    }
}
