import Foundation
import Synchronization
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
public final class PrivateRedis: @unchecked Sendable {
    public let port: Int
    public let extraArguments: [String]
    private let lock = NSLock()
    private var pid: pid_t?

    public var urlString: String { "redis://127.0.0.1:\(port)/0" }

    /// Starts a server and waits until it accepts connections.
    ///
    /// A port found free can be taken before the server binds it: under the load of the whole
    /// suite another test's server, or the local end of an outgoing connection, got there first
    /// and redis-server exited ("did not start"). Ports are therefore picked below the kernel's
    /// range for outgoing connections, and a server that exits at once is tried on another port.
    public static func start(_ extraArguments: [String] = []) async throws -> PrivateRedis {
        var lastError: (any Error)?
        for _ in 0..<8 {
            let server = PrivateRedis(port: try serverPort(), extraArguments: extraArguments)
            do {
                try await server.start()
                return server
            } catch let error as PortTaken {
                lastError = error
            }
        }
        throw lastError ?? TestServerError("redis-server did not start")
    }

    private init(port: Int, extraArguments: [String]) {
        self.port = port
        self.extraArguments = extraArguments
    }

    deinit { stop() }

    /// (Re)starts the server on the same port.
    public func start() async throws {
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
    public func stop() {
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

    /// Polls the port until the server accepts connections. Redis listens only once it is
    /// ready to serve (there is no data to load); on two cores busy with the whole suite a start
    /// can take seconds, so it is given 30. A server that exits at once could not bind its port.
    private func waitUntilListening() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if canConnect(port: port) { return }
            if !isRunning {
                stop()
                throw PortTaken(port: port)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        stop()
        throw TestServerError("redis-server did not start on port \(port) within 30 s")
    }

    /// Pauses (SIGSTOP) and resumes (SIGCONT) the server: a Redis that stops answering.
    public func pause() { lock.withLock { if let pid { kill(pid, SIGSTOP) } } }
    public func resume() { lock.withLock { if let pid { kill(pid, SIGCONT) } } }
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
    // Nothing else of the parent's: an inherited descriptor (a build lock held by a wrapper
    // such as flock) would otherwise stay held for as long as the server runs.
    let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
    for fd in open where fd > 2 && fcntl(fd, F_GETFD) >= 0 { posix_spawn_file_actions_addclose(&actions, fd) }

    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard result == 0 else { throw TestServerError("cannot start \(arguments[0]): error \(result)") }
    return pid
}

/// The server exited as it started: its port was taken meanwhile.
struct PortTaken: Error, CustomStringConvertible {
    let port: Int
    var description: String { "redis-server exited at start: port \(port) taken" }
}

/// A port for a test server: free now, and below Linux's range for the local ends of outgoing
/// connections (32768–60999), so no client connection of the suite can take it meanwhile.
public func serverPort() throws -> Int {
    for _ in 0..<200 {
        let port = Int.random(in: 20_000..<32_000)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestServerError("socket() failed") }
        var address = loopback(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        close(fd)
        if bound == 0 && !canConnect(port: port) { return port }
    }
    return try freePort()
}

public struct TestServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A TCP port of 127.0.0.1 nobody listens on right now (the kernel picks it).
public func freePort() throws -> Int {
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

/// A socket bound to a loopback port but not listening: connections to the port are refused,
/// and while it is held no one else can listen there. Close it with `close(fd)`.
public func refusingPort() throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestServerError("socket() failed") }
    var address = loopback(port: 0)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard bound == 0, named == 0 else {
        close(fd)
        throw TestServerError("cannot bind a loopback port")
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

/// A socket that listens but never accepts nor answers: connections complete (the kernel's
/// backlog) and then hang, like a Redis that stopped responding. Close it with `close(fd)`.
public func silentListener() throws -> (fd: Int32, port: Int) {
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

/// The Redis the tests talk to: `TEST_REDIS_URL` (the test command starts one), or else one
/// private server started for the whole test process. Tests never skip for want of a Redis.
public enum TestRedis {
    public static func url() async throws -> String {
        if let given = ProcessInfo.processInfo.environment["TEST_REDIS_URL"], !given.isEmpty { return given }
        return try await Shared.server.get().urlString
    }

    /// One start for the whole process, however many tests ask at once.
    private actor Shared {
        static let server = Shared()
        private var starting: Task<PrivateRedis, any Error>?
        func get() async throws -> PrivateRedis {
            if let starting { return try await starting.value }
            let task = Task { () async throws -> PrivateRedis in
                let started = try await PrivateRedis.start()
                sharedServerPort.withLock { $0 = started.port }
                // Stopped when the test process exits, so no redis-server outlives the tests.
                atexit { stopSharedServer() }
                return started
            }
            starting = task
            return try await task.value
        }
    }
}


/// The port of the shared private server, for the exit handler (a C callback captures nothing).
private let sharedServerPort = Mutex<Int?>(nil)

private func stopSharedServer() {
    guard let port = sharedServerPort.withLock({ $0 }) else { return }
    // The server was started by this process: ask it to shut down over its own protocol.
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return }
    let command = "SHUTDOWN NOSAVE\r\n"
    _ = command.withCString { write(fd, $0, strlen($0)) }
}
