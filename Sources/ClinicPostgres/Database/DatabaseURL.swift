import Foundation
import PostgresNIO

/// Why `DATABASE_URL` could not be used. Never includes the password.
public enum DatabaseURLError: PIIFreeError, Sendable, Hashable, CustomStringConvertible {
    case unreadable
    case unsupportedScheme(String)
    case missingHost
    case missingUser
    case badPort
    case unsupportedSSLMode(String)

    public var description: String {
        switch self {
        case .unreadable: return "DATABASE_URL is not a URL of the form postgres://user:pass@host:port/db"
        case .unsupportedScheme(let s): return "DATABASE_URL scheme '\(s)' is not postgres:// or postgresql://"
        case .missingHost: return "DATABASE_URL has no host"
        case .missingUser: return "DATABASE_URL has no user name"
        case .badPort: return "DATABASE_URL has a port outside 1–65535"
        case .unsupportedSSLMode(let m): return "DATABASE_URL sslmode '\(m)' is not disable, prefer, require or verify-full"
        }
    }
}

/// A parsed `postgres://user:pass@host:port/db?sslmode=…` and the client configuration it means.
public struct DatabaseURL: Sendable, Hashable, CustomStringConvertible {
    public enum SSLMode: String, Sendable, Hashable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    public let username: String
    public let password: String?
    public let database: String
    public let sslMode: SSLMode

    public init(_ text: String) throws {
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw DatabaseURLError.unreadable
        }
        guard let scheme = components.scheme?.lowercased() else { throw DatabaseURLError.unreadable }
        guard scheme == "postgres" || scheme == "postgresql" else { throw DatabaseURLError.unsupportedScheme(scheme) }
        // `percentEncodedHost` keeps IPv6 brackets; PostgresNIO wants the bare address.
        guard var host = components.percentEncodedHost?.removingPercentEncoding, !host.isEmpty else {
            throw DatabaseURLError.missingHost
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let user = components.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw DatabaseURLError.missingUser
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw DatabaseURLError.badPort }
        let path = components.percentEncodedPath.removingPercentEncoding ?? ""
        let database = path.hasPrefix("/") ? String(path.dropFirst()) : path

        let loopback = Self.isLoopback(host)
        // No TLS on loopback by default: a local cluster has no certificate, and the traffic
        // never leaves the machine. Anywhere else TLS is required unless the URL says otherwise
        // (libpq's `prefer` would fall back to plain text, with patients' data on the wire).
        var sslMode: SSLMode = loopback ? .disable : .require
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value {
            guard let parsed = SSLMode(rawValue: mode) else { throw DatabaseURLError.unsupportedSSLMode(mode) }
            sslMode = parsed
        }

        self.host = host
        self.port = port
        self.username = user
        self.password = components.percentEncodedPassword?.removingPercentEncoding
        self.database = database.isEmpty ? user : database
        self.sslMode = sslMode
    }

    /// The URL with the password replaced, safe for logs.
    public var description: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(username)\(password == nil ? "" : ":***")@\(shownHost):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// TLS modes other than `disable` verify the server's certificate (stricter than libpq's
    /// `prefer` and `require`): patient data must not reach an impostor.
    public var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require, .verifyFull: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        // A bot waiting on a dead database should answer `error` soon, not hang the dialogue.
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    /// `localhost`, `::1` or an IPv4 address in 127.0.0.0/8 — parsed, not matched by prefix:
    /// `127.0.0.1.example.com` is a name like any other.
    public static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name == "::1" || name == "[::1]" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ $0.count <= 3 && (Int($0).map { (0...255).contains($0) } ?? false) && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return false }
        return parts[0] == "127"
    }
}
