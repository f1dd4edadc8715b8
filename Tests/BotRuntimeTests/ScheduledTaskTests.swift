@testable import ClinicPostgres
@testable import FlowActions
@testable import BotRuntime
import FlowEngine
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing
import TestSupport

/// Work on a clock (the documents' cleanup, releasing unpaid holds) rides the durable
/// scheduler: one run per period however many instances run, a failed run tried again, and a
/// task no instance here knows left for one that does — never mistaken for a flow.
@Suite("Scheduled tasks on the durable scheduler", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct ScheduledTaskTests {
    static var timing: JobScheduler.Timing {
        var timing = JobScheduler.Timing()
        timing.poll = .milliseconds(20)
        timing.retry = .milliseconds(100)
        return timing
    }

    /// `instances` schedulers on one database, each with `task`, for as long as `body` runs.
    static func running(_ instances: Int, _ tasks: [ScheduledTask], client: PostgresClient, sequencer: FakeSequencer = FakeSequencer(),
                        _ body: () async throws -> Void) async throws {
        let runs = (0..<instances).map { _ in
            let scheduler = JobScheduler(store: PostgresFlowJobStore(client: client), sequencer: sequencer, timing: timing,
                                         tasks: tasks, logger: Logger(label: "test.tasks"))
            return Task { try await scheduler.run() }
        }
        defer { runs.forEach { $0.cancel() } }
        try await body()
    }

    static func jobs(_ client: PostgresClient, task: String) async throws -> [(origin: String, finished: Bool)] {
        try await client.query("""
            SELECT origin, finished_at IS NOT NULL FROM flow_jobs WHERE origin LIKE \("task:\(task):%") ORDER BY due_at
            """).collect().map { try $0.decode((String, Bool).self) }
    }

    /// Periods so long that no test runs across the start of one.
    static let decade = Duration.seconds(3650 * 86_400)

    @Test("three instances: the task of this period runs once, and the next period's run is stored")
    func oncePerPeriod() async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let count = Atomic(0)
            let task = ScheduledTask(name: "test.cleanup", every: Self.decade) { count.add(1, ordering: .relaxed) }
            try await Self.running(3, [task], client: client) {
                #expect(await eventually(timeout: .seconds(20)) { (try? await Self.jobs(client, task: "test.cleanup").count) == 2 })
                try await Task.sleep(for: .milliseconds(300))
            }
            let period = Int64(Date().timeIntervalSince1970 / (3650 * 86_400))
            let jobs = try await Self.jobs(client, task: "test.cleanup")
            #expect(jobs.map(\.origin) == ["task:test.cleanup:\(period)", "task:test.cleanup:\(period + 1)"])
            #expect(jobs.map(\.finished) == [true, false])
            #expect(count.load(ordering: .relaxed) == 1)
        }
    }

    @Test("a run that fails is tried again; only a run that succeeded is finished")
    func failedRunRetried() async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let attempts = Atomic(0)
            struct Refused: Error {}
            let task = ScheduledTask(name: "test.flaky", every: Self.decade) {
                if attempts.add(1, ordering: .relaxed).newValue < 3 { throw Refused() }
            }
            try await Self.running(1, [task], client: client) {
                #expect(await eventually(timeout: .seconds(20)) { (try? await Self.jobs(client, task: "test.flaky").first?.finished) == true })
            }
            #expect(attempts.load(ordering: .relaxed) == 3)
            #expect(try await Self.jobs(client, task: "test.flaky").map(\.finished) == [true, false])
        }
    }

    @Test("a task this instance does not know is left for one that does, never sent to a chat as a flow")
    func unknownTaskLeftAlone() async throws {
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let newer = ScheduledTask(name: "payments.release_holds", every: .seconds(60)) {}
            try await PostgresFlowJobStore(client: client).schedule([newer.job(at: Date())])
            let sequencer = FakeSequencer()
            try await Self.running(1, [], client: client, sequencer: sequencer) {
                #expect(await eventually(timeout: .seconds(20)) {
                    (try? await client.query("SELECT attempts FROM flow_jobs WHERE origin LIKE 'task:payments.release_holds:%'")
                        .collect().first?.decode(Int.self)) ?? 0 >= 1
                })
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(sequencer.submitted.count == 0)
            #expect(try await Self.jobs(client, task: "payments.release_holds").map(\.finished) == [false])
        }
    }
}
