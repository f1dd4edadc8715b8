import Foundation
@testable import RedisStore
import TestSupport

extension PrivateRedis {
    var url: RedisURL { RedisURL(host: "127.0.0.1", port: port) }
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

