import Hummingbird
import HummingbirdCore
import NIOCore

/// How the bot's HTTP listeners (`serve`, `api`, the admin port) treat connections: a client
/// that opens a connection and sends nothing, or trickles a request's headers byte by byte (a
/// slow-loris), is cut after `idleTimeout`; past `maxConnections` open at once, new ones wait in
/// the kernel's backlog until one closes, so a flood cannot exhaust the process's descriptors.
public struct HTTPListener: Sendable {
    public var idleTimeout: Duration
    public var maxConnections: Int

    public init(idleTimeout: Duration = .seconds(30), maxConnections: Int = 1_000) {
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    public var server: HTTPServerBuilder {
        let components = idleTimeout.components
        let nanoseconds = components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
        return .http1(configuration: .init(idleTimeout: .nanoseconds(nanoseconds)))
    }

    public func configuration(host: String, port: Int, name: String = "clinic-bot") -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: name,
            availableConnectionsDelegate: MaximumAvailableConnections(maxConnections))
    }
}
