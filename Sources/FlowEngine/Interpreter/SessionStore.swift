/// Where sessions live between updates: memory here; Redis in the server.
public protocol SessionStore: Sendable {
    func load(_ userID: Int64) async throws -> Session?
    func save(_ session: Session) async throws
    func delete(_ userID: Int64) async throws
}

/// Sessions in this process's memory: for the terminal chat, tests and a single instance
/// without Redis. A session not saved for `idle` is gone, as in Redis: `load` no longer sees
/// it, and saves sweep such sessions out from time to time.
public actor InMemorySessionStore: SessionStore {
    private var sessions: [Int64: (session: Session, saved: ContinuousClock.Instant)] = [:]
    private let idle: Duration
    private var nextSweep: ContinuousClock.Instant

    public init(idle: Duration = .seconds(7 * 86_400)) {
        self.idle = idle
        self.nextSweep = .now + idle
    }

    public func load(_ userID: Int64) -> Session? {
        guard let entry = sessions[userID] else { return nil }
        guard ContinuousClock.now - entry.saved < idle else {
            sessions.removeValue(forKey: userID)
            return nil
        }
        return entry.session
    }

    public func save(_ session: Session) {
        let now = ContinuousClock.now
        sessions[session.userID] = (session, now)
        if now >= nextSweep {
            sessions = sessions.filter { now - $0.value.saved < idle }
            nextSweep = now + min(idle, .seconds(3600))
        }
    }

    public func delete(_ userID: Int64) { sessions.removeValue(forKey: userID) }
    public var count: Int { sessions.count }
}
