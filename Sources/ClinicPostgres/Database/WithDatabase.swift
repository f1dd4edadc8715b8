import Logging
import PostgresNIO

/// Runs `body` with a connected `PostgresClient`, then shuts the client down.
///
/// A `PostgresClient` only leases connections while its `run()` is running, so the client runs
/// in a child task for exactly as long as `body` does. Long-running servers add the client to
/// their service group instead. Before `body` runs, a probe connection checks the database
/// answers, so a command pointed at a dead database or with a wrong password fails with a
/// clear error instead of waiting.
public func withDatabase<Result: Sendable>(
    _ url: DatabaseURL,
    logger: Logger = Logger(label: "clinic-bot.database"),
    _ body: (PostgresClient) async throws -> Result
) async throws -> Result {
    try await url.probe(logger: logger)
    return try await withDatabase(configuration: url.clientConfiguration, logger: logger, body)
}

/// `withDatabase` for a configuration adjusted by hand (a schema on the search path, pool sizes).
public func withDatabase<Result: Sendable>(
    configuration: PostgresClient.Configuration,
    logger: Logger = Logger(label: "clinic-bot.database"),
    reachableWithin timeout: Duration = .seconds(10),
    _ body: (PostgresClient) async throws -> Result
) async throws -> Result {
    // The pool logs every connection attempt it abandons at `info`, including the ones
    // cancelled by the shutdown below: noise for a command-line user.
    var background = logger
    if background.logLevel < .warning { background.logLevel = .warning }
    let client = PostgresClient(configuration: configuration, backgroundLogger: background)
    return try await withThrowingTaskGroup(of: Void.self) { group throws in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        try await client.checkReachable(within: timeout)
        return try await body(client)
    }
}

/// `withDatabase` for a `DATABASE_URL` string.
public func withDatabase<Result: Sendable>(
    url: String,
    logger: Logger = Logger(label: "clinic-bot.database"),
    _ body: (PostgresClient) async throws -> Result
) async throws -> Result {
    try await withDatabase(try DatabaseURL(url), logger: logger, body)
}

/// The database did not answer in time.
public struct DatabaseUnreachable: PIIFreeError, Sendable, CustomStringConvertible {
    public let description: String
}

extension PostgresClient {
    /// Runs `SELECT 1`, giving up after `timeout`: the pool keeps retrying a refused
    /// connection on its own, so without a deadline a lease would wait forever.
    public func checkReachable(within timeout: Duration) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group throws in
            group.addTask {
                try await self.query("SELECT 1")
                return true
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return false
            }
            defer { group.cancelAll() }
            guard let answered = try await group.next(), answered else {
                throw DatabaseUnreachable(description: "the database did not answer within \(timeout)")
            }
        }
    }
}
