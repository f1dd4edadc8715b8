import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// Turns upcoming appointments into jobs, one per plan entry: whichever way the appointment was
/// made (the bot, the registry desk through the API), as long as its patient has Telegram.
///
/// A pass reads the appointments near enough to matter (starting within `horizon`, or ended
/// lately enough for an after-visit entry) in one query, computes every entry's moment in Swift
/// (quiet hours included) and stores the jobs in one statement. A job is named by the
/// appointment, the entry and the start it was planned for, so passes repeat nothing, and a
/// moved appointment gets jobs for its new time; the jobs planned for a time it no longer has,
/// or for a cancelled visit, are skipped in one more statement. The flow itself checks the
/// appointment again when it runs (`appointment.current`).
public struct ReminderPlanner: Sendable {
    let client: PostgresClient
    let jobs: PostgresFlowJobStore
    let moments: Moments
    /// Appointments starting within this are planned.
    let horizon: TimeInterval
    let logger: Logger

    public init(client: PostgresClient, quiet: QuietHours, horizon: TimeInterval = 2 * 86_400, grace: TimeInterval = 600,
                logger: Logger = Logger(label: "clinic-bot.planner")) {
        self.client = client
        self.jobs = PostgresFlowJobStore(client: client, logger: logger)
        self.moments = Moments(quiet: quiet, grace: grace)
        self.horizon = horizon
        self.logger = logger
    }

    /// What one pass did.
    public struct Pass: Sendable, Equatable {
        public var appointments = 0
        /// Jobs offered to the store (those planned by an earlier pass are not stored again).
        public var planned = 0
        /// Pending jobs dropped because their appointment moved or was cancelled.
        public var dropped = 0
        public init() {}
    }

    /// An appointment as the planner needs it.
    public struct Visit: Sendable, Hashable {
        public let id: Int64
        public let chat: Int64
        public let start: Date
        public let end: Date
        /// The patient's language, "ru" or "kk".
        public var language = "ru"
    }

    @discardableResult
    public func pass(_ plans: [ReminderPlan], now: Date = Date()) async throws -> Pass {
        var pass = Pass()
        pass.dropped = try await dropChanged()
        let entries = plans.flatMap(\.entries)
        guard !entries.isEmpty else { return pass }
        let visits = try await upcoming(now: now)
        pass.appointments = visits.count
        let planned = visits.flatMap { moments.jobs(for: $0, entries: entries, now: now) }
        pass.planned = planned.count
        for batch in stride(from: 0, to: planned.count, by: 5_000) {
            try await jobs.schedule(Array(planned[batch..<min(batch + 5_000, planned.count)]))
        }
        return pass
    }

    /// "plan:<appointment>:<entry>:<start, Unix seconds>": a moved appointment's jobs are new.
    static func origin(_ visit: Visit, _ entry: ReminderPlan.Entry) -> String {
        "plan:\(visit.id):\(entry.name.value):\(Int64(visit.start.timeIntervalSince1970))"
    }

    func upcoming(now: Date) async throws -> [Visit] {
        // starts_at bounds the index scan (appointments_reminders_idx); a visit lasts hours at most.
        let rows = try await client.query("""
            SELECT a.id, l.telegram_user_id, a.starts_at, a.ends_at, l.language
            FROM appointments a
            JOIN patient_telegram_links l ON l.patient_id = a.patient_id AND l.is_active
            WHERE a.status IN ('booked', 'confirmed')
              AND a.starts_at > \(now.addingTimeInterval(-2 * 86_400)) AND a.starts_at < \(now.addingTimeInterval(horizon))
              AND a.ends_at > \(now.addingTimeInterval(-86_400))
            """, logger: logger)
        var visits: [Visit] = []
        for try await (id, chat, start, end, language) in rows.decode((Int64, Int64, Date, Date, String).self) {
            visits.append(Visit(id: id, chat: chat, start: start, end: end, language: language))
        }
        return visits
    }

    /// Skips pending planned jobs whose appointment was cancelled, marked a no-show, or moved.
    func dropChanged() async throws -> Int {
        let rows = try await client.query("""
            UPDATE flow_jobs j SET state = 'skipped', outcome = 'changed', finished_at = now(), lease_until = NULL
            FROM appointments a
            WHERE j.state = 'pending' AND j.origin LIKE 'plan:%'
              AND a.id = (j.params->>'appointment_id')::bigint
              AND (a.status IN ('cancelled', 'no_show') OR a.starts_at <> (j.params->>'start')::timestamptz)
            RETURNING j.id
            """, logger: logger)
        return try await rows.collect().count
    }
}

extension ReminderPlanner {
    /// When each entry of a plan goes for one appointment: pure, so it is tested without a
    /// database.
    public struct Moments: Sendable {
        let quiet: QuietHours
        /// A planned moment this far in the past is still sent (a pass may come a little late);
        /// an older one is not: a reminder for a visit booked an hour ago is pointless.
        let grace: TimeInterval

        public init(quiet: QuietHours, grace: TimeInterval) {
            self.quiet = quiet
            self.grace = grace
        }

        /// The jobs of one appointment: each entry's moment, moved or dropped by the quiet
        /// hours, and dropped when it is long past.
        public func jobs(for visit: Visit, entries: [ReminderPlan.Entry], now: Date) -> [NewFlowJob] {
            let params: [String: Value] = [
                "appointment_id": .int(Int(visit.id)), "start": .string(Moment.format(visit.start)), "end": .string(Moment.format(visit.end)),
                "language": .string(visit.language),
            ]
            return entries.compactMap { entry -> NewFlowJob? in
                let anchor = entry.moment.anchor == .start ? visit.start : visit.end
                let planned = anchor.addingTimeInterval(TimeInterval(entry.moment.offsetSeconds))
                guard let due = quiet.adjust(planned, rule: entry.quiet, visit: visit.start), due > now.addingTimeInterval(-grace) else { return nil }
                return NewFlowJob(origin: ReminderPlanner.origin(visit, entry), chat: visit.chat, flow: entry.flow.value, step: nil,
                                  params: params, due: due)
            }
        }
    }
}
