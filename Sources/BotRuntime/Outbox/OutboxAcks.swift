import RedisStore

/// Acknowledgements to the durable outbox, gathered: while one batch is on its way to Redis,
/// the chats that finish sending meanwhile wait and go together in the next, so under load
/// one round trip serves many chats and alone a chat waits for no timer.
actor OutboxAcks {
    struct Ack: Sendable {
        let chat: Int64
        let sent: String
        let drop: Bool
    }

    enum Next: Sendable, Equatable {
        case entry(String)
        /// The chat's queue is empty and the chat let go.
        case finished
        /// Another instance sends for this chat now.
        case lost
    }

    private let redis: RedisClient
    private let instance: String
    private let prefix: String
    private var waiting: [(Ack, CheckedContinuation<Result<Next, any Error>, Never>)] = []
    private var flushing = false
    /// Bounds one script's work, so other clients of Redis are not held up by a long one.
    private let batchLimit = 256

    init(redis: RedisClient, instance: String, prefix: String) {
        self.redis = redis
        self.instance = instance
        self.prefix = prefix
    }

    /// Marks `ack.sent` as accepted by Telegram and returns what the chat sends next.
    func acknowledge(_ ack: Ack) async throws -> Next {
        let result = await withCheckedContinuation { continuation in
            waiting.append((ack, continuation))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
        return try result.get()
    }

    private func flush() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(batchLimit))
            waiting.removeFirst(batch.count)
            var arguments = [instance, prefix]
            arguments.reserveCapacity(2 + 3 * batch.count)
            for (ack, _) in batch { arguments += [String(ack.chat), ack.sent, ack.drop ? "1" : "0"] }
            do {
                let replies = try await redis.eval(OutboxScripts.acknowledge, keys: [], arguments: arguments).array ?? []
                guard replies.count == batch.count else { throw RedisError.unexpectedReply("acknowledge answered \(replies.count) of \(batch.count)") }
                for (index, (_, continuation)) in batch.enumerated() {
                    let next: Next = switch replies[safe: index] {
                    case .bulk(let bytes) where bytes.isEmpty: .finished
                    case .bulk(let bytes): .entry(String(decoding: bytes, as: UTF8.self))
                    default: .lost
                    }
                    continuation.resume(returning: .success(next))
                }
            } catch {
                for (_, continuation) in batch { continuation.resume(returning: .failure(error)) }
            }
        }
        flushing = false
    }
}
