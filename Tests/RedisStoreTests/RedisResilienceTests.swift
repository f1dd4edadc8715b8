import Foundation
import TestSupport
import Testing
@testable import RedisStore
#if canImport(Glibc)
import Glibc
#endif

/// Redis missing, hanging, restarting: calls fail fast with `.connection`, and the client
/// heals by itself.
@Suite("Redis client resilience")
struct RedisResilienceTests {
    private func isConnectionError(_ error: any Error) -> Bool {
        if case RedisError.connection = error { return true }
        return false
    }

    @Test("connection refused throws .connection at once, not after a timeout")
    func refused() async throws {
        // A port held bound but not listening: the kernel refuses connections to it, and no
        // other test can start listening on it meanwhile (a free port could be taken).
        let (fd, port) = try refusingPort()
        defer { close(fd) }
        let client = RedisClient.withOwnThreadPool(url: RedisURL(host: "127.0.0.1", port: port))
        defer { client.close() }
        for _ in 0..<3 {
            // The kernel's answer, not a timeout: no clock, as a loaded machine may be slow
            // to report even a refusal.
            await #expect(performing: { try await client.ping() }, throws: { error in
                guard case RedisError.connection(let message) = error else { return false }
                return message.contains("refused") && !message.contains("timed out")
            })
        }
        #expect(client.connectionsOpened == 0)
    }

    @Test("a server that never answers times out with .connection")
    func commandTimeout() async throws {
        let (fd, port) = try silentListener()
        defer { close(fd) }
        let client = RedisClient.withOwnThreadPool(url: RedisURL(host: "127.0.0.1", port: port), connections: 2)
        defer { client.close() }
        let start = ContinuousClock.now
        await #expect(performing: { _ = try await client.command(["GET", "k"]) }, throws: isConnectionError)
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .seconds(1.5), "the command timeout is about 2 s")
        #expect(elapsed < .seconds(15), "it gives up rather than hangs")
    }

    @Test("the client works again after Redis restarts on the same port")
    func recovery() async throws {
        let server = try await PrivateRedis.start()
        defer { server.stop() }
        let client = RedisClient.withOwnThreadPool(url: server.url, connections: 4)
        defer { client.close() }

        // Open all four connections, so stale ones sit in the pool during the outage.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 { group.addTask { _ = try await client.command(["SET", "k\(i)", "v"]) } }
            try await group.waitForAll()
        }
        let openedBefore = client.connectionsOpened
        #expect(openedBefore >= 1 && openedBefore <= 4)

        server.stop()
        for _ in 0..<5 {
            let start = ContinuousClock.now
            await #expect(performing: { try await client.ping() }, throws: isConnectionError)
            // Bounds are loose on purpose: under the whole suite's load a task can wait seconds
            // for a thread (seen: 9 s on two cores); what matters is that it does not hang.
            #expect(ContinuousClock.now - start < .seconds(15))
        }

        try await server.start()
        // The very first call succeeds: dead idle connections are noticed before use.
        try await client.ping()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    _ = try await client.command(["SET", "k\(i)", "again \(i)"])
                    #expect(try await client.command(["GET", "k\(i)"]).string == "again \(i)")
                }
            }
            try await group.waitForAll()
        }
        #expect(client.connectionsOpened > openedBefore, "new connections replaced the dead ones")
    }

    @Test("a caller waiting for a connection can be cancelled")
    func cancelWaiter() async throws {
        try await withRedis(connections: 1, ownThreads: true) { redis, prefix in
            // Holds the only connection for about a second.
            let blocker = Task { try await redis.command(["BLPOP", prefix + "never", "1"]) }
            try await Task.sleep(for: .milliseconds(200))
            let waiter = Task { try await redis.command(["PING"]) }
            try await Task.sleep(for: .milliseconds(100))
            waiter.cancel()
            await #expect(throws: CancellationError.self) { _ = try await waiter.value }
            #expect(try await blocker.value == .null)
            try await redis.ping()
        }
    }

    @Test("close fails callers waiting for a connection")
    func closeWhileWaiting() async throws {
        try await withRedis(connections: 1, ownThreads: true) { redis, prefix in
            let blocker = Task { try await redis.command(["BLPOP", prefix + "never", "1"]) }
            try await Task.sleep(for: .milliseconds(200))
            let waiter = Task { try await redis.command(["PING"]) }
            try await Task.sleep(for: .milliseconds(100))
            redis.close()
            await #expect(performing: { _ = try await waiter.value }, throws: isConnectionError)
            // The call that held the connection finishes normally.
            #expect(try await blocker.value == .null)
        }
    }
}
