import CHiredis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking hiredis connection. Every method blocks its thread: call them on a thread
/// pool, never on an event loop or a Swift concurrency thread.
///
/// `@unchecked Sendable` because a hiredis context is not thread-safe, yet this object moves
/// between tasks and threads: the pool hands it to exactly one lease at a time, and the lease
/// uses it from one thread-pool job at a time, so there is never concurrent access. The
/// context is freed in `deinit`, when the last holder lets go, so it cannot be freed while in
/// use.
final class RedisConnection: @unchecked Sendable {
    private let context: UnsafeMutablePointer<redisContext>

    private init(context: UnsafeMutablePointer<redisContext>) {
        self.context = context
    }

    deinit {
        redisFree(context)
    }

    /// Connects, sets the command timeout, then AUTH and SELECT as the URL asks.
    static func open(_ url: RedisURL, connectTimeout: Duration, commandTimeout: Duration) throws(RedisError) -> RedisConnection {
        // redisConnect* returns a context even when it fails; only a nil means out of memory.
        guard let context = redisConnectWithTimeout(url.host, Int32(clamping: url.port), timeval(connectTimeout)) else {
            throw .connection("cannot allocate a hiredis context")
        }
        let connection = RedisConnection(context: context)
        if let error = connection.ioError {
            throw .connection("cannot connect to \(url.host):\(url.port): \(error)")
        }
        // Without a read/write timeout a Redis that stops answering (host gone, no RST) would
        // hold a thread-pool thread forever.
        guard redisSetTimeout(context, timeval(commandTimeout)) == REDIS_OK else {
            throw .connection("cannot set the command timeout: \(connection.ioError ?? "unknown error")")
        }
        var setup: [[[UInt8]]] = []
        if let password = url.password { setup.append([Array("AUTH".utf8), Array(password.utf8)]) }
        if url.database != 0 { setup.append([Array("SELECT".utf8), Array(String(url.database).utf8)]) }
        if !setup.isEmpty {
            for (command, reply) in zip(setup, try connection.run(setup)) {
                // The server's message, never the password itself.
                if case .error(let message) = reply {
                    let name = String(decoding: command[0], as: UTF8.self)
                    throw .connection("\(name) failed: \(message)")
                }
            }
        }
        return connection
    }

    /// The context's I/O or protocol error, if it has one. hiredis cannot use a context after
    /// an error: it must be freed and replaced.
    var ioError: String? {
        guard context.pointee.err != 0 else { return nil }
        return withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return bytes.isEmpty ? "error \(context.pointee.err)" : String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Whether the idle socket is still usable. Redis closes its side when it stops or
    /// restarts; checking before use (one non-blocking peek) means the first command after a
    /// restart goes to a fresh connection instead of failing on a dead one.
    var isAlive: Bool {
        guard context.pointee.err == 0 else { return false }
        var byte: UInt8 = 0
        let n = recv(context.pointee.fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
        if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK }
        // 0: the server closed the connection. > 0: bytes nobody asked for, which would be
        // taken as the next command's reply; either way the connection is unusable.
        return false
    }

    /// Sends all `commands` at once (pipelining), then reads one reply per command, in order.
    /// Error replies are returned in place; I/O failures throw `.connection`.
    func run(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        for arguments in commands {
            let status = Self.withArgv(arguments) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else {
                throw .connection(ioError ?? "cannot queue a command")
            }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                throw .connection(ioError ?? "no reply")
            }
            let reply = raw.assumingMemoryBound(to: redisReply.self)
            replies.append(RedisReply(copying: reply))
            freeReplyObject(raw)
        }
        return replies
    }

    /// Lays the arguments out as hiredis wants them: an array of pointers and an array of
    /// lengths, so arguments may hold any bytes, NUL included.
    private static func withArgv<T>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T
    ) -> T {
        let total = arguments.reduce(0) { $0 + $1.count }
        // At least one byte, so that empty arguments still get a valid pointer.
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: max(total, 1))
        defer { storage.deallocate() }
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        pointers.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        var offset = 0
        for argument in arguments {
            argument.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress, !bytes.isEmpty {
                    UnsafeMutableRawPointer(storage + offset).copyMemory(from: base, byteCount: bytes.count)
                }
            }
            pointers.append(UnsafePointer(storage + offset))
            lengths.append(argument.count)
            offset += argument.count
        }
        return pointers.withUnsafeMutableBufferPointer { argv in
            lengths.withUnsafeBufferPointer { argvlen in
                body(Int32(arguments.count), argv.baseAddress!, argvlen.baseAddress!)
            }
        }
    }
}

extension timeval {
    fileprivate init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: time_t(seconds), tv_usec: suseconds_t(attoseconds / 1_000_000_000_000))
    }
}
