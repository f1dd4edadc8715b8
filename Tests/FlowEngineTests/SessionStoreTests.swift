import FlowEngine
import Testing

@Suite("In-memory session store")
struct SessionStoreTests {
    @Test("a saved session loads back unchanged, and is gone after delete")
    func roundTrip() async throws {
        let store = InMemorySessionStore()
        var session = Session(userID: 7, username: "aigerim")
        session.locale = .kk
        session.variables["form"] = ["first_name": "Айгерим"]
        try await store.save(session)
        #expect(try await store.load(7) == session)
        #expect(try await store.load(8) == nil)
        try await store.delete(7)
        #expect(try await store.load(7) == nil)
    }

    @Test("a session idle past its time is gone, also in memory")
    func idleExpiry() async throws {
        let store = InMemorySessionStore(idle: .milliseconds(200))
        try await store.save(Session(userID: 7))
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await store.load(7) == nil)
        #expect(await store.count == 0)
    }

    @Test("by default a session is kept for a week of silence")
    func defaultIdle() async throws {
        let store = InMemorySessionStore()
        try await store.save(Session(userID: 7))
        #expect(try await store.load(7) != nil)
    }
}
