import FlowEngine
import Synchronization

/// Sessions this instance decoded or stored, each with the revision Redis gave it. Redis stays
/// the truth: a session is used from here only when Redis says its revision is still current,
/// which spares decoding it again (the largest cost of an update after HTTP) when the same
/// instance handles a chat's next update.
final class SessionCache: Sendable {
    private let entries = Mutex<[Int64: (revision: Int64, session: Session)]>([:])
    let capacity: Int

    init(capacity: Int = 100_000) { self.capacity = capacity }

    func revision(of chat: Int64) -> Int64? { entries.withLock { $0[chat]?.revision } }

    func session(of chat: Int64, revision: Int64) -> Session? {
        entries.withLock { entry in
            guard let cached = entry[chat], cached.revision == revision else { return nil }
            return cached.session
        }
    }

    func store(_ session: Session, chat: Int64, revision: Int64) {
        entries.withLock { entries in
            // Bounded: past capacity the cache starts over; a miss only costs a decode.
            if entries.count >= capacity, entries[chat] == nil { entries.removeAll(keepingCapacity: true) }
            entries[chat] = (revision, session)
        }
    }

    func forget(_ chat: Int64) { _ = entries.withLock { $0.removeValue(forKey: chat) } }
}
