import Crypto
import Foundation

/// One step of the schema, applied once, in `version` order, inside a transaction.
///
/// Never edit a migration that has shipped: add a new one. The migrator records a checksum of
/// the SQL and warns when an applied migration's text has changed.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Hex SHA-256 of the SQL text.
    public var checksum: String {
        Hex.encode(SHA256.hash(data: Data(sql.utf8)))
    }
}

/// Why migrations could not be applied.
public enum MigrationError: PIIFreeError, Sendable, Hashable {
    case versionsNotIncreasing(after: Int, got: Int)
    case failed(version: Int, name: String, statement: Int, reason: String)

    public var description: String {
        switch self {
        case .versionsNotIncreasing(let after, let got):
            return "migration versions must increase: \(got) follows \(after)"
        case .failed(let version, let name, let statement, let reason):
            return "migration \(version) (\(name)) failed at statement \(statement): \(reason)"
        }
    }
}
