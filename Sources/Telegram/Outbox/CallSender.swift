import Foundation
import Logging
import Metrics

/// Sends one call the way a chat's queue needs it sent: at its turn under Telegram's limits,
/// an edit that can no longer be made sent as a new message, failures logged rather than
/// thrown (the conversation has moved on), and a chat that blocked the bot reported.
/// Shared by the in-memory `Outbox` and the durable outbox, so both send alike.
public struct CallSender: Sendable {
    public let client: BotAPIClient
    public let limiter: OutboundLimiter
    let logger: Logger

    public enum Delivery: Sendable, Equatable {
        /// Sent, or failed in a way sending again would not fix.
        case done
        /// The person blocked the bot (403): nothing more should go to this chat.
        case blocked
        /// Not sent: the caller stopped wanting it while it waited its turn, or its task was
        /// cancelled in the middle of the call (then it may have arrived).
        case notSent
        /// Telegram could not be reached or kept refusing (5xx, network, 429 past the pauses
        /// allowed) after the client's own retries: worth sending again later. A durable outbox
        /// does; the in-memory one gives up, as before.
        case retry
    }

    /// How often a message refused with 429 is tried again, each time after the pause
    /// Telegram asked for and a new turn at the limiter.
    let rateLimitAttempts: Int
    /// The longest pause a 429 may ask for before the message is given up.
    let longestPause: Duration

    /// - Parameter client: its retry policy is kept for 5xx and network errors; a 429 comes
    ///   back here instead, to pause every chat at the limiter rather than one call.
    public init(client: BotAPIClient, limiter: OutboundLimiter, logger: Logger) {
        let policy = client.retryPolicy
        self.client = client.retrying(RetryPolicy(attempts: policy.attempts, baseDelay: policy.baseDelay, maxDelay: policy.maxDelay,
                                                  maxRetryAfter: .zero))
        self.rateLimitAttempts = policy.attempts
        self.longestPause = policy.maxRetryAfter
        self.limiter = limiter
        self.logger = logger
    }

    /// - Parameter wanted: asked once the call's turn has come, before it is made: false
    ///   (shutting down) leaves it unsent.
    public func deliver(_ call: BotCall, chat: Int64, wanted: @Sendable () -> Bool = { true }) async -> Delivery {
        do {
            var attempt = 0
            while true {
                attempt += 1
                if call.postsMessage { await limiter.waitTurn(chat: chat) }
                if Task.isCancelled || !wanted() { return .notSent }
                do {
                    countDelivered(call, try await client.perform(call))
                    break
                } catch BotAPIError.rateLimited(let seconds) where attempt < rateLimitAttempts && .seconds(seconds) <= longestPause {
                    // Over Telegram's limit: everyone waits, then this message takes a new turn.
                    await limiter.pause(for: .seconds(max(seconds, 1)))
                }
            }
        } catch let error as BotAPIError {
            if case .blocked = error { return .blocked }
            if error.cannotEdit, case .editMessageText(let edit) = call {
                // The message is too old or gone: the person must still see the text, so it
                // comes as a new message with the same buttons.
                logger.info("message cannot be edited: sending it anew", metadata: ["chat": "\(chat)"])
                let resend = BotCall.sendMessage(SendMessage(chatId: edit.chatId, text: edit.text, parseMode: edit.parseMode,
                                                             replyMarkup: edit.replyMarkup.map(ReplyMarkup.inline)))
                return await deliver(resend, chat: chat, wanted: wanted)
            }
            logger.warning("Bot API call failed", metadata: ["method": "\(call.method)", "chat": "\(chat)", "error": "\(error)"])
            switch error {
            case .unavailable, .rateLimited, .invalidResponse: return .retry
            default: break
            }
        } catch {
            // Cancelled in the middle of the call: whether Telegram got it is unknown, and a
            // durable outbox keeps it (sending it again risks one duplicate, losing it does not).
            if Task.isCancelled { return .notSent }
            logger.warning("Bot API call failed", metadata: ["method": "\(call.method)", "chat": "\(chat)", "error": "\(error)"])
            return .retry
        }
        return .done
    }

    /// Past the limiter: a callback query must be answered within seconds, before any slow work.
    public func sendNow(_ call: BotCall) async -> Delivery {
        do {
            countDelivered(call, try await client.perform(call))
        } catch {
            logger.warning("Bot API call failed", metadata: ["method": "\(call.method)", "error": "\(error)"])
            if case BotAPIError.blocked = error { return .blocked }
        }
        return .done
    }

    /// `bot_replies_sent_total`: texts and documents that reached the chat. An edit that
    /// changed nothing (`sent == nil`) brought nothing new.
    private func countDelivered(_ call: BotCall, _ sent: SentMessage?) {
        switch call {
        case .sendMessage, .sendDocument, .sendInvoice: Counter(label: "bot_replies_sent_total").increment()
        case .editMessageText where sent != nil: Counter(label: "bot_replies_sent_total").increment()
        default: break
        }
    }
}
