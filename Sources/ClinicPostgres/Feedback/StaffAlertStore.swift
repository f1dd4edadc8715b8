import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// Alerts for the clinic's staff chat (a low rating), waiting in `staff_alerts` to be sent.
public struct StaffAlertStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger = Logger(label: "clinic-bot.staff-alerts")) {
        self.client = client
        self.logger = logger
    }

    public struct Alert: Sendable, Hashable {
        public let id: Int64
        public let kind: String
        /// The values its text is filled with (ids, codes, names of staff; no patient data).
        public let details: [String: Value]
    }

    /// Hands the pending alerts, oldest first, to `send`, marking each sent once `send` returns.
    /// The rows stay locked meanwhile, so several instances never send one alert twice; a send
    /// that throws stops the batch, and that alert and the rest wait for the next call.
    @discardableResult
    public func sendPending(limit: Int = 20, _ send: @Sendable (Alert) async throws -> Void) async throws -> Int {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    SELECT id, kind, details::text FROM staff_alerts WHERE sent_at IS NULL ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    """, logger: logger).collect()
                var sent = 0
                for row in rows {
                    let (id, kind, json) = try row.decode((Int64, String, String).self)
                    let details = (try? JSONDecoder().decode([String: Value].self, from: Data(json.utf8))) ?? [:]
                    do {
                        try await send(Alert(id: id, kind: kind, details: details))
                    } catch {
                        logger.warning("a staff alert could not be sent; it waits for the next try", metadata: ["alert": "\(id)"])
                        break
                    }
                    try await connection.query("UPDATE staff_alerts SET sent_at = now() WHERE id = \(id)", logger: logger)
                    sent += 1
                }
                return sent
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }
}
