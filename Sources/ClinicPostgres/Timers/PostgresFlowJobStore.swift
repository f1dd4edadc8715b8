import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// `FlowJobStore` on the `flow_jobs` table (see `FlowJobSchema` for the claiming rules).
public struct PostgresFlowJobStore: FlowJobStore {
    let client: PostgresClient
    let logger: Logger
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    public init(client: PostgresClient, logger: Logger = Logger(label: "clinic-bot.jobs")) {
        self.client = client
        self.logger = logger
    }

    public func schedule(_ jobs: [NewFlowJob]) async throws {
        guard !jobs.isEmpty else { return }
        // One statement for the whole batch: arrays in, rows out through unnest.
        let origins = jobs.map(\.origin), chats = jobs.map(\.chat), flows = jobs.map(\.flow)
        let steps = jobs.map { $0.step ?? "" }
        let params = try jobs.map { String(decoding: try Self.encoder.encode($0.params), as: UTF8.self) }
        let dues = jobs.map(\.due)
        try await client.query("""
            INSERT INTO flow_jobs (origin, chat_id, flow, step, params, due_at)
            SELECT o, c, f, NULLIF(s, ''), p::jsonb, d
            FROM unnest(\(origins)::text[], \(chats)::int8[], \(flows)::text[], \(steps)::text[], \(params)::text[], \(dues)::timestamptz[])
                AS t(o, c, f, s, p, d)
            ON CONFLICT (origin) DO NOTHING
            """, logger: logger)
    }

    public func claimDue(limit: Int, lease: Duration) async throws -> [ClaimedFlowJob] {
        let leaseMilliseconds = Int(lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000)
        let rows = try await client.query("""
            UPDATE flow_jobs j
            SET lease_until = now() + \(leaseMilliseconds) * interval '1 millisecond', fence = j.fence + 1, attempts = j.attempts + 1
            FROM (
                SELECT id FROM flow_jobs
                WHERE state = 'pending' AND due_at <= now() AND (lease_until IS NULL OR lease_until <= now())
                ORDER BY due_at
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ) due
            WHERE j.id = due.id
            RETURNING j.id, j.fence, j.attempts, j.origin, j.chat_id, j.flow, j.step, j.params::text, j.due_at
            """, logger: logger)
        var claimed: [ClaimedFlowJob] = []
        for try await (id, fence, attempts, origin, chat, flow, step, params, due)
            in rows.decode((Int64, Int64, Int, String, Int64, String, String?, String, Date).self) {
            let decoded = (try? JSONDecoder().decode([String: Value].self, from: Data(params.utf8))) ?? [:]
            claimed.append(ClaimedFlowJob(id: id, fence: fence, attempts: attempts,
                                          job: NewFlowJob(origin: origin, chat: chat, flow: flow, step: step, params: decoded, due: due)))
        }
        return claimed.sorted { $0.job.due < $1.job.due }
    }

    @discardableResult
    public func finish(_ id: Int64, fence: Int64, outcome: FlowJobOutcome) async throws -> Bool {
        let state = outcome == .blocked ? "skipped" : "done"
        let rows = try await client.query("""
            UPDATE flow_jobs SET state = \(state), outcome = \(outcome.rawValue), finished_at = now(), lease_until = NULL
            WHERE id = \(id) AND fence = \(fence) AND state = 'pending'
            RETURNING id
            """, logger: logger)
        return try await !rows.collect().isEmpty
    }

    public func retry(_ id: Int64, fence: Int64, after delay: Duration) async throws {
        let milliseconds = Int(delay.components.seconds * 1000)
        try await client.query("""
            UPDATE flow_jobs SET lease_until = now() + \(milliseconds) * interval '1 millisecond'
            WHERE id = \(id) AND fence = \(fence) AND state = 'pending'
            """, logger: logger)
    }

    /// Deletes finished jobs older than `age`: the table holds what is pending and a month of
    /// history, not every reminder ever sent.
    @discardableResult
    public func prune(olderThan age: Duration) async throws -> Int {
        let seconds = Int(age.components.seconds)
        let rows = try await client.query("""
            DELETE FROM flow_jobs WHERE state <> 'pending' AND finished_at < now() - \(seconds) * interval '1 second' RETURNING id
            """, logger: logger)
        return try await rows.collect().count
    }
}
