import Foundation
@testable import RedisStore
#if canImport(Glibc)
import Glibc
#endif

/// A private redis-server, a child process of the tests, on a free port of 127.0.0.1: the
/// tests always have a real Redis, and one they may stop and restart.
///
/// Spawned with posix_spawn rather than Foundation's Process: a child inherits the signal
/// mask of the thread that starts it, and the test runner's threads block SIGTERM, so a
/// server started by Process ignores `terminate()` and waiting for it hangs. posix_spawn can
/// give the child an empty mask.
///
/// `@unchecked Sendable`: `pid` changes only in `start()` / `stop()`, under `lock`.
final class PrivateRedis: @unchecked Sendable {
    let port: Int
    let extraArguments: [String]
    private let lock = NSLock()
    private var pid: pid_t?

    var url: RedisURL { RedisURL(host: "127.0.0.1", port: port) }

    /// Starts a server and waits until it accepts connections.
    static func start(_ extraArguments: [String] = []) async throws -> PrivateRedis {
        let server = PrivateRedis(port: try freePort(), extraArguments: extraArguments)
        try await server.start()
        return server
    }

    private init(port: Int, extraArguments: [String]) {
        self.port = port
        self.extraArguments = extraArguments
    }

    deinit { stop() }

    /// (Re)starts the server on the same port.
    func start() async throws {
        let arguments = [
            "redis-server", "--port", String(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", NSTemporaryDirectory(),
        ] + extraArguments
        let pid = try spawn(arguments)
        lock.withLock { self.pid = pid }
        try await waitUntilListening()
    }

    /// Stops the server (SIGTERM, SIGKILL after 5 s) and reaps it, so that its port is free
    /// again when this returns.
    func stop() {
        let pid: pid_t? = lock.withLock {
            defer { self.pid = nil }
            return self.pid
        }
        guard let pid else { return }
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<500 {
            if waitpid(pid, &status, WNOHANG) != 0 { return }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    private var isRunning: Bool {
        lock.withLock {
            guard let pid else { return false }
            var status: Int32 = 0
            return waitpid(pid, &status, WNOHANG) == 0
        }
    }

    /// Polls the port until the server accepts connections (up to 5 s). Redis listens only
    /// once it is ready to serve (there is no data to load).
    private func waitUntilListening() async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if canConnect(port: port) { return }
            if !isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        stop()
        throw TestServerError("redis-server did not start on port \(port)")
    }
}

/// Starts `arguments[0]` (found on PATH) with default signal handling and an empty signal
/// mask, its output discarded.
private func spawn(_ arguments: [String]) throws -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard result == 0 else { throw TestServerError("cannot start \(arguments[0]): error \(result)") }
    return pid
}

struct TestServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A client for the test: on TEST_REDIS_URL when set, else on a private server started (and
/// stopped) for this test alone. `prefix` keeps keys apart when tests share a server.
///
/// `ownThreads`: the client gets its own thread pool, for tests that time calls or hold
/// connections blocked, so they neither wait behind nor slow down other tests' calls on the
/// shared singleton pool (as many threads as cores).
func withRedis(
    connections: Int = 4,
    ownThreads: Bool = false,
    _ body: (_ client: RedisClient, _ prefix: String) async throws -> Void
) async throws {
    let prefix = "clinic-bot-test:\(UUID().uuidString):"
    if let text = ProcessInfo.processInfo.environment["TEST_REDIS_URL"], !text.isEmpty {
        guard let url = RedisURL(string: text) else { throw TestServerError("TEST_REDIS_URL is not a redis:// URL") }
        let client = makeClient(url, connections: connections, ownThreads: ownThreads)
        defer { client.close() }
        // Own client for the clean-up: the test may have closed its own.
        let cleaner = RedisClient(url: url, connections: 1)
        defer { cleaner.close() }
        do {
            try await body(client, prefix)
        } catch {
            try? await deleteKeys(cleaner, prefix: prefix)
            throw error
        }
        try await deleteKeys(cleaner, prefix: prefix)
        return
    }
    let server = try await PrivateRedis.start()
    defer { server.stop() }
    let client = makeClient(server.url, connections: connections, ownThreads: ownThreads)
    defer { client.close() }
    try await body(client, prefix)
}

func makeClient(_ url: RedisURL, connections: Int = 4, ownThreads: Bool) -> RedisClient {
    ownThreads
        ? RedisClient.withOwnThreadPool(url: url, connections: connections)
        : RedisClient(url: url, connections: connections)
}

/// Leaves a shared server as the test found it.
private func deleteKeys(_ client: RedisClient, prefix: String) async throws {
    var cursor = "0"
    repeat {
        let reply = try await client.command(["SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"])
        guard let page = reply.array, page.count == 2, let next = page[0].string, let keys = page[1].array else {
            throw TestServerError("SCAN answered with \(reply.kind)")
        }
        if !keys.isEmpty {
            _ = try await client.command(bytes: [Array("UNLINK".utf8)] + keys.compactMap(\.bytes))
        }
        cursor = next
    } while cursor != "0"
}

/// A TCP port of 127.0.0.1 nobody listens on right now (the kernel picks it).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestServerError("socket() failed") }
    defer { close(fd) }
    var address = loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw TestServerError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw TestServerError("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A socket that listens but never accepts nor answers: connections complete (the kernel's
/// backlog) and then hang, like a Redis that stopped responding. Close it with `close(fd)`.
func silentListener() throws -> (fd: Int32, port: Int) {
    let port = try freePort()
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestServerError("socket() failed") }
    var address = loopback(port: port)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, 16) == 0 else {
        close(fd)
        throw TestServerError("cannot listen on \(port)")
    }
    return (fd, port)
}

private func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = loopback(port: port)
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    } == 0
}

private func loopback(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return address
}
