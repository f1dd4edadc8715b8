import Foundation
import Logging
import Metrics

/// Delivers the bot's replies: one queue per chat, drained by one task at a time so a chat sees
/// its messages in the order they were written, while chats go on independently of each other.
/// Messages wait their turn at the `OutboundLimiter`; failures are dealt with here so the
/// conversation code never waits on Telegram.
public final class Outbox: Sendable {
    private let client: BotAPIClient
    private let limiter: OutboundLimiter
    private let logger: Logger
    private let onBlocked: @Sendable (Int64) async -> Void
    private let queues = ChatQueues()

    /// - Parameter onBlocked: called once when a chat turns out to have blocked the bot (for
    ///   instance to stop its reminders); the rest of that chat's queue is dropped.
    public init(client: BotAPIClient, limiter: OutboundLimiter, logger: Logger = Logger(label: "clinic-bot.outbox"),
                onBlocked: @escaping @Sendable (Int64) async -> Void = { _ in }) {
        self.client = client
        self.limiter = limiter
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
        do {
            countDelivered(call, try await client.perform(call))
        } catch {
            logger.warning("Bot API call failed", metadata: ["method": "\(call.method)", "error": "\(error)"])
            if case BotAPIError.blocked = error, let chat = call.chatId { await onBlocked(chat) }
        }
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
            if await deliver(call, chat: chat) == .blocked {
                let dropped = queues.dropAll(chat: chat)
                logger.info("chat blocked the bot: its queue is dropped", metadata: ["chat": "\(chat)", "dropped": "\(dropped)"])
                await onBlocked(chat)
            }
        }
    }

    private enum Delivery { case done, blocked }

    private func deliver(_ call: BotCall, chat: Int64) async -> Delivery {
        do {
            try await send(call, chat: chat)
        } catch let error as BotAPIError {
            if case .blocked = error { return .blocked }
            if error.cannotEdit, case .editMessageText(let edit) = call {
                // The message is too old or gone: the person must still see the text, so it
                // comes as a new message with the same buttons.
                logger.info("message cannot be edited: sending it anew", metadata: ["chat": "\(chat)"])
                let resend = BotCall.sendMessage(SendMessage(chatId: edit.chatId, text: edit.text, parseMode: edit.parseMode,
                                                             replyMarkup: edit.replyMarkup.map(ReplyMarkup.inline)))
                return await deliver(resend, chat: chat)
            }
            logger.warning("Bot API call failed", metadata: ["method": "\(call.method)", "chat": "\(chat)", "error": "\(error)"])
        } catch {
            logger.warning("Bot API call failed", metadata: ["method": "\(call.method)", "chat": "\(chat)", "error": "\(error)"])
        }
        return .done
    }

    private func send(_ call: BotCall, chat: Int64) async throws {
        if call.postsMessage { await limiter.waitTurn(chat: chat) }
        countDelivered(call, try await client.perform(call))
    }

    /// `bot_replies_sent_total`: texts and documents that reached the chat. An edit that
    /// changed nothing (`sent == nil`) brought nothing new.
    private func countDelivered(_ call: BotCall, _ sent: SentMessage?) {
        switch call {
        case .sendMessage, .sendDocument: Counter(label: "bot_replies_sent_total").increment()
        case .editMessageText where sent != nil: Counter(label: "bot_replies_sent_total").increment()
        default: break
        }
    }
}
