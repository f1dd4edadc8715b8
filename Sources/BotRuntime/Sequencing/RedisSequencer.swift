import FlowEngine
import Foundation
import Logging
import RedisStore
import Synchronization
import Telegram

/// Several instances, one Redis. Every update is put in its chat's queue (sorted by update id)
/// and the request that claims the chat handles the queue in order, whichever instance each
/// update reached; the others wait until theirs is marked done. "Done" marks (kept a day) drop
/// redeliveries. The session is read when the chat is claimed and written with the done mark,
/// atomically, so a session and its update are never out of step.
public final class RedisSequencer: UpdateSequencer {
    let redis: RedisClient
    let work: UpdateWork
    let limit: RateLimit
    let prefix: String
    let sessionTTL: Int
    /// A chat is claimed for this long; each handled update renews it. A crashed holder's claim
    /// runs out and another request takes over.
    let lockMilliseconds = 15_000
    /// How long a request waits for another to handle its update before answering 503.
    let patience: Duration
    private let instance = UUID().uuidString
    private let counter = Atomic<Int>(0)
    /// Claims this instance could not release (Redis went away): it may take them back.
    private let stranded = Mutex<[Int64: String]>([:])
    private let encoder = JSONEncoder()

    public init(redis: RedisClient, work: UpdateWork, limit: RateLimit, prefix: String = "clinic-bot:",
                sessionTTL: Int = 60 * 60 * 24 * 30, patience: Duration = .seconds(20)) {
        self.redis = redis
        self.work = work
        self.limit = limit
        self.prefix = prefix
        self.sessionTTL = sessionTTL
        self.patience = patience
    }

    public func ping() async throws { try await redis.ping() }

    func key(_ name: String, _ id: Int64) -> String { "\(prefix)\(name):\(id)" }

    public func submit(_ inbound: Inbound, payload: [UInt8]) async throws -> Submission {
        let chat = inbound.chat
        let token = "\(instance).\(counter.add(1, ordering: .relaxed).newValue)"
        let window = RateLimit.window(Date())
        let deadline = ContinuousClock.now + patience
        var pause = Duration.milliseconds(1)
        var first = true
        while true {
            let reclaim = stranded.withLock { $0.removeValue(forKey: chat) } ?? ""
            let reply: RedisReply
            do {
                reply = try await redis.eval(
                RedisSequencerScripts.admit,
                keys: [key("done", inbound.updateID), key("queue", chat), key("lock", chat), "\(prefix)rate:\(chat):\(window)", key("session", chat)],
                arguments: [String(inbound.updateID), String(decoding: payload, as: UTF8.self), token, String(lockMilliseconds),
                            String(limit.perMinute), "60", reclaim])
            } catch {
                // A call that timed out may still run once Redis answers again, and claim the
                // chat with this token: this instance may take it back rather than wait it out.
                stranded.withLock { $0[chat] = reclaim.isEmpty ? token : reclaim }
                throw error
            }
            let fields = reply.array ?? []
            switch fields.first?.int {
            case 0:
                if first { BotMetrics.duplicates.increment() }
                return first ? .duplicate : .processed
            case 3:
                BotMetrics.rateLimited.increment()
                if fields.count > 1, fields[1].int == 1 { work.deliver(work.tooFast(inbound, decodeSession(fields[safe: 2]))) }
                return .rateLimited
            case 1:
                try await drain(chat: chat, token: token, head: fields)
                if try await isDone(inbound.updateID) { return .processed }
            default:
                break
            }
            first = false
            guard ContinuousClock.now < deadline else { throw StorageUnavailable("chat \(chat) stayed busy for \(patience)") }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
    }

    private func isDone(_ updateID: Int64) async throws -> Bool {
        try await redis.command(["EXISTS", key("done", updateID)]).int == 1
    }

    /// Handles the chat's queue from `head` on, while this caller holds the chat.
    private func drain(chat: Int64, token: String, head: [RedisReply]) async throws {
        var head = head
        while head.count >= 3, let id = head[1].int, let payload = head[2].string {
            let session = decodeSession(head[safe: 3])
            let processed: Processed
            do {
                if let inbound = Self.inbound(payload, updateID: id) {
                    processed = try await work.run(inbound, session)
                } else {
                    BotMetrics.ignored.increment()
                    processed = Processed(session: nil, calls: [], chat: chat)
                }
            } catch {
                await letGo(chat: chat, token: token)
                throw error
            }
            let stored = try processed.session.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? ""
            let next: RedisReply
            do {
                next = try await redis.eval(
                    RedisSequencerScripts.commit,
                    keys: [key("done", id), key("queue", chat), key("lock", chat), key("session", chat)],
                    arguments: [String(id), token, stored, String(sessionTTL), String(lockMilliseconds)])
            } catch {
                stranded.withLock { $0[chat] = token }
                throw error
            }
            let fields = next.array ?? []
            if fields.first?.int == -1 {
                work.logger.warning("lost the chat while handling an update; another request redoes it", metadata: ["update_id": "\(id)"])
                return
            }
            work.deliver(processed)
            guard fields.first?.int == 1 else { return }
            head = fields
        }
        await letGo(chat: chat, token: token)
    }

    private func letGo(chat: Int64, token: String) async {
        do {
            _ = try await redis.eval(RedisSequencerScripts.release, keys: [key("lock", chat)], arguments: [token])
        } catch {
            stranded.withLock { $0[chat] = token }
        }
    }

    private func decodeSession(_ reply: RedisReply?) -> Session? {
        guard case .bulk(let bytes)? = reply else { return nil }
        return try? JSONDecoder().decode(Session.self, from: Data(bytes))
    }

    static func inbound(_ payload: String, updateID: Int64) -> Inbound? {
        guard let update = try? TelegramJSON.decoder.decode(Update.self, from: Data(payload.utf8)) else { return nil }
        return Inbound(update)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
