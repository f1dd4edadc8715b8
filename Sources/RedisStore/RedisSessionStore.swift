import FlowEngine
import Foundation
import Logging

/// Sessions in Redis, so that several bot instances (and restarts) share them.
///
/// One key per chat, `<prefix>session:<userID>`, holding the session as JSON, with a TTL
/// renewed on every save: a chat silent for `ttlSeconds` starts over, and abandoned sessions
/// (which hold personal data) do not stay forever.
public struct RedisSessionStore: SessionStore {
    public let client: RedisClient
    public let prefix: String
    public let ttlSeconds: Int

    public init(client: RedisClient, prefix: String = "clinic-bot:", ttlSeconds: Int = 7 * 86_400) {
        precondition(ttlSeconds > 0, "a session TTL must be positive")
        self.client = client
        self.prefix = prefix
        self.ttlSeconds = ttlSeconds
    }

    public func key(_ userID: Int64) -> String {
        "\(prefix)session:\(userID)"
    }

    /// The stored session, or nil. A value that does not decode (written by an incompatible
    /// version, or damaged) counts as no session: the chat starts over instead of failing on
    /// every update.
    public func load(_ userID: Int64) async throws -> Session? {
        let key = key(userID)
        let reply = try await client.command(["GET", key])
        switch reply {
        case .null:
            return nil
        case .bulk(let bytes):
            do {
                let session = try JSONDecoder().decode(Session.self, from: Data(bytes))
                guard session.userID == userID else {
                    client.logger.warning("Stored session belongs to another user; ignored", metadata: ["key": "\(key)"])
                    return nil
                }
                return session
            } catch {
                // Not the error itself: decoding errors can quote the stored (personal) data.
                client.logger.warning("Stored session does not decode; treated as none", metadata: [
                    "key": "\(key)", "bytes": "\(bytes.count)",
                ])
                return nil
            }
        default:
            throw RedisError.unexpectedReply("GET answered with \(reply.kind)")
        }
    }

    public func save(_ session: Session) async throws {
        let json = try JSONEncoder().encode(session)
        let reply = try await client.command(bytes: [
            Array("SET".utf8), Array(key(session.userID).utf8), Array(json), Array("EX".utf8), Array(String(ttlSeconds).utf8),
        ])
        guard reply == .status("OK") else {
            throw RedisError.unexpectedReply("SET answered with \(reply.kind)")
        }
    }

    public func delete(_ userID: Int64) async throws {
        _ = try await client.command(["DEL", key(userID)])
    }
}
