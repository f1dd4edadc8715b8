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
}
