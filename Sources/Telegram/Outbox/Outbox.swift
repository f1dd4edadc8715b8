import Foundation
import Logging

/// Delivers the bot's replies: one queue per chat, drained by one task at a time so a chat sees
/// its messages in the order they were written, while chats go on independently of each other.
/// Messages wait their turn at the `OutboundLimiter`; failures are dealt with here so the
/// conversation code never waits on Telegram. In memory: what is queued dies with the process
/// (the durable outbox in `BotRuntime` keeps replies through a crash).
public final class Outbox: Sendable {
    public let sender: CallSender
    private let logger: Logger
    private let onBlocked: @Sendable (Int64) async -> Void
    private let queues = ChatQueues()

    /// - Parameter onBlocked: called once when a chat turns out to have blocked the bot (for
    ///   instance to stop its reminders); the rest of that chat's queue is dropped.
    public init(client: BotAPIClient, limiter: OutboundLimiter, logger: Logger = Logger(label: "clinic-bot.outbox"),
                onBlocked: @escaping @Sendable (Int64) async -> Void = { _ in }) {
        self.sender = CallSender(client: client, limiter: limiter, logger: logger)
        self.logger = logger
        self.onBlocked = onBlocked
    }

    /// Queues `calls` for `chat` and returns at once. Starts a task to drain the chat's queue
    /// unless one is already at it.
    public func enqueue(_ calls: [BotCall], chat: Int64) {
        guard !calls.isEmpty, queues.append(calls, chat: chat) else { return }
        Task { await self.drain(chat) }
    }

    /// Sends `call` now, past the queue and the limiter: a callback query must be answered
    /// within seconds, before any slow work. Errors are logged, never thrown; a chat that
    /// blocked the bot is reported to `onBlocked` as from the queue.
    public func sendNow(_ call: BotCall) async {
        if await sender.sendNow(call) == .blocked, let chat = call.chatId { await onBlocked(chat) }
    }

    /// Returns when every queue has been drained, whatever was enqueued meanwhile included:
    /// for graceful shutdown (stop enqueueing first) and tests.
    public func flush() async {
        await queues.waitUntilIdle()
    }

    /// Calls waiting in the queues (not yet taken for sending).
    public var pending: Int { queues.pending }

    private func drain(_ chat: Int64) async {
        while let call = queues.next(chat: chat) {
            if await sender.deliver(call, chat: chat) == .blocked {
                let dropped = queues.dropAll(chat: chat)
                logger.info("chat blocked the bot: its queue is dropped", metadata: ["chat": "\(chat)", "dropped": "\(dropped)"])
                await onBlocked(chat)
            }
        }
    }
}
