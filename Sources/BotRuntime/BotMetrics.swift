import Metrics

/// The bot's metrics (exported at /metrics through the Prometheus backend the server installs).
enum BotMetrics {
    static func updates(_ kind: Inbound.Kind) {
        Counter(label: "bot_updates_total", dimensions: [("type", kind.rawValue)]).increment()
    }
    static let ignored = Counter(label: "bot_updates_ignored_total")
    static let duplicates = Counter(label: "bot_updates_duplicate_total")
    static let rateLimited = Counter(label: "bot_updates_rate_limited_total")
    /// Updates that failed in a way redelivery cannot fix: acknowledged so the chat is not stuck.
    static let poison = Counter(label: "bot_updates_poison_total")
    static let unavailable = Counter(label: "bot_updates_unavailable_total")
    static let latency = Timer(label: "bot_update_duration_seconds", preferredDisplayUnit: .seconds)
    static let activeUsers = Gauge(label: "bot_active_users")
    static let flowReloads = Counter(label: "bot_flow_reloads_total")
    static let flowReloadFailures = Counter(label: "bot_flow_reload_failures_total")
    /// People who blocked the bot; the outbox drops their chat's queued replies.
    static let blocked = Counter(label: "bot_blocked_chats_total")

    static func recordLatency(since start: ContinuousClock.Instant) {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        latency.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
