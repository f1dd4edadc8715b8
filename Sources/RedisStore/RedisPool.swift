import NIOCore
import Synchronization

/// At most `size` connections, created lazily, lent to one caller at a time.
///
/// A caller that finds every connection busy waits asynchronously (no thread blocks), and
/// waiters are served first come, first served. The pool only lends and takes back: opening
/// a connection and running commands is the client's job, on the thread pool.
final class RedisPool: Sendable {
    /// A right to use one connection. `connection` is nil when the slot has none yet (first
    /// use, or its previous connection broke): the holder opens one.
    struct Slot: Sendable {
        var connection: RedisConnection?
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Slot, any Error>
    }

    private struct State {
        /// Slots nobody holds. Their number plus the slots lent out is always `size`.
        var idle: [Slot]
        var waiters = CircularBuffer<Waiter>()
        var nextWaiterID: UInt64 = 0
        var closed = false
    }

    let size: Int
    private let state: Mutex<State>

    init(size: Int) {
        precondition(size > 0, "a Redis pool needs at least one connection")
        self.size = size
        self.state = Mutex(State(idle: Array(repeating: Slot(), count: size)))
    }

    /// Waits for a free slot. Throws `.connection` once the pool is closed, and
    /// `CancellationError` if the task is cancelled while it waits.
    func lease() async throws -> Slot {
        // Fast path without a continuation.
        let immediate: Result<Slot, RedisError>? = state.withLock { state in
            if state.closed { return .failure(.connection("the Redis client is closed")) }
            // Prefer a slot with an open connection (idle.last: released slots go last).
            if let slot = state.idle.popLast() { return .success(slot) }
            return nil
        }
        if let immediate { return try immediate.get() }

        let id = state.withLock { state in
            defer { state.nextWaiterID &+= 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Slot, any Error>) in
                // Decided under the lock, so that a release between the fast path and here
                // is not missed, and a cancellation before it is not either.
                let outcome: Result<Slot, any Error>? = state.withLock { state in
                    if state.closed { return .failure(RedisError.connection("the Redis client is closed")) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if let slot = state.idle.popLast() { return .success(slot) }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Gives a slot back: to the longest waiter, else to the idle list. After `close()` its
    /// connection is dropped (and so freed) instead.
    func release(_ slot: Slot) {
        let waiter: Waiter? = state.withLock { state in
            if state.closed { return nil }
            if let waiter = state.waiters.popFirst() { return waiter }
            // Slots with a connection go last, where lease() takes from.
            if slot.connection == nil {
                state.idle.insert(slot, at: 0)
            } else {
                state.idle.append(slot)
            }
            return nil
        }
        // Resumed outside the lock: resuming runs no code here, but keeps the lock short.
        waiter?.continuation.resume(returning: slot)
    }

    /// Frees idle connections, fails every waiter, and makes later leases fail. Connections
    /// lent out are freed when they come back.
    func close() {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.idle.removeAll()
                state.waiters.removeAll()
            }
            return (state.idle, Array(state.waiters))
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: RedisError.connection("the Redis client is closed"))
        }
        // Dropping the last references frees the contexts (RedisConnection.deinit).
        _ = idle
    }
}
