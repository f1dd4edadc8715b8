import Foundation

/// The Redis the tests talk to: `TEST_REDIS_URL` (the test command starts one), or else a
/// private `redis-server` started once for this test process on a free port. Tests never skip
/// for want of a Redis: they use a real one or fail.
public enum TestRedis {
    public static let url: String = {
        if let given = ProcessInfo.processInfo.environment["TEST_REDIS_URL"], !given.isEmpty { return given }
        return PrivateRedisServer.shared.url
    }()
}

/// A `redis-server` child process on a free loopback port, with no persistence. It can be
/// paused and resumed (SIGSTOP/SIGCONT) or stopped and started again on the same port, to
/// test outages. Killed when the test process exits.
public final class PrivateRedisServer: @unchecked Sendable {
    // @unchecked: `process` is only replaced by start()/stop(), which tests call from one task.
    public static let shared = PrivateRedisServer()
    public let port: Int
    private var process: Process?

    public var url: String { "redis://127.0.0.1:\(port)/0" }

    public init() {
        port = Self.freePort()
        start()
    }

    deinit { stop() }

    public func start() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { fatalError("cannot start /usr/bin/redis-server: \(error) (apt-get install redis-server)") }
        self.process = process
        // Ready when the port accepts connections.
        for _ in 0..<100 where !Self.accepts(port) { usleep(50_000) }
    }

    public func stop() {
        guard let process else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    public func pause() { if let process { kill(process.processIdentifier, SIGSTOP) } }
    public func resume() { if let process { kill(process.processIdentifier, SIGCONT) } }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
