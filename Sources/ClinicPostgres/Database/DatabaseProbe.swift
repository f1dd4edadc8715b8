import Logging
import PostgresNIO

extension DatabaseURL {
    /// Opens one connection and closes it, turning a failure into a message that says what is
    /// wrong. The pool behind `PostgresClient` retries failed connections silently, so a wrong
    /// password or a stopped server would otherwise look like a query that never answers.
    public func probe(logger: Logger = Logger(label: "clinic-bot.database")) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try connectionConfiguration, id: 0, logger: logger)
        } catch {
            throw DatabaseUnreachable(description: "cannot connect to \(self): \(Self.reason(for: error))")
        }
        try? await connection.close()
    }

    var connectionConfiguration: PostgresConnection.Configuration {
        get throws {
            let tls: PostgresConnection.Configuration.TLS
            switch sslMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require, .verifyFull: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            var configuration = PostgresConnection.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tls)
            configuration.options.connectTimeout = .seconds(5)
            return configuration
        }
    }

    private static func reason(for error: any Error) -> String {
        switch PostgresErrors.serverError(in: error)?.serverInfo?[.sqlState] {
        case "28P01", "28000": return "authentication failed (user name or password)"
        case "3D000": return "the database does not exist"
        case "57P03": return "the server is starting up or shutting down"
        case .some(let state): return "the server refused (SQLSTATE \(state))"
        case nil: return "no PostgreSQL answers there (\(LoggableError.describe(error)))"
        }
    }
}
