import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// Writes audit rows. A change and its audit row go into the same transaction, so the
/// trail can neither miss a change nor record one that was rolled back.
public enum AuditLog {
    /// Inserts `entry` on `connection`, inside the caller's transaction.
    public static func record(_ entry: AuditEntry, on connection: PostgresConnection, logger: Logger) async throws {
        let details = try detailsJSON(entry.details)
        try await connection.query("""
            INSERT INTO bot_audit (actor, action, object_type, object_id, details)
            VALUES (\(entry.actor.text), \(entry.action), \(entry.objectType), \(entry.objectID), \(details)::jsonb)
            """, logger: logger)
    }

    static func detailsJSON(_ details: [String: Value]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(details), as: UTF8.self)
    }
}
