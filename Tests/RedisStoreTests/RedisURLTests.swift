import Testing
@testable import RedisStore

@Suite("Redis URL")
struct RedisURLTests {
    @Test("accepted forms", arguments: [
        ("redis://localhost", RedisURL(host: "localhost")),
        ("redis://127.0.0.1:6380", RedisURL(host: "127.0.0.1", port: 6380)),
        ("redis://redis.internal:6379/2", RedisURL(host: "redis.internal", database: 2)),
        ("redis://host/", RedisURL(host: "host")),
        ("redis://:s3cret@10.0.0.5:7000/15", RedisURL(host: "10.0.0.5", port: 7000, database: 15, password: "s3cret")),
        ("redis://:p%40ss%3Aw%2Fd@h", RedisURL(host: "h", password: "p@ss:w/d")),
        ("redis://[::1]:6390/1", RedisURL(host: "::1", port: 6390, database: 1)),
        ("redis://my_redis-1", RedisURL(host: "my_redis-1")),
        ("rediss://localhost", RedisURL(host: "localhost", tls: true)),
        ("rediss://:s3cret@redis.clinic.kz:6380/1", RedisURL(host: "redis.clinic.kz", port: 6380, database: 1, password: "s3cret", tls: true)),
    ])
    func good(text: String, expected: RedisURL) {
        #expect(RedisURL(string: text) == expected)
    }

    @Test("rejected forms", arguments: [
        "", "localhost:6379", "http://localhost", "redisss://localhost", "redis:/localhost", "redis://",
        "redis://host:", "redis://host:abc", "redis://host:0", "redis://host:65536", "redis://host:-1",
        "redis://host/x", "redis://host/-1", "redis://host/1/2", "redis://host/0?timeout=1",
        "redis://user:pw@host", "redis://:@host", "redis://:%zz@host", "redis://ho st", "redis://[::1",
        "redis://[::1]x", "redis://:6379",
    ])
    func bad(text: String) {
        #expect(RedisURL(string: text) == nil)
    }

    @Test("description masks the password")
    func description() throws {
        let url = try #require(RedisURL(string: "redis://:topsecret@cache:6380/3"))
        #expect(url.description == "redis://:***@cache:6380/3")
        #expect(!"\(url)".contains("topsecret"))
        #expect(RedisURL(host: "::1").description == "redis://[::1]:6379/0")
    }
}
