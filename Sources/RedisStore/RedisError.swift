/// How a Redis call fails. Messages never hold stored values, only what went wrong.
public enum RedisError: Error, Sendable, CustomStringConvertible {
    /// Cannot connect, connection lost, timeout, client closed: Redis is unavailable, and the
    /// caller answers 5xx.
    case connection(String)
    /// Redis answered with an error reply (WRONGTYPE, a script error...).
    case server(String)
    /// Redis answered, but not with the kind of reply the call expects.
    case unexpectedReply(String)

    public var description: String {
        switch self {
        case .connection(let message): "Redis unavailable: \(message)"
        case .server(let message): "Redis error: \(message)"
        case .unexpectedReply(let message): "unexpected Redis reply: \(message)"
        }
    }
}
