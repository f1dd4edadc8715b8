/// Where sessions live between updates: memory here; Redis in the server.
public protocol SessionStore: Sendable {
    func load(_ userID: Int64) async throws -> Session?
    func save(_ session: Session) async throws
    func delete(_ userID: Int64) async throws
}

/// Sessions in this process's memory: for the terminal chat, tests and a single instance
/// without Redis.
public actor InMemorySessionStore: SessionStore {
    private var sessions: [Int64: Session] = [:]

    public init() {}

    public func load(_ userID: Int64) -> Session? { sessions[userID] }
    public func save(_ session: Session) { sessions[session.userID] = session }
    public func delete(_ userID: Int64) { sessions.removeValue(forKey: userID) }
    public var count: Int { sessions.count }
}
