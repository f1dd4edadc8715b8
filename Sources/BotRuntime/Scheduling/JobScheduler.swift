import Actions
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
    let logger: Logger

    public init(store: any FlowJobStore, sequencer: any UpdateSequencer, timing: Timing = Timing(), backlog: @escaping Backlog = { 0 },
                logger: Logger) {
        self.store = store
        self.sequencer = sequencer
        self.timing = timing
        self.backlog = backlog
        self.logger = logger
    }

    public func run() async throws {
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

    func fire(_ claimed: ClaimedFlowJob) async {
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
