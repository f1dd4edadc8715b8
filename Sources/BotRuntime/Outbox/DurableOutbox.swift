import Foundation
import Logging
import Metrics
import RedisStore
import ServiceLifecycle
import Synchronization
import Telegram

/// The bot's replies, kept in Redis from the moment the session that produced them is stored
/// until Telegram accepts them (`OutboxScripts` has the layout). A process that dies leaves its
/// replies behind, and a live instance, or the next start, sends them: the one message that
/// may arrive twice is the one whose HTTP call was in flight at the crash, counted in
/// `bot_outbox_possible_duplicates_total`.
///
/// One instance sends a chat's replies at a time, in order; the others only record theirs and
/// the sender picks them up. As a `Service` it keeps this instance's heartbeat and takes over
/// the chats of instances that stopped.
public final class DurableOutbox: Service, Sendable {
    let redis: RedisClient
    let sender: CallSender
    let prefix: String
    /// This process's name in Redis: a restarted process is a new instance, and its former
    /// self's chats are taken over like any stopped instance's.
    let instance = "i-" + UUID().uuidString
    let timing: Timing
    private let logger: Logger
    private let onBlocked: @Sendable (Int64) async -> Void
    private let acks: OutboxAcks
    private let namer = OutboxEntry.Namer()
    private let state = Mutex(State())

    public struct Timing: Sendable {
        /// An instance silent this long has stopped: its chats are taken over.
        public var deadAfter: Duration = .seconds(30)
        public var heartbeat: Duration = .seconds(5)
        /// Chats taken over per heartbeat.
        public var rescueBatch = 500
        /// At shutdown, how long to go on sending before leaving the rest to other instances.
        public var shutdownGrace: Duration = .seconds(10)
        public init() {}
    }

    private struct State {
        /// The loop sending each chat's replies here.
        var sending: [Int64: Task<Void, Never>] = [:]
        /// Chats given to this instance again while their loop was ending: they start anew.
        var restart: [Int64: String] = [:]
        var stopping = false
        var idle: [CheckedContinuation<Void, Never>] = []
    }

    public init(redis: RedisClient, sender: CallSender, prefix: String = "clinic-bot:", timing: Timing = Timing(),
                logger: Logger, onBlocked: @escaping @Sendable (Int64) async -> Void = { _ in }) {
        self.redis = redis
        self.sender = sender
        self.prefix = prefix
        self.timing = timing
        self.logger = logger
        self.onBlocked = onBlocked
        self.acks = OutboxAcks(redis: redis, instance: instance, prefix: prefix)
    }

    // MARK: Recording, with the sequencer's commit

    /// The keys and arguments `OutboxScripts.record` takes after the commit's own.
    func recording(_ calls: [BotCall], chat: Int64) -> (keys: [String], arguments: [String]) {
        let keys = ["\(prefix)out:\(chat)", "\(prefix)out-owner:\(chat)", "\(prefix)owned:\(instance)", "\(prefix)instances"]
        var arguments = [instance, prefix, String(timing.deadAfter.milliseconds), String(chat)]
        for call in calls {
            do {
                arguments.append(try OutboxEntry.encode(call, name: namer.next()))
            } catch {
                logger.error("a reply could not be encoded for the outbox", metadata: ["method": "\(call.method)", "error": "\(error)"])
            }
        }
        Self.recorded.increment(by: arguments.count - 4)
        return (keys, arguments)
    }

    /// What the commit decided: `take` and `first` as `OutboxScripts.record` sets them.
    func committed(chat: Int64, take: Int64?, first: String?) {
        guard let take, take > 0, let first else { return }
        if take == 2 { Self.possibleDuplicates.increment() }
        startSending(chat: chat, from: first)
    }

    /// `bot_outbox_possible_duplicates_total`: chats taken over from an instance that stopped;
    /// each may see the message that instance was sending once more (at most one per chat).
    static let possibleDuplicates = Counter(label: "bot_outbox_possible_duplicates_total")
    static let recorded = Counter(label: "bot_outbox_recorded_total")

    // MARK: Sending

