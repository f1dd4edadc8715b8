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
}

/// Gets each update handled exactly once, and a chat's updates one at a time in order, with
/// the session loaded before and stored after. In memory for one instance; in Redis for many.
public protocol UpdateSequencer: Sendable {
    func submit(_ inbound: Inbound, payload: [UInt8]) async throws -> Submission
    /// Whether the sessions' storage answers (for /readyz).
    func ping() async throws
}

/// What the sequencer does with an update once it holds the chat.
public struct UpdateWork: Sendable {
    /// Through the engine. Throws `StorageUnavailable` when it must be redelivered; any other
    /// error marks a poison update, which is acknowledged so the chat does not stay stuck.
    public let process: @Sendable (Inbound, Session?) async throws -> Processed
    public let tooFast: @Sendable (Inbound, Session?) -> Processed
    /// Sends the replies, after the session is stored.
    public let deliver: @Sendable (Processed) -> Void
    public let logger: Logger

    public init(
        process: @escaping @Sendable (Inbound, Session?) async throws -> Processed,
        tooFast: @escaping @Sendable (Inbound, Session?) -> Processed,
        deliver: @escaping @Sendable (Processed) -> Void,
        logger: Logger
    ) {
        self.process = process
        self.tooFast = tooFast
        self.deliver = deliver
        self.logger = logger
    }

    public init(handler: UpdateHandler, deliver: @escaping @Sendable (Processed) -> Void, logger: Logger) {
        self.init(
            process: { try await handler.handle($0, session: $1) },
            tooFast: { handler.tooFast(chat: $0.chat, session: $1) },
            deliver: deliver, logger: logger)
    }

    /// Runs `process`; a poison update becomes "nothing to store, nothing to say".
    func run(_ inbound: Inbound, _ session: Session?) async throws -> Processed {
        let started = ContinuousClock.now
        defer { BotMetrics.recordLatency(since: started) }
        do {
            return try await process(inbound, session)
        } catch let error as StorageUnavailable {
            BotMetrics.unavailable.increment()
            throw error
        } catch {
            BotMetrics.poison.increment()
            logger.error("update could not be handled; acknowledged so the chat goes on", metadata: [
                "update_id": "\(inbound.updateID)", "error": "\(type(of: error))",
            ])
            return Processed(session: nil, calls: [], chat: inbound.chat)
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
