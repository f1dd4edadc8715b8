@testable import Actions
import BotRuntime
import FlowEngine
import Foundation
import Logging
import Synchronization
import Testing

/// The scheduler claims due jobs only as fast as their messages can leave: with 10,000
/// reminders due at once, a person writing meanwhile waits behind seconds of them, not minutes.
@Suite("The job scheduler holds back while the outbox is full")
struct JobSchedulerBacklogTests {
    @Test("no job is claimed while the outbox is full; as chats are served, only as many as there is room for")
    func claimsOnlyTheRoomLeft() async throws {
        let store = DueJobs(count: 100)
        let sequencer = FakeSequencer()
        // Chats waiting to be sent to: those "already there", plus every job fired (none is sent here).
        let served = Mutex(0)
        var timing = JobScheduler.Timing()
        timing.poll = .milliseconds(20)
        timing.maxBacklog = 60
        let scheduler = JobScheduler(store: store, sequencer: sequencer, timing: timing, backlog: {
            60 + sequencer.submitted.count - served.withLock { $0 }
        }, logger: Logger(label: "test.scheduler"))
        let task = Task { try await scheduler.run() }
        defer { task.cancel() }

        try await Task.sleep(for: .milliseconds(400))
        #expect(sequencer.submitted.count == 0)
        #expect(await store.limits.isEmpty)

        served.withLock { $0 = 15 }
        #expect(await eventually { sequencer.submitted.count == 15 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(sequencer.submitted.count == 15)
        #expect(await store.limits.allSatisfy { $0 <= 15 })

        served.withLock { $0 = 100 }
        #expect(await eventually { sequencer.submitted.count == 100 })
        #expect(await store.limits.allSatisfy { $0 <= timing.batch })
    }
}

/// `count` jobs due now, for as many chats; records the limit of each claim.
actor DueJobs: FlowJobStore {
    private var due: [ClaimedFlowJob]
    private(set) var limits: [Int] = []

    init(count: Int) {
        due = (1...count).map { n in
            ClaimedFlowJob(id: Int64(n), fence: 1, attempts: 1, job: NewFlowJob(
                origin: "test:\(n)", chat: Int64(70_000 + n), flow: "reminder", step: nil, params: [:], due: Date()))
        }
    }

    func schedule(_ jobs: [NewFlowJob]) async throws {}

    func claimDue(limit: Int, lease: Duration) async throws -> [ClaimedFlowJob] {
        limits.append(limit)
        let taken = Array(due.prefix(limit))
        due.removeFirst(taken.count)
        return taken
    }

    func finish(_ id: Int64, fence: Int64, outcome: FlowJobOutcome) async throws -> Bool { true }
    func retry(_ id: Int64, fence: Int64, after delay: Duration) async throws {}
    func prune(olderThan age: Duration) async throws -> Int { 0 }
}
