import BotRuntime
import FlowEngine
import Foundation
import RedisStore
import Testing

@Suite("The Redis sequencer: two instances of the bot on one Redis")
struct RedisSequencerTests {
    let person = Person(id: 8001)

    @Test("a chat's updates, spread over two instances at once, are each handled once, in order, on the previous one's session")
    func inOrderAcrossInstances() async throws {
        try await SharedRedis.with { redis throws in
            let recording = RecordingWork()
            let a = redis.sequencer(recording.work), b = redis.sequencer(recording.work)
            let watcher = redis.client()
            // The first update is slow: it is still being handled when all the others have
            // been queued behind it (it waits for that rather than for a fixed time).
            let started = Flag(false)
            recording.on(1) { _ in
                started.set(true)
                try await Task.sleep(for: .milliseconds(100))
                _ = try await eventually(timeout: .seconds(15)) { try await redis.queued(8001, using: watcher) == 20 }
            }
            let updates = (Int64(1)...20).map { person.text("сообщение \($0)", update: $0) }
            let outcomes = try await withThrowingTaskGroup(of: (Int64, Submission).self) { group in
                group.addTask { (1, try await a.submit(updates[0].inbound, payload: updates[0].payload)) }
                #expect(await eventually { started.isOn })
                for update in updates.dropFirst() {
                    let instance = update.updateId % 2 == 0 ? b : a
                    group.addTask { (update.updateId, try await instance.submit(update.inbound, payload: update.payload)) }
                }
                var outcomes: [Int64: Submission] = [:]
                for try await (id, outcome) in group { outcomes[id] = outcome }
                return outcomes
            }
            #expect(outcomes.count == 20)
            #expect(outcomes.values.allSatisfy { $0 == .processed }, "\(outcomes)")
            #expect(recording.processedIDs == Array(1...20))
            #expect(recording.processed.all.map(\.counter) == [nil] + (1...19).map { Optional($0) })
            #expect(recording.meter.most(8001) == 1)
            #expect(try await redis.session(8001)?.variables["n"] == 20)
            #expect(try await redis.queued(8001, using: watcher) == 0)
            #expect(recording.delivered.count == 20)
        }
    }

    @Test("an update handled for longer than the chat's claim keeps it: another instance waits and never runs it again")
    func longUpdateKeepsTheClaim() async throws {
        try await SharedRedis.with { redis throws in
            let recording = RecordingWork()
            // A claim of 3 s and an update that takes 7 s: without renewal the claim would lapse
            // and the other instance would take the queue's head — this very update. (With 1.5 s,
            // a machine busy compiling woke the renewer more than a second late.)
            let a = redis.sequencer(recording.work, claim: .seconds(3))
            let b = redis.sequencer(recording.work, claim: .seconds(3))
            let started = Flag(false)
            recording.on(1) { _ in
                started.set(true)
                try await Task.sleep(for: .seconds(7))
            }
            let first = person.text("медленно", update: 1), second = person.text("потом", update: 2)
            async let slow = a.submit(first.inbound, payload: first.payload)
            #expect(await eventually { started.isOn })
            #expect(try await b.submit(second.inbound, payload: second.payload) == .processed)
            #expect(try await slow == .processed)
            #expect(recording.processedIDs == [1, 2])
        }
    }

    @Test("the handler gets the update decoded from the queued JSON")
    func queuedPayload() async throws {
        try await SharedRedis.with { redis throws in
            let seen = Recorder<Inbound>()
            let recording = RecordingWork()
            recording.on(5) { seen.append($0) }
            let a = redis.sequencer(recording.work)
            let update = person.press("3.1", onMessage: 42, update: 5, queryID: "q-5")
            #expect(try await a.submit(update.inbound, payload: update.payload) == .processed)
            #expect(seen.all == [update.inbound])
        }
    }

    @Test("an update delivered to both instances is handled once")
    func duplicateAcrossInstances() async throws {
        try await SharedRedis.with { redis throws in
            let recording = RecordingWork()
            let a = redis.sequencer(recording.work), b = redis.sequencer(recording.work)
            let update = person.text("привет", update: 1)
            #expect(try await a.submit(update.inbound, payload: update.payload) == .processed)
            #expect(try await b.submit(update.inbound, payload: update.payload) == .duplicate)
            #expect(try await a.submit(update.inbound, payload: update.payload) == .duplicate)
            #expect(recording.processedIDs == [1])
        }
    }

    @Test("the rate limit counts a person's updates on every instance and says so once")
    func rateLimitAcrossInstances() async throws {
        await waitForFreshRateWindow()
        try await SharedRedis.with { redis throws in
            let recording = RecordingWork()
            let a = redis.sequencer(recording.work, perMinute: 3), b = redis.sequencer(recording.work, perMinute: 3)
            var outcomes: [Submission] = []
            for id in Int64(1)...6 {
                let update = person.text("\(id)", update: id)
                outcomes.append(try await (id % 2 == 0 ? b : a).submit(update.inbound, payload: update.payload))
            }
            #expect(outcomes == [.processed, .processed, .processed, .rateLimited, .rateLimited, .rateLimited])
            #expect(recording.processedIDs == [1, 2, 3])
            #expect(recording.tooFast.all == [4])
            // Someone else is not limited by this person.
            let other = Person(id: 8002).text("hi", update: 7)
            #expect(try await a.submit(other.inbound, payload: other.payload) == .processed)
        }
    }

    @Test("a poison update is acknowledged, leaves the session alone, and the chat goes on")
    func poison() async throws {
        try await SharedRedis.with { redis throws in
            let recording = RecordingWork()
            recording.on(2) { _ in throw Poison() }
            let a = redis.sequencer(recording.work, patience: .seconds(10)), b = redis.sequencer(recording.work, patience: .seconds(10))
            let updates = (Int64(1)...3).map { person.text("\($0)", update: $0) }
            #expect(try await a.submit(updates[0].inbound, payload: updates[0].payload) == .processed)
            #expect(try await b.submit(updates[1].inbound, payload: updates[1].payload) == .processed)
            #expect(try await redis.session(8001)?.variables["last"] == 1)
            #expect(try await a.submit(updates[1].inbound, payload: updates[1].payload) == .duplicate)
            #expect(try await a.submit(updates[2].inbound, payload: updates[2].payload) == .processed)
            #expect(recording.processed.all == [.init(update: 1, counter: nil), .init(update: 3, counter: 1)])
            #expect(try await redis.session(8001)?.variables["last"] == 3)
        }
    }

    @Test("storage unavailable while handling: submit throws, and the update delivered again is handled")
    func unavailableIsRedelivered() async throws {
        try await SharedRedis.with { redis throws in
            let recording = RecordingWork()
            recording.failOnce(1, with: StorageUnavailable("database down"))
            // Short patience: a chat left claimed would make the redelivery fail, not just wait.
            let a = redis.sequencer(recording.work, patience: .seconds(5)), b = redis.sequencer(recording.work, patience: .seconds(5))
            let update = person.text("привет", update: 1)
            await #expect(throws: StorageUnavailable.self) {
                _ = try await a.submit(update.inbound, payload: update.payload)
            }
            #expect(try await redis.session(8001) == nil)
            #expect(recording.delivered.count == 0)

            #expect(try await b.submit(update.inbound, payload: update.payload) == .processed)
            #expect(recording.processedIDs == [1])
            #expect(try await redis.session(8001)?.variables["n"] == 1)
            let next = person.text("ещё", update: 2)
            #expect(try await a.submit(next.inbound, payload: next.payload) == .processed)
            #expect(recording.processedIDs == [1, 2])
        }
    }
}
