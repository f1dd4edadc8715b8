import FlowEngine
import Foundation

/// One instance, sessions in a `SessionStore` (memory): a chat's inputs take turns through a
/// per-chat queue of waiters; inputs seen recently are remembered to drop redeliveries.
public actor LocalSequencer: UpdateSequencer {
    let store: any SessionStore
    let work: UpdateWork
    let limit: RateLimit
    private var seen = RecentIDs<String>(capacity: 100_000)
    private var blocked: Set<Int64> = []
    private var busy: [Int64: [CheckedContinuation<Void, Never>]] = [:]
    private var rates: [Int64: (window: Int64, count: Int)] = [:]

    public init(store: any SessionStore, work: UpdateWork, limit: RateLimit) {
        self.store = store
        self.work = work
        self.limit = limit
    }

    public func ping() async throws {}

    public func markBlocked(chat: Int64) { blocked.insert(chat) }

    public func submit(_ inbound: Inbound, payload: [UInt8]) async throws -> Submission {
        let system = inbound.kind == .system
        // A person who writes has unblocked the bot; until then the bot starts nothing for them.
        if system, blocked.contains(inbound.chat) { return .blocked }
        if !system { blocked.remove(inbound.chat) }
        guard seen.insert(inbound.key) else {
            BotMetrics.duplicates.increment()
            return .duplicate
        }
        await take(inbound.chat)
        defer { release(inbound.chat) }
        do {
            let session = try await store.load(inbound.chat)
            if !system, overLimit(inbound.chat) {
                BotMetrics.rateLimited.increment()
                if rates[inbound.chat]?.count == limit.perMinute + 1 { work.deliver(work.tooFast(inbound, session)) }
                return .rateLimited
            }
            let processed = try await work.run(inbound, session)
            if let session = processed.session { try await store.save(session) }
            work.deliver(processed)
            return .processed
        } catch {
            // Not handled: a redelivery must be let through.
            seen.remove(inbound.key)
            throw error
        }
    }

    private func overLimit(_ chat: Int64) -> Bool {
        let window = RateLimit.window(Date())
        var rate = rates[chat] ?? (window, 0)
        if rate.window != window { rate = (window, 0) }
        rate.count += 1
        rates[chat] = rate
        if rates.count > 50_000 { rates = rates.filter { $0.value.window == window } }
        return rate.count > limit.perMinute
    }

    private func take(_ chat: Int64) async {
        if busy[chat] == nil {
            busy[chat] = []
            return
        }
        await withCheckedContinuation { busy[chat, default: []].append($0) }
    }

    private func release(_ chat: Int64) {
        guard var waiters = busy[chat], !waiters.isEmpty else {
            busy[chat] = nil
            return
        }
        let next = waiters.removeFirst()
        busy[chat] = waiters
        next.resume()
    }
}

/// The last `capacity` ids, oldest forgotten first.
struct RecentIDs<ID: Hashable> {
    let capacity: Int
    private var members: Set<ID> = []
    private var order: [ID] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    /// False when the id is already there.
    mutating func insert(_ id: ID) -> Bool {
        guard members.insert(id).inserted else { return false }
        order.append(id)
        if members.count > capacity {
            members.remove(order[head])
            head += 1
            if head > capacity { order.removeFirst(head); head = 0 }
        }
        return true
    }

    mutating func remove(_ id: ID) { members.remove(id) }
}
