import BotRuntime
import FlowEngine
import Synchronization
import Testing

@Suite("The in-memory sequencer")
struct LocalSequencerTests {
    let person = Person(id: 7001)

    func sequencer(_ recording: RecordingWork, store: InMemorySessionStore = InMemorySessionStore(), perMinute: Int = 1_000) -> LocalSequencer {
        LocalSequencer(store: store, work: recording.work, limit: RateLimit(perMinute: perMinute))
    }

    @Test("an update delivered twice is handled once")
    func duplicate() async throws {
        let recording = RecordingWork()
        let sequencer = sequencer(recording)
        let update = person.text("привет", update: 1)
        #expect(try await sequencer.submit(update.inbound, payload: update.payload) == .processed)
        #expect(try await sequencer.submit(update.inbound, payload: update.payload) == .duplicate)
        #expect(recording.processedIDs == [1])
        #expect(recording.delivered.count == 1)
    }

    @Test("a chat's updates never overlap, while two chats are handled side by side")
    func oneAtATimePerChat() async throws {
        let recording = RecordingWork()
        let store = InMemorySessionStore()
        let sequencer = sequencer(recording, store: store)
        let first = Person(id: 1), second = Person(id: 2)
        // Each chat's first update waits until the other chat's first update is being handled:
        // both finish only if the two chats run at the same time.
        let started = Mutex<Set<Int64>>([])
        let met = Recorder<Int64>()
        for (update, other) in [(Int64(1), Int64(2)), (101, 1)] as [(Int64, Int64)] {
            recording.on(update) { inbound in
                started.withLock { _ = $0.insert(inbound.chat) }
                if await eventually(timeout: .seconds(20), { started.withLock { $0.contains(other) } }) { met.append(inbound.chat) }
            }
        }
        for id in Int64(2)...10 {
            recording.on(id) { _ in try await Task.sleep(for: .milliseconds(5)) }
            recording.on(id + 100) { _ in try await Task.sleep(for: .milliseconds(5)) }
        }
        _ = try await withThrowingTaskGroup(of: Submission.self) { group in
            for id in Int64(1)...10 {
                group.addTask { try await sequencer.submit(first.text("a\(id)", update: id).inbound, payload: []) }
                group.addTask { try await sequencer.submit(second.text("b\(id)", update: id + 100).inbound, payload: []) }
            }
            for try await submission in group { #expect(submission == .processed) }
        }
        #expect(recording.meter.most(1) == 1)
        #expect(recording.meter.most(2) == 1)
        #expect(Set(met.all) == [1, 2], "the two chats were not handled side by side")
        #expect(recording.processed.count == 20)
        // One at a time: each update saw the session the previous one of its chat stored.
        #expect(Set(recording.processed.all.filter { $0.update < 100 }.map(\.counter)) == Set<Int?>([nil] + (1...9).map { Optional($0) }))
        #expect(await store.load(1)?.variables["n"] == 10)
        #expect(await store.load(2)?.variables["n"] == 10)
    }

    @Test("over the rate limit the person is told once per window and nothing is handled")
    func rateLimit() async throws {
        await waitForFreshRateWindow()
        let recording = RecordingWork()
        let sequencer = sequencer(recording, perMinute: 3)
        var outcomes: [Submission] = []
        for id in Int64(1)...6 {
            outcomes.append(try await sequencer.submit(person.text("\(id)", update: id).inbound, payload: []))
        }
        #expect(outcomes == [.processed, .processed, .processed, .rateLimited, .rateLimited, .rateLimited])
        #expect(recording.processedIDs == [1, 2, 3])
        #expect(recording.tooFast.all == [4])
        #expect(recording.delivered.count == 4, "three replies and one too-fast notice")
        // Another person has their own limit.
        #expect(try await sequencer.submit(Person(id: 7002).text("hi", update: 7).inbound, payload: []) == .processed)
    }

    @Test("storage unavailable: the update stays unseen and its redelivery is handled")
    func unavailableIsRedelivered() async throws {
        let recording = RecordingWork()
        let store = InMemorySessionStore()
        let sequencer = sequencer(recording, store: store)
        recording.failOnce(1, with: StorageUnavailable("database down"))
        let update = person.text("привет", update: 1)

        await #expect(throws: StorageUnavailable.self) {
            _ = try await sequencer.submit(update.inbound, payload: [])
        }
        #expect(await store.load(7001) == nil)
        #expect(recording.delivered.count == 0)

        #expect(try await sequencer.submit(update.inbound, payload: []) == .processed)
        #expect(recording.processedIDs == [1])
        #expect(await store.load(7001)?.variables["n"] == 1)
        #expect(try await sequencer.submit(update.inbound, payload: []) == .duplicate)
    }

    @Test("a poison update is acknowledged, the session is left as it was and the chat goes on")
    func poison() async throws {
        let recording = RecordingWork()
        let store = InMemorySessionStore()
        let sequencer = sequencer(recording, store: store)
        recording.on(2) { _ in throw Poison() }

        #expect(try await sequencer.submit(person.text("1", update: 1).inbound, payload: []) == .processed)
        let before = await store.load(7001)
        #expect(try await sequencer.submit(person.text("2", update: 2).inbound, payload: []) == .processed)
        #expect(await store.load(7001) == before)
        #expect(try await sequencer.submit(person.text("2", update: 2).inbound, payload: []) == .duplicate, "a poison update is not retried")
        #expect(try await sequencer.submit(person.text("3", update: 3).inbound, payload: []) == .processed)

        #expect(recording.processed.all == [.init(update: 1, counter: nil), .init(update: 3, counter: 1)])
        #expect(recording.logs.text.contains("input=update 2"))
    }
}
