import FlowEngine
import Foundation
import Logging
import RedisStore
import Synchronization
import Telegram

/// Several instances, one Redis. Every input is put in its chat's queue (updates sorted by
/// update id, the bot's own inputs after what was queued before them) and the request that
/// claims the chat handles the queue in order, whichever instance each input reached; the
/// others wait until theirs is marked done. "Done" marks (a day for updates, a
/// week for the bot's own inputs) drop redeliveries. The session is read when the chat is claimed and written with the done mark,
/// atomically, so a session and its update are never out of step.
public final class RedisSequencer: UpdateSequencer {
    let redis: RedisClient
    let work: UpdateWork
    let limit: RateLimit
    let prefix: String
    /// Where and for how long sessions are kept: the same layout `RedisSessionStore` reads, so
    /// the two never disagree about a chat's session.
    let sessions: RedisSessionStore
    /// A chat is claimed for this long, renewed while an update is handled and with each one
    /// handled. A crashed holder's claim runs out and another request takes over.
    let lockMilliseconds: Int
    /// How long a request waits for another to handle its update before answering 503.
    let patience: Duration
    private let instance = UUID().uuidString
    private let counter = Atomic<Int>(0)
    /// Claims this instance could not release (Redis went away): it may take them back.
    private let stranded = Mutex<[Int64: String]>([:])
    private let encoder = JSONEncoder()
    private let cache = SessionCache()
    /// Renews the claims of updates that take long to handle.
    private let renewer: ClaimRenewer
    private static let decoder = JSONDecoder()
    /// Where replies wait until Telegram accepts them, recorded with the session; nil: they
    /// go to `work.deliver` once the session is stored (and die with the process).
    let outbox: DurableOutbox?

    public init(redis: RedisClient, work: UpdateWork, limit: RateLimit, prefix: String = "clinic-bot:",
                sessionTTL: Int = 7 * 86_400, patience: Duration = .seconds(20), outbox: DurableOutbox? = nil,
                claim: Duration = .seconds(15)) {
        self.redis = redis
        let lockMilliseconds = max(30, Int(claim.components.seconds * 1000 + claim.components.attoseconds / 1_000_000_000_000_000))
        self.lockMilliseconds = lockMilliseconds
        self.renewer = ClaimRenewer(redis: redis, lockMilliseconds: lockMilliseconds, maxHold: Self.maxHold) { [prefix] chat in
            "\(prefix)lock:\(chat)"
        }
        self.outbox = outbox
        self.work = work
        self.limit = limit
        self.prefix = prefix
        self.sessions = RedisSessionStore(client: redis, prefix: prefix, ttlSeconds: sessionTTL)
        self.patience = patience
    }

    public func ping() async throws { try await redis.ping() }

    public func markBlocked(chat: Int64) async throws {
        _ = try await redis.command(["SADD", blockedKey, String(chat)])
    }

    /// Chats whose person blocked the bot; a message from them takes theirs out (`admit`).
    var blockedKey: String { "\(prefix)blocked" }
    /// Telegram redelivers an update for at most a day; a job is claimed again after a crash
    /// within its lease, but a store that was down for days may hand it out late: a week.
    static let updateDoneSeconds = 86_400
    /// The longest one update keeps its chat by renewing the claim.
    static let maxHold: Duration = .seconds(120)
    static let systemDoneSeconds = 7 * 86_400

    func key(_ name: String, _ id: some CustomStringConvertible) -> String { "\(prefix)\(name):\(id)" }

