import ClinicPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// The PostgreSQL the project's test command starts (`scripts/lib/postgres.sh`), or none.
public enum TestDatabase {
    public static let url: String? = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    public static var isAvailable: Bool { url != nil }
    public static let unavailable: Comment =
        "TEST_DATABASE_URL is not set: start PostgreSQL with pg_start from scripts/lib/postgres.sh and export its DATABASE_URL as TEST_DATABASE_URL"

    public static func configuration() throws -> PostgresClient.Configuration {
        try DatabaseURL(url ?? "").clientConfiguration
    }

    /// Runs `body` against the shared test database, migrated.
    public static func withMigrated<Result: Sendable>(_ body: (PostgresClient) async throws -> Result) async throws -> Result {
        try await withDatabase(configuration: configuration()) { client in
            try await Migrator(client: client).migrate()
            return try await body(client)
        }
    }

    /// Runs `body` in a schema of its own (empty, first on the search path), dropped afterwards:
    /// for tests of the migrations themselves.
    public static func withEmptySchema<Result: Sendable>(_ body: (PostgresClient) async throws -> Result) async throws -> Result {
        let schema = "test_\(UInt64.random(in: 0...UInt64.max))"
        try await withDatabase(configuration: configuration()) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema)"))
        }
        var configuration = try configuration()
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        do {
            let result = try await withDatabase(configuration: configuration, body)
            try await dropSchema(schema)
            return result
        } catch {
            try? await dropSchema(schema)
            throw error
        }
    }

    private static func dropSchema(_ schema: String) async throws {
        try await withDatabase(configuration: configuration()) { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema) CASCADE"))
        }
    }
}