    private func startSending(chat: Int64, from first: String) {
        state.withLock { state in
            guard !state.stopping else { return }
            // A loop for the chat is here, ending: it let the chat go (or lost it) just before
            // the chat came back. It starts again when it ends.
            guard state.sending[chat] == nil else {
                state.restart[chat] = first
                return
            }
            state.sending[chat] = Task { await self.send(chat: chat, from: first) }
        }
    }

    private func send(chat: Int64, from first: String) async {
        var entry = OutboxEntry(first)
        while true {
            var blocked = false
            if let call = entry.call {
                let delivery = await sender.deliver(call, chat: chat)
                // Stopping: the entry stays for whoever takes the chat over.
                if delivery == .notSent { break }
                blocked = delivery == .blocked
            } else {
                logger.error("an outbox entry is not a Bot API call this version knows: skipped", metadata: ["chat": "\(chat)"])
            }
            if blocked {
                logger.info("chat blocked the bot: its waiting replies are dropped", metadata: ["chat": "\(chat)"])
                await onBlocked(chat)
            }
            guard case .entry(let next)? = await acknowledge(chat: chat, sent: entry.text, drop: blocked) else { break }
            entry = OutboxEntry(next)
            if Task.isCancelled { break }
        }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.sending[chat] = nil
            if let again = state.restart.removeValue(forKey: chat), !state.stopping {
                state.sending[chat] = Task { await self.send(chat: chat, from: again) }
                return []
            }
            guard state.sending.isEmpty else { return [] }
            defer { state.idle = [] }
            return state.idle
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Marks the entry sent, trying again while Redis is away; nil when stopping meanwhile (the
    /// entry stays, and whoever takes the chat over sends it: at most once more).
    private func acknowledge(chat: Int64, sent: String, drop: Bool) async -> OutboxAcks.Next? {
        var pause = Duration.milliseconds(100)
        while true {
            do {
                return try await acks.acknowledge(.init(chat: chat, sent: sent, drop: drop))
            } catch {
                logger.warning("a sent reply could not be marked; trying again", metadata: ["chat": "\(chat)", "error": "\(error)"])
            }
            if Task.isCancelled { return nil }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(2))
        }
    }

    /// Returns when this instance sends for no chat (tests; shutdown).
    public func flush() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state in
                if state.sending.isEmpty { return true }
                state.idle.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Chats this instance is sending for now.
    public var sendingChats: Int { state.withLock { $0.sending.count } }

    // MARK: Heartbeat and rescue

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.beat()
                try? await Task.sleep(for: self.timing.heartbeat)
            }
        }
        await stop()
    }

    /// One heartbeat: this instance is alive, and the chats of one that stopped are now its.
    public func beat() async {
        do {
            let reply = try await redis.eval(OutboxScripts.heartbeat, keys: [], arguments: [
                instance, prefix, String(timing.deadAfter.milliseconds), String(timing.rescueBatch), "0",
            ])
            let fields = reply.array ?? []
            var index = 0
            while index + 1 < fields.count {
                if let chat = fields[index].int, let first = fields[index + 1].string {
                    Self.possibleDuplicates.increment()
                    startSending(chat: chat, from: first)
                }
                index += 2
            }
            if fields.count > 0 {
                logger.notice("took over the replies of an instance that stopped", metadata: ["chats": "\(fields.count / 2)"])
            }
        } catch {
            logger.warning("outbox heartbeat failed", metadata: ["error": "\(error)"])
        }
    }

    /// Sends what it can within the grace, then stops and hands the rest over at once.
    public func stop() async {
        let deadline = ContinuousClock.now + timing.shutdownGrace
        while sendingChats > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let loops = state.withLock { state in
            state.stopping = true
            return Array(state.sending.values)
        }
        // A loop waiting its turn ends without sending; one in a call ends after it.
        for loop in loops { loop.cancel() }
        await flush()
        do {
            _ = try await redis.eval(OutboxScripts.heartbeat, keys: [], arguments: [instance, prefix, "0", "0", "1"])
        } catch {
            logger.warning("could not hand the outbox over; others take it after the heartbeat lapses", metadata: ["error": "\(error)"])
        }
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
