import Foundation
import Synchronization

/// People who wrote in the last 15 minutes, for the `bot_active_users` gauge (this instance's).
final class ActiveUsers: Sendable {
    static let shared = ActiveUsers()
    static let window: TimeInterval = 15 * 60
    private let seen = Mutex<(last: [Int64: TimeInterval], pruned: TimeInterval)>(([:], 0))

    func saw(_ chat: Int64, now: Date = Date()) {
        let time = now.timeIntervalSince1970
        let count = seen.withLock { state -> Int in
            state.last[chat] = time
            if time - state.pruned > 60 {
                state.last = state.last.filter { time - $0.value < Self.window }
                state.pruned = time
            }
            return state.last.count
        }
        BotMetrics.activeUsers.record(count)
    }
}
