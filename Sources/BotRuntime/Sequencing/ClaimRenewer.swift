import Foundation
import RedisStore
import Synchronization

/// Keeps the chats' claims alive while their updates are handled, without a task per update:
/// one loop per sequencer wakes every quarter of a claim's life and renews only the claims held
/// longer than that — the slow updates. A claim is first renewed when at most half its life has
/// passed, then every quarter: the other half is the margin for a loop that wakes late. A fast update (nearly all of them) costs a dictionary
/// insert and removal, nothing in Redis.
final class ClaimRenewer: Sendable {
    private struct Held {
        let token: String
        let since: ContinuousClock.Instant
    }

    private let held = Mutex<[Int64: Held]>([:])
    private let loop = Mutex<Task<Void, Never>?>(nil)
    private let redis: RedisClient
    private let lockKey: @Sendable (Int64) -> String
    private let lockMilliseconds: Int
    /// The longest one update keeps its chat: an update hung that long (a lock never granted)
    /// lets the chat go rather than wedge it for good.
    let maxHold: Duration

    init(redis: RedisClient, lockMilliseconds: Int, maxHold: Duration, lockKey: @escaping @Sendable (Int64) -> String) {
        self.redis = redis
        self.lockMilliseconds = lockMilliseconds
        self.maxHold = maxHold
        self.lockKey = lockKey
    }

    deinit { loop.withLock { $0?.cancel() } }

    /// Runs `body` with the chat's claim renewed for as long as it takes (up to `maxHold`).
    func holding<T: Sendable>(chat: Int64, token: String, _ body: () async throws -> T) async throws -> T {
        held.withLock { $0[chat] = Held(token: token, since: .now) }
        startIfNeeded()
        defer { _ = held.withLock { $0.removeValue(forKey: chat) } }
        return try await body()
    }

    private func startIfNeeded() {
        loop.withLock { task in
            guard task == nil else { return }
            let every = Duration.milliseconds(lockMilliseconds / 4)
            task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: every)
                    guard let self else { return }
                    await self.renewSlow(olderThan: every)
                }
            }
        }
    }

    private func renewSlow(olderThan age: Duration) async {
        let now = ContinuousClock.now
        let due = held.withLock { held in
            held.filter { now - $0.value.since >= age && now - $0.value.since < maxHold }
        }
        for (chat, claim) in due {
            // A claim already gone stays gone: the commit will see it lost and write nothing.
            _ = try? await redis.eval(RedisSequencerScripts.renew, keys: [lockKey(chat)], arguments: [claim.token, String(lockMilliseconds)])
        }
    }
}
