import BotRuntime
import FlowEngine
import Foundation
import RedisStore
import TestSupport

/// The tests' Redis (TEST_REDIS_URL, or a private server), with a key prefix of this test's
/// own; the keys are removed afterwards. Clients made here are closed afterwards.
final class SharedRedis: @unchecked Sendable {
    // @unchecked: `clients` is only touched under `lock`.
    let url: RedisURL
    let prefix = "clinic-bot-test:\(UUID().uuidString):"
    private let lock = NSLock()
    private var clients: [RedisClient] = []

    private init(url: RedisURL) { self.url = url }

    /// On TEST_REDIS_URL when set, else on a private server for this test alone, stopped at
    /// its end. (Not `TestRedis.url()`: its one server for the process is never stopped, so it
    /// outlives the tests holding whatever files they had open, and tests asking for it at the
    /// same time can each start one and stop each other's.)
    static func with(_ body: (SharedRedis) async throws -> Void) async throws {
        var server: PrivateRedis?
        defer { server?.stop() }
        let text: String
        if let given = ProcessInfo.processInfo.environment["TEST_REDIS_URL"], !given.isEmpty {
            text = given
        } else {
            let started = try await PrivateRedis.start()
            server = started
            text = started.urlString
        }
        guard let url = RedisURL(string: text) else { throw TestServerError("not a redis:// URL: \(text)") }
        let redis = SharedRedis(url: url)
        defer { redis.closeAll() }
        do {
            try await body(redis)
        } catch {
            try? await redis.deleteKeys()
            throw error
        }
        try await redis.deleteKeys()
    }

    /// A client of its own, as another instance of the bot would have.
    func client() -> RedisClient {
        let client = RedisClient.withOwnThreadPool(url: url, connections: 4)
        lock.withLock { clients.append(client) }
        return client
    }

    func sequencer(_ work: UpdateWork, perMinute: Int = 1_000, patience: Duration = .seconds(20),
                   claim: Duration = .seconds(15)) -> RedisSequencer {
        RedisSequencer(redis: client(), work: work, limit: RateLimit(perMinute: perMinute), prefix: prefix, patience: patience,
                       claim: claim)
    }

    /// The session the sequencers stored for `chat`.
    func session(_ chat: Int64) async throws -> Session? {
        let reader = client()
        guard case .bulk(let bytes) = try await reader.command(["GET", "\(prefix)session:\(chat)"]) else { return nil }
        return try JSONDecoder().decode(Session.self, from: Data(bytes))
    }

    /// How many updates wait in `chat`'s queue (the one being handled included).
    func queued(_ chat: Int64, using client: RedisClient) async throws -> Int {
        Int(try await client.command(["ZCARD", "\(prefix)queue:\(chat)"]).int ?? -1)
    }

    private func closeAll() {
        for client in lock.withLock({ clients }) { client.close() }
    }

    private func deleteKeys() async throws {
        let cleaner = RedisClient(url: url, connections: 1)
        defer { cleaner.close() }
        var cursor = "0"
        repeat {
            let reply = try await cleaner.command(["SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"])
            guard let page = reply.array, page.count == 2, let next = page[0].string, let keys = page[1].array else { return }
            if !keys.isEmpty { _ = try await cleaner.command(bytes: [Array("UNLINK".utf8)] + keys.compactMap(\.bytes)) }
            cursor = next
        } while cursor != "0"
    }
}
