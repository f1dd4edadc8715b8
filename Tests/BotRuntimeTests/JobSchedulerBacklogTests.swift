@testable import ClinicPostgres
@testable import FlowActions
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

/// The job store unreachable for a while (PostgreSQL down): the scheduler keeps asking, and
/// every job fires once when it answers again.
@Suite("The job scheduler through a database outage")
struct JobSchedulerOutageTests {
    @Test("claims fail for a while: nothing fires meanwhile, then each due job fires once and is finished")
    func storeDown() async throws {
        let store = DueJobs(count: 30)
        await store.failClaims(times: 3)
        let sequencer = FakeSequencer()
        var timing = JobScheduler.Timing()
        timing.poll = .milliseconds(20)
        let scheduler = JobScheduler(store: store, sequencer: sequencer, timing: timing, logger: Logger(label: "test.scheduler"))
        let task = Task { try await scheduler.run() }
        defer { task.cancel() }
        #expect(await eventually(timeout: .seconds(20)) { await store.finished.count == 30 })
        #expect(await store.failedClaims == 3)
        let fired = sequencer.submitted.all.map(\.inbound.key)
        #expect(fired.count == 30 && Set(fired).count == 30)
        #expect(Set(await store.finished) == Set((1...30).map(Int64.init)))
    }
}

/// `count` jobs due now, for as many chats; records the limit of each claim and the jobs
/// finished, and can refuse claims as a database that is down would.
actor DueJobs: FlowJobStore {
    private var due: [ClaimedFlowJob]
    private(set) var limits: [Int] = []
    private(set) var finished: [Int64] = []
    private(set) var failedClaims = 0
    private var failures = 0

    func failClaims(times: Int) { failures = times }

    init(count: Int) {
        due = (1...count).map { n in
            ClaimedFlowJob(id: Int64(n), fence: 1, attempts: 1, job: NewFlowJob(
                origin: "test:\(n)", chat: Int64(70_000 + n), flow: "reminder", step: nil, params: [:], due: Date()))
        }
    }

    func schedule(_ jobs: [NewFlowJob]) async throws {}

    struct Down: Error {}

    func claimDue(limit: Int, lease: Duration) async throws -> [ClaimedFlowJob] {
        if failures > 0 {
            failures -= 1
            failedClaims += 1
            throw Down()
        }
        limits.append(limit)
        let taken = Array(due.prefix(limit))
        due.removeFirst(taken.count)
        return taken
    }

    func finish(_ id: Int64, fence: Int64, outcome: FlowJobOutcome) async throws -> Bool {
        finished.append(id)
        return true
    }
    func retry(_ id: Int64, fence: Int64, after delay: Duration) async throws {}
    func prune(olderThan age: Duration) async throws -> Int { 0 }
}
