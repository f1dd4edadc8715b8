import Actions
import Foundation
import RedisStore

/// The flow set board in Redis: the version, the sources and their MAC, written together.
///
/// Sources are taken up only when their MAC verifies under the instances' shared key (a
/// subkey of the PII key, which Redis never holds): Redis is a place to meet, not a source of
/// truth, and someone who can write to it must not be able to make every instance run their
/// flows — valid flows that drop the `sensitive` marks, say, or send patients elsewhere.
public struct RedisFlowSetBoard: FlowSetBoard {
    let redis: RedisClient
    let prefix: String
    let authenticate: @Sendable (Data) -> [UInt8]

    public init(redis: RedisClient, prefix: String = "clinic-bot:", authenticate: @escaping @Sendable (Data) -> [UInt8]) {
        self.redis = redis
        self.prefix = prefix
        self.authenticate = authenticate
    }

    public func publish(version: String, sources: Data) async throws {
        let mac = authenticate(Self.signed(version: version, sources: sources))
        _ = try await redis.pipeline([
            ["MULTI"],
            ["SET", prefix + "flows:sources", String(decoding: sources, as: UTF8.self)],
            ["SET", prefix + "flows:mac", mac.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()],
            ["SET", prefix + "flows:version", version],
            ["EXEC"],
        ])
    }

    public func version() async throws -> String? {
        try await redis.command(["GET", prefix + "flows:version"]).string
    }

    /// The sources, if their MAC verifies; throws `FlowSetBoardTampered` if it does not.
    public func sources() async throws -> Data? {
        let reply = try await redis.command(["MGET", prefix + "flows:version", prefix + "flows:sources", prefix + "flows:mac"])
        guard let fields = reply.array, fields.count == 3, let version = fields[0].string,
              case .bulk(let bytes) = fields[1] else { return nil }
        let sources = Data(bytes)
        let expected = authenticate(Self.signed(version: version, sources: sources))
        let given = fields[2].string.flatMap(Self.bytes(hex:)) ?? []
        guard secretsMatch(given, expected) else { throw FlowSetBoardTampered() }
        return sources
    }

    /// The version and the sources, so neither can be swapped under the other's MAC.
    static func signed(version: String, sources: Data) -> Data {
        Data(version.utf8) + Data([0]) + sources
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            result.append(byte)
            index += 2
        }
        return result
    }
}

/// The flow set in Redis does not carry a valid MAC: written by something without the key.
public struct FlowSetBoardTampered: Error, CustomStringConvertible {
    public var description: String { "the flow set in Redis does not verify: it was not written by an instance holding the key" }
}
