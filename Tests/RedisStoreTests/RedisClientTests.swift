import Foundation
import TestSupport
import Testing
@testable import RedisStore

/// Commands and replies against a real Redis.
@Suite("Redis client")
struct RedisClientTests {
    @Test("binary-safe SET/GET: NUL, invalid UTF-8, empty")
    func binaryRoundTrip() async throws {
        try await withRedis { redis, prefix in
            let value: [UInt8] = [0x00, 0xFF, 0xFE, 0x41, 0x00, 0xC3, 0x28, 0x0D, 0x0A, 0x24]
            let key = Array("\(prefix)bin\u{0}key".utf8)
            #expect(try await redis.command(bytes: [Array("SET".utf8), key, value]) == .status("OK"))
            let reply = try await redis.command(bytes: [Array("GET".utf8), key])
            #expect(reply == .bulk(value))
            #expect(reply.bytes == value)
            #expect(reply.string == nil, "invalid UTF-8 is no String")

            _ = try await redis.command(["SET", prefix + "empty", ""])
            #expect(try await redis.command(["GET", prefix + "empty"]) == .bulk([]))
            _ = try await redis.command(["SET", prefix + "text", "Сәлем, clinic"])
            #expect(try await redis.command(["GET", prefix + "text"]).string == "Сәлем, clinic")
        }
    }

    @Test("status, integer, null and array replies")
    func replyKinds() async throws {
        try await withRedis { redis, prefix in
            let ok = try await redis.command(["SET", prefix + "n", "41"])
            #expect(ok == .status("OK"))
            #expect(ok.string == "OK")
            #expect(try await redis.command(["GET", prefix + "n"]).int == 41, "a bulk holding a number")
            let incremented = try await redis.command(["INCR", prefix + "n"])
            #expect(incremented == .integer(42))
            #expect(incremented.int == 42)

            let missing = try await redis.command(["GET", prefix + "missing"])
            #expect(missing == .null)
            #expect(missing.isNull && missing.string == nil && missing.int == nil)

            #expect(try await redis.command(["RPUSH", prefix + "list", "a", "b", "c"]) == .integer(3))
            let list = try await redis.command(["LRANGE", prefix + "list", "0", "-1"])
            #expect(list.array?.compactMap(\.string) == ["a", "b", "c"])
            #expect(try await redis.command(["LRANGE", prefix + "nothing", "0", "-1"]) == .array([]))

            let mixed = try await redis.command(["MGET", prefix + "n", prefix + "missing"])
            #expect(mixed == .array([.bulk(Array("42".utf8)), .null]))
        }
    }

