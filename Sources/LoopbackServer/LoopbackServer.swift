import Hummingbird
import Logging
import ServiceLifecycle

/// An HTTP server on 127.0.0.1 for the length of a body: the fake Bot API, the fake bank, a
/// test's callback receiver. It stops gracefully: the listening socket closes first, and every
/// connection it accepted is served or closed before the server's task ends. Cancelling the task
/// instead can drop a connection accepted in the same instant, unserved, and NIO traps on it
/// ("Deinited NIOAsyncWriter without calling finish()", swift-nio#2637): seen once in the suite.
public enum LoopbackServer {
    /// The server could not tell its port.
    public struct NoPort: Error {}

    /// Serves `router` on 127.0.0.1:`port` (0: a free one) while `body` runs with the port bound.
    /// A connection still open `grace` after `body` returns is cut.
    public static func serve<T: Sendable>(
        _ router: Router<BasicRequestContext>, port: Int = 0, name: String, grace: Duration = .seconds(3),
        _ body: (_ port: Int) async throws -> T
    ) async throws -> T {
        let logger = Logger(label: name, factory: { _ in SwiftLogNoOpLogHandler() })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: name),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let services = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            func stop() async {
                await services.triggerGracefulShutdown()
                // A connection that never ends (a long poll left waiting) must not hold the test.
                group.addTask { try await Task.sleep(for: grace) }
                _ = try? await group.next()
                group.cancelAll()
            }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next(), bound != 0 else {
                await stop()
                throw NoPort()
            }
            let result: T
            do {
                result = try await body(bound)
            } catch {
                await stop()
                throw error
            }
            await stop()
            return result
        }
    }
}
