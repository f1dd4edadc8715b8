/// How hard the client tries before giving up on one Bot API call.
///
/// Telegram asks for patience in two ways: a 429 names the seconds to wait (`retry_after`), and
/// a 5xx or a dropped connection says nothing, so the client backs off exponentially with
/// jitter (so that many chats failing at once do not all come back in the same instant).
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first one included; 1 means no retry.
    public var attempts: Int
    /// The back-off before the second attempt; doubled for each further one.
    public var baseDelay: Duration
    /// The longest back-off between two attempts (before jitter).
    public var maxDelay: Duration
    /// The longest `retry_after` the client sleeps through; a longer one is thrown as
    /// `BotAPIError.rateLimited` so the caller decides (a person is not kept waiting minutes).
    public var maxRetryAfter: Duration

    public init(attempts: Int, baseDelay: Duration, maxDelay: Duration, maxRetryAfter: Duration) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// 5 attempts, 0.2 s doubling up to 5 s, `retry_after` honoured up to 60 s.
    public static let standard = RetryPolicy(attempts: 5, baseDelay: .milliseconds(200), maxDelay: .seconds(5), maxRetryAfter: .seconds(60))

    /// One attempt: for long polling, whose loop has its own back-off.
    public static let once = RetryPolicy(attempts: 1, baseDelay: .zero, maxDelay: .zero, maxRetryAfter: .zero)

    /// The pause after failed attempt number `attempt` (1-based): `baseDelay · 2^(attempt-1)`
    /// capped at `maxDelay`, then "equal jitter": half of it fixed, half random. The fixed half
    /// keeps a floor under the pause, the random half spreads simultaneous retries apart.
    public func backoff(after attempt: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(1, attempt) {
            delay *= 2
            if delay >= maxDelay { break }
        }
        delay = min(delay, maxDelay)
        let half = delay / 2
        return half + half * Double.random(in: 0...1)
    }
}