    @Test("an error reply throws .server")
    func errorReply() async throws {
        try await withRedis { redis, prefix in
            _ = try await redis.command(["RPUSH", prefix + "list", "x"])
            await #expect {
                _ = try await redis.command(["GET", prefix + "list"])
            } throws: { error in
                guard case RedisError.server(let message) = error else { return false }
                return message.hasPrefix("WRONGTYPE")
            }
            await #expect {
                _ = try await redis.command(["NO-SUCH-COMMAND"])
            } throws: { error in
                guard case RedisError.server(let message) = error else { return false }
                return message.hasPrefix("ERR")
            }
            await #expect(throws: RedisError.self) { _ = try await redis.command([]) }
            // The connection is still fine after error replies.
            try await redis.ping()
        }
    }

    @Test("a pipeline answers in order, error replies in place")
    func pipeline() async throws {
        try await withRedis { redis, prefix in
            let key = prefix + "p"
            let replies = try await redis.pipeline([
                ["SET", key, "1"], ["INCR", key], ["GET", key], ["LPUSH", key, "x"], ["INCRBY", key, "10"], ["GET", key],
            ])
            #expect(replies.count == 6)
            #expect(replies[0] == .status("OK"))
            #expect(replies[1] == .integer(2))
            #expect(replies[2].string == "2")
            guard case .error(let message) = replies[3] else {
                Issue.record("expected an error reply, got \(replies[3].kind)")
                return
            }
            #expect(message.hasPrefix("WRONGTYPE"))
            #expect(replies[4] == .integer(12))
            #expect(replies[5].string == "12")
            #expect(try await redis.pipeline([]) == [])

            // Many commands in one pipeline: more than one socket buffer's worth.
            let many = (0..<500).map { ["SET", "\(prefix)k\($0)", String(repeating: "v", count: 200) + "\($0)"] }
            #expect(try await redis.pipeline(many).allSatisfy { $0 == .status("OK") })
            let gets = try await redis.pipeline((0..<500).map { ["GET", "\(prefix)k\($0)"] })
            #expect(gets.enumerated().allSatisfy { $1.string == String(repeating: "v", count: 200) + "\($0)" })
        }
    }

    @Test("eval, and EVALSHA's fallback to EVAL after SCRIPT FLUSH")
    func eval() async throws {
        try await withRedis { redis, prefix in
            let script = RedisScript("""
                redis.call('SET', KEYS[1], ARGV[1])
                return {KEYS[1], tonumber(ARGV[2]) + 1, redis.call('GET', KEYS[1]), {ARGV[1]}}
                """)
            let key = prefix + "s"
            let expected: RedisReply = .array([
                .bulk(Array(key.utf8)), .integer(8), .bulk(Array("v".utf8)), .array([.bulk(Array("v".utf8))]),
            ])
            // Redis computes the same SHA-1 as ours.
            #expect(try await redis.command(["SCRIPT", "LOAD", script.source]).string == script.sha1)

            _ = try await redis.command(["SCRIPT", "FLUSH"])
            #expect(try await redis.command(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(0)]))
            #expect(try await redis.eval(script, keys: [key], arguments: ["v", "7"]) == expected)
            #expect(try await redis.command(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(1)]))
            #expect(try await redis.eval(script, keys: [key], arguments: ["v", "7"]) == expected)

            // A script error is a server error, not a fallback loop.
            await #expect {
                _ = try await redis.eval(RedisScript("return redis.call('NOPE')"), keys: [], arguments: [])
            } throws: { error in
                if case RedisError.server = error { return true }
                return false
            }
        }
    }

    @Test("200 concurrent commands over 4 connections all get their own answer")
    func concurrency() async throws {
        try await withRedis(connections: 4) { redis, prefix in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        let key = "\(prefix)c\(i)"
                        let value = "value-\(i)-" + String(repeating: "x", count: i)
                        #expect(try await redis.command(["SET", key, value]) == .status("OK"))
                        #expect(try await redis.command(["GET", key]).string == value)
                        _ = try await redis.command(["INCR", prefix + "counter"])
                        let piped = try await redis.pipeline([["APPEND", key, "!"], ["STRLEN", key]])
                        #expect(piped == [.integer(Int64(value.utf8.count + 1)), .integer(Int64(value.utf8.count + 1))])
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await redis.command(["GET", prefix + "counter"]).int == 200)
            #expect(redis.connectionsOpened <= 4)
            #expect(redis.connectionsOpened >= 1)
        }
    }

    @Test("one connection serves many waiting callers")
    func singleConnection() async throws {
        try await withRedis(connections: 1) { redis, prefix in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<50 {
                    group.addTask {
                        let reply = try await redis.command(["INCRBY", prefix + "sum", String(i)])
                        #expect(reply.int != nil)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await redis.command(["GET", prefix + "sum"]).int == Int64((0..<50).reduce(0, +)))
            #expect(redis.connectionsOpened == 1)
        }
    }

    @Test("after close, calls throw .connection")
    func close() async throws {
        try await withRedis { redis, _ in
            try await redis.ping()
            redis.close()
            await #expect {
                try await redis.ping()
            } throws: { error in
                if case RedisError.connection = error { return true }
                return false
            }
        }
    }

    @Test("AUTH and SELECT on connect")
    func authAndSelect() async throws {
        let server = try await PrivateRedis.start(["--requirepass", "pa:ss@word"])
        defer { server.stop() }
        let url = try #require(RedisURL(string: "redis://:pa%3Ass%40word@127.0.0.1:\(server.port)/3"))
        let client = RedisClient(url: url)
        defer { client.close() }
        _ = try await client.command(["SET", "k", "in db 3"])
        #expect(try await client.command(["CLIENT", "INFO"]).string?.contains("db=3") == true)

        var db0 = url
        db0.database = 0
        let other = RedisClient(url: db0)
        defer { other.close() }
        #expect(try await other.command(["GET", "k"]) == .null)

        var wrong = url
        wrong.password = "wrong"
        let unauthorized = RedisClient(url: wrong)
        defer { unauthorized.close() }
        await #expect {
            try await unauthorized.ping()
        } throws: { error in
            guard case RedisError.connection(let message) = error else { return false }
            // Redis' refusal, without the password we sent.
            return message.contains("WRONGPASS") && !message.contains("wrong")
        }

        var none = url
        none.password = nil
        let anonymous = RedisClient(url: none)
        defer { anonymous.close() }
        await #expect(throws: RedisError.self) { try await anonymous.ping() }
    }
}
