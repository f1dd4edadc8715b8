import Logging
import PostgresNIO

/// Brings a database's schema up to date with `Migrations.all`.
///
/// Each pending migration runs in its own transaction together with its row in
/// `schema_migrations`, so a failed migration leaves no half-applied schema. Every transaction
/// first takes a transaction-scoped advisory lock: two instances starting together queue up,
/// and the second finds the work done.
public struct Migrator: Sendable {
    /// The advisory lock key; any constant works as long as every instance uses the same one.
    static let lockKey: Int64 = 0x636C_696E_6963_6462  // "clinicdb"

    let client: PostgresClient
    let migrations: [Migration]
    let logger: Logger

    public init(client: PostgresClient, migrations: [Migration] = Migrations.all, logger: Logger = Logger(label: "clinic-bot.migrations")) {
        self.client = client
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies the pending migrations and returns the versions it applied (empty when the
    /// schema was already current).
    @discardableResult
    public func migrate() async throws -> [Int] {
        try checkOrder()
        let applied = try await appliedChecksums()
        for migration in migrations {
            if let checksum = applied[migration.version], checksum != migration.checksum {
                logger.warning("an applied migration's SQL has changed since", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
        var appliedNow: [Int] = []
        for migration in migrations where applied[migration.version] == nil {
            if try await apply(migration) {
                appliedNow.append(migration.version)
                logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
        return appliedNow
    }

    /// The versions recorded in `schema_migrations`, ascending.
    public func appliedVersions() async throws -> [Int] {
        try await appliedChecksums().keys.sorted()
    }

    private func checkOrder() throws {
        for (previous, next) in zip(migrations, migrations.dropFirst()) where next.version <= previous.version {
            throw MigrationError.versionsNotIncreasing(after: previous.version, got: next.version)
        }
    }

    private func appliedChecksums() async throws -> [Int: String] {
        try await client.withTransaction(logger: logger) { connection in
            try await Self.lockAndPrepare(connection, logger: logger)
            var result: [Int: String] = [:]
            let rows = try await connection.query("SELECT version, checksum FROM schema_migrations", logger: logger)
            for try await (version, checksum) in rows.decode((Int, String).self) { result[version] = checksum }
            return result
        }
    }

    /// Applies `migration` unless another instance did while this one waited for the lock.
    private func apply(_ migration: Migration) async throws -> Bool {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await Self.lockAndPrepare(connection, logger: logger)
                let done = try await connection.query(
                    "SELECT 1 FROM schema_migrations WHERE version = \(migration.version)", logger: logger)
                if try await !done.collect().isEmpty { return false }
                for (index, statement) in SQLScript.statements(in: migration.sql).enumerated() {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    } catch {
                        throw MigrationError.failed(
                            version: migration.version, name: migration.name, statement: index + 1,
                            reason: LoggableError.describe(error))
                    }
                }
                try await connection.query("""
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """, logger: logger)
                return true
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    private static func lockAndPrepare(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     bigint PRIMARY KEY,
                name        text NOT NULL,
                checksum    text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """, logger: logger)
    }
}
