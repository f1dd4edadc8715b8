import ClinicPostgres
import Foundation
import RedisStore

/// The flow set board in Redis: the version, the sources and their MAC, written together.
///
/// Sources are taken up only when their MAC verifies under the instances' shared key (a
/// subkey of the PII key, which Redis never holds): Redis is a place to meet, not a source of
/// truth, and someone who can write to it must not be able to make every instance run their
/// flows — valid flows that drop the `sensitive` marks, say, or send patients elsewhere. The
/// MAC covers the moment of publishing too, and a set older than `freshFor` is not taken up:
/// an old signed set written back (a rollback to flows from before a fix) is ignored. Nothing
/// legitimate is lost: every instance publishes its own folders when it starts, and the others
/// converge within seconds of a publish.
public struct RedisFlowSetBoard: FlowSetBoard {
    let redis: RedisClient
    let prefix: String
    let authenticate: @Sendable (Data) -> [UInt8]
    let freshFor: Duration
    let now: @Sendable () -> Date

    public init(redis: RedisClient, prefix: String = "clinic-bot:", freshFor: Duration = .seconds(600),
                now: @escaping @Sendable () -> Date = { Date() }, authenticate: @escaping @Sendable (Data) -> [UInt8]) {
        self.redis = redis
        self.prefix = prefix
        self.freshFor = freshFor
        self.now = now
        self.authenticate = authenticate
    }

    public func publish(version: String, sources: Data) async throws {
        let published = String(Int64(now().timeIntervalSince1970 * 1000))
        let mac = authenticate(Self.signed(published: published, version: version, sources: sources))
        _ = try await redis.pipeline([
            ["MULTI"],
            ["SET", prefix + "flows:sources", String(decoding: sources, as: UTF8.self)],
            ["SET", prefix + "flows:published", published],
            ["SET", prefix + "flows:mac", Hex.encode(mac)],
            ["SET", prefix + "flows:version", version],
            ["EXEC"],
        ])
    }

    public func version() async throws -> String? {
        try await redis.command(["GET", prefix + "flows:version"]).string
    }

    /// The sources, if their MAC verifies and they were published within `freshFor`; throws
    /// `FlowSetBoardTampered` when the MAC does not verify.
    public func sources() async throws -> Data? {
        let reply = try await redis.command([
            "MGET", prefix + "flows:version", prefix + "flows:sources", prefix + "flows:mac", prefix + "flows:published",
        ])
        guard let fields = reply.array, fields.count == 4, let version = fields[0].string,
              case .bulk(let bytes) = fields[1] else { return nil }
        let sources = Data(bytes)
        let published = fields[3].string ?? ""
        let expected = authenticate(Self.signed(published: published, version: version, sources: sources))
        let given = fields[2].string.flatMap(Hex.decode) ?? []
        guard secretsMatch(given, expected) else { throw FlowSetBoardTampered() }
        guard let milliseconds = Int64(published),
              abs(now().timeIntervalSince1970 - Double(milliseconds) / 1000) <= Double(freshFor.components.seconds) else {
            return nil
        }
        return sources
    }

    /// The moment, the version and the sources, so none can be swapped under another's MAC.
    static func signed(published: String, version: String, sources: Data) -> Data {
        Data(published.utf8) + Data([0]) + Data(version.utf8) + Data([0]) + sources
    }
}

/// The flow set in Redis does not carry a valid MAC: written by something without the key.
public struct FlowSetBoardTampered: Error, CustomStringConvertible {
    public var description: String { "the flow set in Redis does not verify: it was not written by an instance holding the key" }
}
