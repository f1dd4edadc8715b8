/// Why a Bot API call failed, sorted by what the caller should do about it. The associated
/// strings are Telegram's descriptions (or a network error's), never the request URL: the URL
/// holds the bot token.
public enum BotAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 403: the person blocked the bot or deleted their account. Never retried: sending again
    /// cannot succeed and only counts against the bot.
    case blocked(String)
    /// 400 (and other 4xx that are not about the token): the call itself is wrong.
    case badRequest(String)
    /// 401 or 404: Telegram does not know the token (a wrong TELEGRAM_BOT_TOKEN).
    case unauthorized
    /// 429 whose `retry_after` exceeds the policy's `maxRetryAfter`, or still 429 after every attempt.
    case rateLimited(retryAfter: Int)
    /// 5xx, connection errors and timeouts, after every attempt.
    case unavailable(String)
    /// An answer that is not the Bot API's JSON, or `ok: false` without an error code.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .blocked(let text): return "blocked by the recipient: \(text)"
        case .badRequest(let text): return "bad request: \(text)"
        case .unauthorized: return "unauthorized: Telegram rejects the bot token"
        case .rateLimited(let seconds): return "rate limited: retry after \(seconds) s"
        case .unavailable(let text): return "Bot API unavailable: \(text)"
        case .invalidResponse(let text): return "invalid Bot API response: \(text)"
        }
    }

    /// The message to edit is gone or too old (48 h for bots), or was never the bot's: the
    /// outbox then sends the text as a new message so the person still sees it.
    public var cannotEdit: Bool {
        guard case .badRequest(let text) = self else { return false }
        let lower = text.lowercased()
        return lower.contains("message can't be edited") || lower.contains("message to edit not found")
    }

    /// An edit that changes nothing: Telegram refuses it, but the chat already shows what was
    /// asked for, so it counts as success.
    public var isNotModified: Bool {
        guard case .badRequest(let text) = self else { return false }
        return text.lowercased().contains("message is not modified")
    }
}
