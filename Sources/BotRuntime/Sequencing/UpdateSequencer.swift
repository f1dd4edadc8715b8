import ClinicPostgres
import FlowEngine
import Foundation
import Logging

/// What became of a submitted update.
public enum Submission: Sendable, Equatable {
    /// Handled now, by this call or by another request or instance that held the chat.
    case processed
    /// Seen before (Telegram redelivered it, or it was posted twice): not handled again.
    case duplicate
    /// Over the person's limit: answered with a friendly word, not handled.
    case rateLimited
    /// A system input for a chat whose person blocked the bot: not handled, nothing sent.
    case blocked
}

/// Gets each input handled exactly once, and a chat's inputs one at a time in order, with the
/// session loaded before and stored after. In memory for one instance; in Redis for many.
/// Telegram updates and the bot's own inputs (`SystemInput`) take the same way.
public protocol UpdateSequencer: Sendable {
    /// `payload`: the update's JSON, or `SystemInput.payload`.
    func submit(_ inbound: Inbound, payload: [UInt8]) async throws -> Submission
    /// Whether the sessions' storage answers (for /readyz).
    func ping() async throws
    /// The person blocked the bot: system inputs for the chat are skipped until they write again.
    func markBlocked(chat: Int64) async throws
}

/// What the sequencer does with an update once it holds the chat.
public struct UpdateWork: Sendable {
    /// Through the engine. Throws `StorageUnavailable` when it must be redelivered; any other
    /// error marks a poison update, which is acknowledged so the chat does not stay stuck.
    public let process: @Sendable (Inbound, Session?) async throws -> Processed
    public let tooFast: @Sendable (Inbound, Session?) -> Processed
    /// Sends the replies, after the session is stored.
    public let deliver: @Sendable (Processed) -> Void
    /// Where the flows that went to sleep are stored, before the session: durably, or the input
    /// is not handled (it throws, and the input is redelivered). nil: sleeping flows are dropped.
    public let jobs: (any FlowJobStore)?
    public let logger: Logger

    public init(
        process: @escaping @Sendable (Inbound, Session?) async throws -> Processed,
        tooFast: @escaping @Sendable (Inbound, Session?) -> Processed,
        deliver: @escaping @Sendable (Processed) -> Void,
        jobs: (any FlowJobStore)? = nil,
        logger: Logger
    ) {
        self.process = process
        self.tooFast = tooFast
        self.deliver = deliver
        self.jobs = jobs
        self.logger = logger
    }

    public init(handler: UpdateHandler, deliver: @escaping @Sendable (Processed) -> Void,
                jobs: (any FlowJobStore)? = nil, logger: Logger) {
        self.init(
            process: { try await handler.handle($0, session: $1) },
            tooFast: { handler.tooFast(chat: $0.chat, session: $1) },
            deliver: deliver, jobs: jobs, logger: logger)
    }

    /// Runs `process`; a poison update becomes "nothing to store, nothing to say". Flows that
    /// went to sleep are stored before this returns, so before the session is.
    func run(_ inbound: Inbound, _ session: Session?) async throws -> Processed {
        let started = ContinuousClock.now
        defer { BotMetrics.recordLatency(since: started) }
        let processed: Processed
        do {
            processed = try await process(inbound, session)
        } catch let error as StorageUnavailable {
            BotMetrics.unavailable.increment()
            throw error
        } catch {
            BotMetrics.poison.increment()
            logger.error("input could not be handled; acknowledged so the chat goes on", metadata: [
                "input": "\(inbound.label)", "error": "\(type(of: error))",
            ])
            return Processed(session: nil, calls: [], chat: inbound.chat)
        }
        if !processed.jobs.isEmpty, let store = jobs {
            let sleeping = Self.jobs(processed.jobs, from: inbound)
            do {
                try await store.schedule(sleeping)
                BotMetrics.jobsScheduled.increment(by: sleeping.count)
            } catch {
                BotMetrics.unavailable.increment()
                throw StorageUnavailable("sleeping flows could not be stored: \(type(of: error))")
            }
        }
        return processed
    }

    /// The durable form of the flows one input put to sleep: each named by the input and its
    /// place, so handling the input again (a redelivery) stores nothing twice.
    static func jobs(_ jobs: [Job], from inbound: Inbound) -> [NewFlowJob] {
        jobs.enumerated().map { index, job in
            NewFlowJob(origin: "\(inbound.key)#\(index)", chat: inbound.chat, flow: job.flow, step: job.step, params: job.params,
                       due: Moment.parse(job.at) ?? Date())
        }
    }
}

/// How many updates a person may send per minute before the bot says "slow down".
public struct RateLimit: Sendable {
    public let perMinute: Int
    public init(perMinute: Int) { self.perMinute = max(1, perMinute) }
    /// The current fixed one-minute window.
    static func window(_ now: Date) -> Int64 { Int64(now.timeIntervalSince1970) / 60 }
}