    public func submit(_ inbound: Inbound, payload: [UInt8]) async throws -> Submission {
        let chat = inbound.chat
        let token = "\(instance).\(counter.add(1, ordering: .relaxed).newValue)"
        let window = RateLimit.window(Date())
        let deadline = ContinuousClock.now + patience
        var pause = Duration.milliseconds(1)
        var first = true
        while true {
            let reclaim = stranded.withLock { $0.removeValue(forKey: chat) } ?? ""
            let cached = cache.revision(of: chat).map(String.init) ?? ""
            let reply: RedisReply
            do {
                if let updateID = inbound.updateID {
                    reply = try await redis.eval(
                        RedisSequencerScripts.admit,
                        keys: [key("done", inbound.key), key("queue", chat), key("lock", chat), "\(prefix)rate:\(chat):\(window)",
                               sessions.key(chat), key("revision", chat), blockedKey],
                        arguments: [String(updateID), String(decoding: payload, as: UTF8.self), token, String(lockMilliseconds),
                                    String(limit.perMinute), "60", reclaim, cached, String(chat)])
                } else {
                    reply = try await redis.eval(
                        RedisSequencerScripts.admitSystem,
                        keys: [key("done", inbound.key), key("queue", chat), key("lock", chat), blockedKey,
                               sessions.key(chat), key("revision", chat)],
                        arguments: [String(decoding: payload, as: UTF8.self), String(chat), token, String(lockMilliseconds),
                                    "", "", reclaim, cached])
                }
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
            case 4:
                return .blocked
            case 3:
                BotMetrics.rateLimited.increment()
                if fields.count > 1, fields[1].int == 1 { work.deliver(work.tooFast(inbound, decodeSession(fields[safe: 2]))) }
                return .rateLimited
            case 1:
                // Usually the queue's head is this very update, handled first; if the chat was
                // lost midway, the loop asks Redis again.
                if try await drain(chat: chat, token: token, head: fields, own: inbound) { return .processed }
            default:
                break
            }
            first = false
            guard ContinuousClock.now < deadline else { throw StorageUnavailable("chat \(chat) stayed busy for \(patience)") }
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
    }

    /// Handles the chat's queue from `head` on, while this caller holds the chat. Returns
    /// whether `own` was among the inputs handled and stored. `own` is already decoded: the
    /// queue's copy is decoded only for inputs that reached other requests or instances.
    private func drain(chat: Int64, token: String, head: [RedisReply], own: Inbound) async throws -> Bool {
        var head = head
        var handledOwn = false
        while head.count >= 3, let score = head[1].string, let payload = head[2].string {
            // A system input is named by its id; an update by its id, which is its score.
            let system = SystemInput.decode(payload)
            let inputKey = system.map { "s:" + $0.id } ?? score
            let session = try await currentSession(of: chat, head: head)
            let processed: Processed
            do {
                if let inbound = inputKey == own.key ? own : system.map(Inbound.init) ?? Self.inbound(payload) {
                    processed = try await renewer.holding(chat: chat, token: token) { try await work.run(inbound, session) }
                } else {
                    BotMetrics.ignored.increment()
                    processed = Processed(session: nil, calls: [], chat: chat)
                }
            } catch {
                await letGo(chat: chat, token: token)
                throw error
            }
            let stored = try processed.session.map { String(decoding: try encoder.encode($0), as: UTF8.self) } ?? ""
            let kept = processed.session ?? session
            var keys = [key("done", inputKey), key("queue", chat), key("lock", chat), sessions.key(chat), key("revision", chat)]
            var arguments = [score, token, stored, String(sessions.ttlSeconds), String(lockMilliseconds), kept == nil ? "0" : "1",
                             String(system == nil ? Self.updateDoneSeconds : Self.systemDoneSeconds)]
            if let outbox, !processed.calls.isEmpty {
                let recording = outbox.recording(processed.calls, chat: chat)
                keys += recording.keys
                arguments += recording.arguments
            }
            let next: RedisReply
            do {
                next = try await redis.eval(RedisSequencerScripts.commit, keys: keys, arguments: arguments)
            } catch {
                stranded.withLock { $0[chat] = token }
                throw error
            }
            let fields = next.array ?? []
            if fields.first?.int == -1 {
                work.logger.warning("lost the chat while handling an input; another request redoes it", metadata: ["input": "\(inputKey)"])
                return handledOwn
            }
            if inputKey == own.key { handledOwn = true }
            let revision = fields.first?.int == 1 ? fields[safe: 4]?.int : fields[safe: 1]?.int
            if let kept, let revision { cache.store(kept, chat: chat, revision: revision) } else { cache.forget(chat) }
            if let outbox {
                // Where the reply says who sends the recorded replies: after {0, rev} or the six of {1, …}.
                let at = fields.first?.int == 1 ? 6 : 2
                outbox.committed(chat: chat, take: fields[safe: at]?.int, first: fields[safe: at + 1]?.string,
                                 dropped: fields[safe: at + 2]?.int)
            } else {
                work.deliver(processed)
            }
            guard fields.first?.int == 1 else { return handledOwn }
            head = fields
        }
        await letGo(chat: chat, token: token)
        return handledOwn
    }

    private func letGo(chat: Int64, token: String) async {
        do {
            _ = try await redis.eval(RedisSequencerScripts.release, keys: [key("lock", chat)], arguments: [token])
        } catch {
            stranded.withLock { $0[chat] = token }
        }
    }

    /// The session for the head update: this instance's copy when Redis said it is current,
    /// else the one Redis sent.
    private func currentSession(of chat: Int64, head: [RedisReply]) async throws -> Session? {
        guard head[safe: 5]?.int == 1, let revision = head[safe: 4]?.int else { return decodeSession(head[safe: 3]) }
        if let cached = cache.session(of: chat, revision: revision) { return cached }
        // Dropped from the cache meanwhile (it is bounded): read it.
        return decodeSession(try await redis.command(["GET", sessions.key(chat)]))
    }

    private func decodeSession(_ reply: RedisReply?) -> Session? {
        guard case .bulk(let bytes)? = reply else { return nil }
        return try? Self.decoder.decode(Session.self, from: Data(bytes))
    }

    static func inbound(_ payload: String) -> Inbound? {
        guard let update = try? TelegramJSON.decoder.decode(Update.self, from: Data(payload.utf8)) else { return nil }
        return Inbound(update)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
