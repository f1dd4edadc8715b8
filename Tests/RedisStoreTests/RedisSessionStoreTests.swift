import FlowEngine
import Foundation
import TestSupport
import Testing
@testable import RedisStore

@Suite("Redis session store")
struct RedisSessionStoreTests {
    /// HistoryEntry has no public initializer: made the way a store reads it, from JSON.
    private static let historyEntry = try! JSONDecoder().decode(HistoryEntry.self, from: Data(#"""
        {"frames": [{"flow": "main", "step": "menu", "params": {}, "interrupts": false}],
         "locale": "ru", "undo": {"x": null, "y": 1, "z": {"a": [1, "b"]}}}
        """#.utf8))

    private func sample(_ userID: Int64) -> Session {
        var session = Session(userID: userID, username: "aigerim", displayName: "Айгерим")
        session.locale = .kk
        session.variables = [
            "patient": .map(["name": .string("Айгерим"), "age": .int(34), "iin": .string("900101300123")]),
            "slots": .list([.string("2026-01-05T09:00"), .null, .double(1.5), .bool(true)]),
        ]
        session.frames = [
            Frame(flow: "main", step: "menu"),
            Frame(flow: "booking", step: "pick_slot", params: ["doctor": .int(7)], interrupts: true, historyDepth: 2),
        ]
        session.history = [Self.historyEntry]
        session.serial = 12
        session.buttons = [.answer(value: .int(1), label: "Yes", next: nil), .page(2), .back, .inert]
        session.view = 1
        session.flowsVersion = "abc123"
        return session
    }

    @Test("save, load, delete")
    func roundTrip() async throws {
        try await withRedis { redis, prefix in
            let store = RedisSessionStore(client: redis, prefix: prefix)
            #expect(store.key(42) == "\(prefix)session:42")
            #expect(try await store.load(42) == nil)

            let session = sample(42)
            try await store.save(session)
            #expect(try await store.load(42) == session)
            #expect(try await store.load(43) == nil)

            var changed = session
            changed.frames.removeLast()
            changed.variables["patient"] = nil
            try await store.save(changed)
            #expect(try await store.load(42) == changed)

            try await store.delete(42)
            #expect(try await store.load(42) == nil)
            try await store.delete(42)
        }
    }

    @Test("the default key prefix")
    func defaultKey() async throws {
        let client = RedisClient(url: RedisURL(host: "127.0.0.1"))
        defer { client.close() }
        #expect(RedisSessionStore(client: client).key(-100123) == "clinic-bot:session:-100123")
    }

    @Test("each save sets the TTL")
    func ttl() async throws {
        try await withRedis { redis, prefix in
            let store = RedisSessionStore(client: redis, prefix: prefix, ttlSeconds: 600)
            try await store.save(sample(7))
            let ttl = try #require(try await redis.command(["TTL", store.key(7)]).int)
            #expect(ttl > 0 && ttl <= 600)

            _ = try await redis.command(["EXPIRE", store.key(7), "5"])
            try await store.save(sample(7))
            #expect(try #require(try await redis.command(["TTL", store.key(7)]).int) > 5)
        }
    }

    @Test("by default an idle session expires after a week, not a month")
    func weekByDefault() async throws {
        try await withRedis { redis, prefix in
            let store = RedisSessionStore(client: redis, prefix: prefix)
            try await store.save(sample(7))
            let ttl = try #require(try await redis.command(["TTL", store.key(7)]).int)
            #expect(ttl > 7 * 86_400 - 60 && ttl <= 7 * 86_400)
        }
    }

    @Test("a corrupt or foreign stored value loads as no session")
    func corrupt() async throws {
        try await withRedis { redis, prefix in
            let store = RedisSessionStore(client: redis, prefix: prefix)
            _ = try await redis.command(["SET", store.key(5), "{not json"])
            #expect(try await store.load(5) == nil)
            _ = try await redis.command(bytes: [Array("SET".utf8), Array(store.key(6).utf8), [0xFF, 0x00, 0xFE]])
            #expect(try await store.load(6) == nil)
            _ = try await redis.command(["SET", store.key(8), #"{"userID": 8}"#])
            #expect(try await store.load(8) == nil)

            // Another user's session under this key is not handed out.
            try await store.save(sample(9))
            _ = try await redis.command(["RENAME", store.key(9), store.key(10)])
            #expect(try await store.load(10) == nil)

            // Saving over a corrupt value repairs it.
            try await store.save(sample(5))
            #expect(try await store.load(5) == sample(5))
        }
    }

    @Test("Redis down: the store throws .connection")
    func unavailable() async throws {
        let client = RedisClient(url: RedisURL(host: "127.0.0.1", port: try freePort()))
        defer { client.close() }
        let store = RedisSessionStore(client: client)
        await #expect {
            _ = try await store.load(1)
        } throws: { error in
            if case RedisError.connection = error { return true }
            return false
        }
    }
}
