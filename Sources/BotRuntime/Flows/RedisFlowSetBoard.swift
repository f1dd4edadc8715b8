import Foundation
import RedisStore

/// The flow set board in Redis: the version and the sources, written together.
public struct RedisFlowSetBoard: FlowSetBoard {
    let redis: RedisClient
    let prefix: String

    public init(redis: RedisClient, prefix: String = "clinic-bot:") {
        self.redis = redis
        self.prefix = prefix
    }

    public func publish(version: String, sources: Data) async throws {
        _ = try await redis.pipeline([
            ["MULTI"],
            ["SET", prefix + "flows:sources", String(decoding: sources, as: UTF8.self)],
            ["SET", prefix + "flows:version", version],
            ["EXEC"],
        ])
    }

    public func version() async throws -> String? {
        try await redis.command(["GET", prefix + "flows:version"]).string
    }

    public func sources() async throws -> Data? {
        guard case .bulk(let bytes) = try await redis.command(["GET", prefix + "flows:sources"]) else { return nil }
        return Data(bytes)
    }
}
