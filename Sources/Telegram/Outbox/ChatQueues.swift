import Foundation

/// The per-chat queues behind `Outbox`, under a lock: `enqueue` must not suspend, so an actor
/// will not do.
// @unchecked: every access to the stored state holds `lock`.
final class ChatQueues: @unchecked Sendable {
    private struct Queue {
        var calls: [BotCall] = []
        var head = 0
        var count: Int { calls.count - head }
    }

    private let lock = NSLock()
    /// A chat has an entry exactly while a task drains it.
    private var queues: [Int64: Queue] = [:]
    private var waiting = 0
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    var pending: Int { lock.withLock { waiting } }

    /// Appends; true when the chat had no draining task and the caller must start one.
    func append(_ calls: [BotCall], chat: Int64) -> Bool {
        lock.withLock {
            waiting += calls.count
            if queues[chat] != nil {
                queues[chat]!.calls += calls
                return false
            }
            queues[chat] = Queue(calls: calls)
            return true
        }
    }

    /// The chat's next call, or nil when its queue is empty; then the drain ends and the entry
    /// goes (memory stays bounded by the chats with something to send).
    func next(chat: Int64) -> BotCall? {
        let waiters: [CheckedContinuation<Void, Never>]
        let call: BotCall?
        (call, waiters) = lock.withLock {
            guard var queue = queues[chat], queue.count > 0 else {
                queues[chat] = nil
                guard queues.isEmpty else { return (nil, []) }
                defer { idleWaiters = [] }
                return (nil, idleWaiters)
            }
            queues[chat] = nil  // unique reference while mutating: no copy of the array
            let call = queue.calls[queue.head]
            queue.head += 1
            if queue.head > 64 && queue.head * 2 > queue.calls.count {
                queue.calls.removeFirst(queue.head)
                queue.head = 0
            }
            queues[chat] = queue
            waiting -= 1
            return (call, [])
        }
        for waiter in waiters { waiter.resume() }
        return call
    }

    /// Drops the chat's waiting calls; returns how many.
    func dropAll(chat: Int64) -> Int {
        lock.withLock {
            guard let count = queues[chat]?.count, count > 0 else { return 0 }
            queues[chat] = Queue()
            waiting -= count
            return count
        }
    }

    func waitUntilIdle() async {
        await withCheckedContinuation { continuation in
            let idle = lock.withLock {
                if queues.isEmpty { return true }
                idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
