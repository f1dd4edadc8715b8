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
    /// Jobs (sleeping flows, reminders) that came due and reached their chat.
    static let jobsFired = Counter(label: "bot_jobs_fired_total")
    /// Jobs not run because the person blocked the bot.
    static let jobsSkippedBlocked = Counter(label: "bot_jobs_skipped_blocked_total")
    /// Jobs whose chat could not be reached (storage down); they are tried again.
    static let jobsRetried = Counter(label: "bot_jobs_retried_total")
    /// Alerts sent to the staff chat (low ratings).
    static let staffAlerts = Counter(label: "bot_staff_alerts_sent_total")
    /// Flows that went to sleep and were stored to wake later.
    static let jobsScheduled = Counter(label: "bot_jobs_scheduled_total")

    static func recordLatency(since start: ContinuousClock.Instant) {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        latency.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
