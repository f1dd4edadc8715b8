import ClinicPostgres
import FlowEngine
import Foundation
import Logging
import RedisStore
import ServiceLifecycle

/// Wakes sleeping flows and starts the flows the system planned, at their moments. Every
/// instance may run one: jobs are claimed from the store with a lease, so each is handed out to
/// one instance at a time, and a job becomes a `SystemInput` that passes the chat's sequencer
/// like a person's update, whose done mark makes it run once even when a crash between "ran"
/// and "finished" lets another instance claim it again.
public struct JobScheduler: ServiceLifecycle.Service {
    public struct Timing: Sendable {
        /// How often the store is asked for due jobs when there were none.
        public var poll: Duration = .seconds(1)
        /// A claim lasts this long; a job not finished by then is claimed again.
        public var lease: Duration = .seconds(30)
        /// A job whose chat could not be reached waits this long before another try.
        public var retry: Duration = .seconds(5)
        /// Jobs claimed at once.
        public var batch = 64
        /// Finished jobs are deleted after this long.
        public var keepFinished: Duration = .seconds(30 * 86_400)
        /// No more jobs are claimed while this many chats wait for their messages to go out
        /// (`Backlog`): two seconds of Telegram's 30 a second.
        public var maxBacklog = 60
        public init() {}
    }

    /// How many chats have messages waiting to be sent on this instance. When 10,000 reminders
    /// come due at once, the scheduler claims them as fast as Telegram lets them go rather
    /// than all at once, so a person who writes meanwhile waits seconds for the answer, not
    /// the minutes the whole batch takes, and the memory stays flat.
    public typealias Backlog = @Sendable () -> Int

    let store: any FlowJobStore
    let sequencer: any UpdateSequencer
    let timing: Timing
    let backlog: Backlog
    /// Work on a clock, by name (`ScheduledTask`).
    let tasks: [String: ScheduledTask]
    let logger: Logger

    public init(store: any FlowJobStore, sequencer: any UpdateSequencer, timing: Timing = Timing(), backlog: @escaping Backlog = { 0 },
                tasks: [ScheduledTask] = [], logger: Logger) {
        self.store = store
        self.sequencer = sequencer
        self.timing = timing
        self.backlog = backlog
        self.tasks = Dictionary(tasks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
    }

    public func run() async throws {
        await scheduleTasks()
        var pause = timing.poll
        var pruned = ContinuousClock.now - .seconds(3600)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let room = min(timing.batch, timing.maxBacklog - backlog())
            guard room > 0 else {
                await sleep(.milliseconds(200))
                continue
            }
            let claimed: [ClaimedFlowJob]
            do {
                claimed = try await store.claimDue(limit: room, lease: timing.lease)
                pause = timing.poll
            } catch {
                logger.warning("due jobs could not be claimed; trying again", metadata: ["error": "\(type(of: error))", "pause": "\(pause)"])
                await sleep(pause)
                pause = min(pause * 2, .seconds(30))
                continue
            }
            if !claimed.isEmpty { await fire(claimed) }
            if ContinuousClock.now - pruned > .seconds(3600) {
                pruned = ContinuousClock.now
                _ = try? await store.prune(olderThan: timing.keepFinished)
            }
            // A full batch means more are due: go on at once.
            if claimed.count < room { await sleep(timing.poll) }
        }
    }

    /// Fires one batch, each chat's jobs in order of their moments and chats side by side.
    func fire(_ claimed: [ClaimedFlowJob]) async {
        let byChat = Dictionary(grouping: claimed, by: \.job.chat)
        await withTaskGroup(of: Void.self) { group in
            for (_, jobs) in byChat {
                group.addTask {
                    for job in jobs { await fire(job) }
                }
            }
        }
    }

    /// Each task's run of this period, unless it is stored already (by another instance, or
    /// before a restart).
    func scheduleTasks() async {
        guard !tasks.isEmpty else { return }
        let now = Date()
        do {
            try await store.schedule(tasks.values.map { $0.job(at: now) })
        } catch {
            // The next period's job comes from the last run; without one, the next start.
            logger.warning("scheduled tasks could not be stored", metadata: ["error": "\(type(of: error))"])
        }
    }

    /// Runs a task's job, then stores the next period's. A failed run is tried again.
    func run(_ task: ScheduledTask, _ claimed: ClaimedFlowJob) async {
        do {
            try await task.run()
        } catch {
            logger.warning("a scheduled task failed; it is tried again", metadata: ["task": "\(task.name)", "error": "\(type(of: error))"])
            try? await store.retry(claimed.id, fence: claimed.fence, after: timing.retry)
            return
        }
        do {
            try await store.schedule([task.next(after: claimed.job)])
            try await store.finish(claimed.id, fence: claimed.fence, outcome: .fired)
        } catch {
            logger.warning("a scheduled task ran but could not be marked done; it may run again", metadata: ["task": "\(task.name)"])
        }
    }

    func fire(_ claimed: ClaimedFlowJob) async {
        if let task = tasks[claimed.job.flow] {
            await run(task, claimed)
            return
        }
        // A task of a newer instance this one does not know: left to one that does.
        guard !claimed.job.flow.contains(".") else {
            try? await store.retry(claimed.id, fence: claimed.fence, after: timing.lease)
            return
        }
        let input = SystemInput(claimed)
        let outcome: FlowJobOutcome
        do {
            switch try await sequencer.submit(Inbound(input), payload: input.payload) {
            case .processed, .rateLimited:
                outcome = .fired
                BotMetrics.jobsFired.increment()
            case .duplicate:
                outcome = .duplicate
            case .blocked:
                outcome = .blocked
                BotMetrics.jobsSkippedBlocked.increment()
            }
        } catch {
            BotMetrics.jobsRetried.increment()
            logger.warning("a due job could not reach its chat; it is tried again", metadata: [
                "job": "\(claimed.id)", "error": "\(type(of: error))",
            ])
            try? await store.retry(claimed.id, fence: claimed.fence, after: timing.retry)
            return
        }
        do {
            // A stale fence means another instance claimed it after our lease ran out; its
            // submission is a duplicate, and it finishes the job.
            try await store.finish(claimed.id, fence: claimed.fence, outcome: outcome)
        } catch {
            // The chat has it (done mark): the next claim after the lease finds it a duplicate.
            logger.warning("a fired job could not be marked done; its next claim will", metadata: ["job": "\(claimed.id)"])
        }
    }

    private func sleep(_ duration: Duration) async {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }
}
