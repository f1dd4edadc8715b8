import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A Redis client over hiredis: a small pool of blocking connections whose calls run on a
/// NIO thread pool, so neither event loops nor Swift concurrency threads ever block.
///
/// A connection that fails is freed and replaced on its next use, so the client recovers by
/// itself when Redis comes back after a restart. Values never reach the logs (they may hold
/// personal data): at most a command's name does.
public final class RedisClient: Sendable {
    public let url: RedisURL
    public let logger: Logger
    private let pool: RedisPool
    private let threadPool: NIOThreadPool
    /// Whether `threadPool` was made for this client, and so is shut down by `close()`.
    private let ownsThreadPool: Bool
    /// Connections opened over the client's life: for tests and diagnostics.
    private let opened = Atomic<Int>(0)

    /// Short enough that a stopped Redis makes calls fail fast, rather than piling up requests.
    static let connectTimeout: Duration = .seconds(1)
    static let commandTimeout: Duration = .seconds(2)

    public convenience init(
        url: RedisURL,
        connections: Int = 4,
        threadPool: NIOThreadPool = .singleton,
        logger: Logger = Logger(label: "clinic-bot.redis")
    ) {
        self.init(url: url, connections: connections, threadPool: threadPool, ownsThreadPool: false, logger: logger)
    }

    private init(url: RedisURL, connections: Int, threadPool: NIOThreadPool, ownsThreadPool: Bool, logger: Logger) {
        self.url = url
        self.pool = RedisPool(size: max(1, connections))
        self.threadPool = threadPool
        self.ownsThreadPool = ownsThreadPool
        self.logger = logger
    }

    /// A client with its own thread pool, one thread per connection, shut down by `close()`.
    ///
    /// The shared `NIOThreadPool.singleton` has as many threads as the machine has cores, so
    /// on a small machine fewer Redis calls than `connections` run at once, and while Redis
    /// hangs (each call waiting out its timeout) other blocking work in the process (file I/O)
    /// waits behind them. Own threads keep Redis out of everybody else's way.
    public static func withOwnThreadPool(
        url: RedisURL,
        connections: Int = 4,
        logger: Logger = Logger(label: "clinic-bot.redis")
    ) -> RedisClient {
        let connections = max(1, connections)
        let threadPool = NIOThreadPool(numberOfThreads: connections)
        threadPool.start()
        return RedisClient(url: url, connections: connections, threadPool: threadPool, ownsThreadPool: true, logger: logger)
    }

    deinit {
        // Idempotent: harmless after close().
        if ownsThreadPool { threadPool.shutdownGracefully { _ in } }
    }

    /// How many connections the client has opened so far (reconnections included).
    public var connectionsOpened: Int { opened.load(ordering: .relaxed) }

    /// Runs one command. An error reply throws `RedisError.server`.
    public func command(_ arguments: [String]) async throws -> RedisReply {
        try await command(bytes: arguments.map { Array($0.utf8) })
    }

    /// Runs one command whose arguments are raw bytes (binary safe). An error reply throws
    /// `RedisError.server`.
    public func command(bytes arguments: [[UInt8]]) async throws -> RedisReply {
        let reply = try await run([arguments])[0]
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Sends all commands on one connection at once, then reads their replies, in order.
    /// Error replies come back as `.error` in place, not thrown: one failing command does not
    /// hide the others' results.
    public func pipeline(_ commands: [[String]]) async throws -> [RedisReply] {
        if commands.isEmpty { return [] }
        return try await run(commands.map { $0.map { Array($0.utf8) } })
    }

    /// Throws unless Redis answers PING: for readiness checks.
    public func ping() async throws {
        let reply = try await command(["PING"])
        guard reply == .status("PONG") else {
            throw RedisError.unexpectedReply("PING answered with \(reply.kind)")
        }
    }

    /// Runs a Lua script by its SHA-1 (EVALSHA), sending its source (EVAL) only when Redis
    /// does not know it yet: after a restart or SCRIPT FLUSH, Redis answers NOSCRIPT.
    public func eval(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RedisReply {
        let tail = [String(keys.count)] + keys + arguments
        do {
            return try await command(["EVALSHA", script.sha1] + tail)
        } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") {
            return try await command(["EVAL", script.source] + tail)
        }
    }

    /// Frees every connection; later calls throw `.connection`. Calls running now finish,
    /// and their connections are freed as they come back.
    public func close() {
        pool.close()
        // Jobs running finish first; queued ones are cancelled (their callers get .connection).
        if ownsThreadPool { threadPool.shutdownGracefully { _ in } }
    }

    /// Leases a connection, runs `commands` on the thread pool, and gives the connection back
    /// (or drops it when it broke).
    private func run(_ commands: [[[UInt8]]]) async throws -> [RedisReply] {
        // hiredis cannot send an empty command; Redis would refuse it anyway.
        if commands.contains(where: \.isEmpty) { throw RedisError.server("ERR empty command") }
        let name = commands.count == 1 ? Self.name(of: commands[0]) : "pipeline of \(commands.count)"

        let slot = try await pool.lease()
        let outcome: (RedisPool.Slot, Result<[RedisReply], RedisError>)
        do {
            let url = self.url
            outcome = try await threadPool.runIfActive {
                var slot = slot
                do throws(RedisError) {
                    if let connection = slot.connection, !connection.isAlive {
                        slot.connection = nil
                    }
                    let connection: RedisConnection
                    if let existing = slot.connection {
                        connection = existing
                    } else {
                        connection = try RedisConnection.open(
                            url, connectTimeout: Self.connectTimeout, commandTimeout: Self.commandTimeout)
                        self.opened.add(1, ordering: .relaxed)
                        self.logger.debug("Redis connection opened", metadata: ["url": "\(url)"])
                        slot.connection = connection
                    }
                    let replies = try connection.run(commands)
                    // hiredis reports failures through the return codes checked in run(); the
                    // context's own flag is checked too, as the rule is "err set: never reuse".
                    if connection.ioError != nil { slot.connection = nil }
                    return (slot, .success(replies))
                } catch {
                    // The context cannot be used after an error (and a failed pipeline may
                    // have left replies unread): replace it on the slot's next use.
                    slot.connection = nil
                    return (slot, .failure(error))
                }
            }
        } catch {
            // The job never ran (task cancelled, thread pool shut down): the slot is unchanged.
            pool.release(slot)
            if error is CancellationError, Task.isCancelled { throw error }
            throw RedisError.connection("the thread pool is not running")
        }
        let (returned, result) = outcome
        pool.release(returned)
        if case .failure(let error) = result {
            logger.warning("Redis call failed", metadata: ["command": "\(name)", "error": "\(error)"])
            throw error
        }
        return try result.get()
    }

    /// The command's name, for logs: the first argument if it looks like one, never a value.
    private static func name(of arguments: [[UInt8]]) -> String {
        let first = arguments[0]
        let isLetter: (UInt8) -> Bool = { (65...90).contains($0) || (97...122).contains($0) }
        guard !first.isEmpty, first.count <= 32, first.allSatisfy(isLetter) else { return "?" }
        return String(decoding: first, as: UTF8.self).uppercased()
    }
}
