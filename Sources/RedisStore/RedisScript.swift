/// A Lua script with its SHA-1, computed once, so `RedisClient.eval` can send the short
/// EVALSHA and fall back to the full source only when Redis does not have it cached.
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// Lowercase hex SHA-1 of the source's UTF-8 bytes: what Redis names the script by.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hex(source.utf8)
    }
}
