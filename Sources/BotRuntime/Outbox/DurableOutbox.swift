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
        /// Replies one chat may have waiting; more are dropped and counted
        /// (`bot_outbox_dropped_total`). At Telegram's one message a second per chat this is
        /// minutes of backlog: a chat that far behind is blocked or flooding, and an unbounded
        /// list would grow with it.
        public var maxPerChat = 100
        public init() {}
    }

    private struct State {
        /// Chats whose replies a loop here is sending.
        var sending: Set<Int64> = []
        /// Chats given to this instance again while their loop was ending: they start anew,
        /// from the head Redis holds then (what was handed out meanwhile may be sent already).
        var restart: Set<Int64> = []
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
        var arguments = [instance, prefix, String(timing.deadAfter.milliseconds), String(chat), String(timing.maxPerChat)]
        for call in calls {
            do {
                arguments.append(try OutboxEntry.encode(call, name: namer.next()))
            } catch {
                logger.error("a reply could not be encoded for the outbox", metadata: ["method": "\(call.method)", "error": "\(error)"])
            }
        }
        Self.recorded.increment(by: arguments.count - 5)
        return (keys, arguments)
    }

    /// What the commit decided: `take` and `first` as `OutboxScripts.record` sets them.
    func committed(chat: Int64, take: Int64?, first: String?, dropped: Int64? = nil) {
        if let dropped, dropped > 0 {
            Self.dropped.increment(by: Int(dropped))
            logger.warning("a chat's outbox is full: replies dropped", metadata: ["chat": "\(chat)", "dropped": "\(dropped)"])
        }
        guard let take, take > 0, let first else { return }
        if take == 2 { Self.possibleDuplicates.increment() }
        startSending(chat: chat, from: first)
    }

    private var stopping: Bool { state.withLock { $0.stopping } }

    /// `bot_outbox_possible_duplicates_total`: chats taken over from an instance that stopped;
    /// each may see the message that instance was sending once more (at most one per chat).
    static let possibleDuplicates = Counter(label: "bot_outbox_possible_duplicates_total")
    static let recorded = Counter(label: "bot_outbox_recorded_total")
    /// Replies not recorded because their chat already had `Timing.maxPerChat` waiting.
    static let dropped = Counter(label: "bot_outbox_dropped_total")

    // MARK: Sending

    /// `first`: the head as the script that gave this instance the chat read it; nil reads
    /// the head afresh (a chat found owned without a loop, or given back while its loop ended).
    private func startSending(chat: Int64, from first: String?) {
        state.withLock { state in
            guard !state.stopping else { return }
            // A loop for the chat is here, ending: it let the chat go (or lost it) just before
            // the chat came back. It starts again when it ends.
            guard state.sending.insert(chat).inserted else {
                state.restart.insert(chat)
                return
            }
            Task { await self.send(chat: chat, from: first) }
        }
    }

    private func send(chat: Int64, from first: String?) async {
        var next: OutboxAcks.Next? = first.map { .entry($0) }
        if next == nil {
            // An acknowledgement of nothing: whether the chat is still this instance's, and its head.
            next = await acknowledge(chat: chat, sent: "", drop: false)
        }
        guard case .entry(let head)? = next else { return finish(chat) }
        var entry = OutboxEntry(head)
        var pause = Duration.seconds(1)
        while true {
            var blocked = false
            if let call = entry.call {
                let delivery = await sender.deliver(call, chat: chat, wanted: { !self.stopping })
                // Stopping: the entry stays for whoever takes the chat over.
                if delivery == .notSent { break }
                if delivery == .retry {
                    // Telegram is away: the entry stays first in line, and goes again later.
                    guard await pauseUnlessStopping(pause) else { break }
                    pause = min(pause * 2, .seconds(30))
                    continue
                }
                pause = .seconds(1)
                blocked = delivery == .blocked
            } else {
                logger.error("an outbox entry is not a Bot API call this version knows: skipped", metadata: ["chat": "\(chat)"])
            }
            if blocked {
                logger.info("chat blocked the bot: its waiting replies are dropped", metadata: ["chat": "\(chat)"])
                await onBlocked(chat)
            }
            guard case .entry(let following)? = await acknowledge(chat: chat, sent: entry.text, drop: blocked) else { break }
            entry = OutboxEntry(following)
            if stopping { break }
        }
        finish(chat)
    }

    /// The chat's loop has ended: start it again if the chat came back meanwhile, and wake
    /// `flush` when no chat is left.
    private func finish(_ chat: Int64) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.restart.remove(chat) != nil, !state.stopping {
                // The chat stays in `sending`: its new loop takes over.
                Task { await self.send(chat: chat, from: nil) }
                return []
            }
            state.sending.remove(chat)
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
            guard await pauseUnlessStopping(pause) else { return nil }
            pause = min(pause * 2, .seconds(2))
        }
    }

    /// Sleeps `duration`, in short steps so a shutdown is not held up; false when stopping.
    private func pauseUnlessStopping(_ duration: Duration) async -> Bool {
        let until = ContinuousClock.now + duration
        while ContinuousClock.now < until {
            if stopping { return false }
            try? await Task.sleep(for: min(.milliseconds(250), until - ContinuousClock.now))
        }
        return !stopping
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
            let taken = fields.first?.array ?? [], owned = fields[safe: 1]?.array ?? []
            var index = 0
            while index + 2 < taken.count {
                if let chat = taken[index].int, let first = taken[index + 1].string {
                    // An instance that left at shutdown had nothing in flight.
                    if taken[index + 2].int == 1 { Self.possibleDuplicates.increment() }
                    startSending(chat: chat, from: first)
                }
                index += 3
            }
            if !taken.isEmpty {
                logger.notice("took over the replies of an instance that stopped", metadata: ["chats": "\(taken.count / 3)"])
            }
            // Chats Redis says are this instance's with no loop here: the reply that gave one
            // to it was lost (a timeout after the script ran). Their loops start from the head.
            for chat in owned.compactMap(\.int) where state.withLock({ !$0.sending.contains(chat) }) {
                startSending(chat: chat, from: nil)
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
        // A loop waiting its turn ends without sending; one in a call ends after it (cancelling
        // it could cut a message Telegram already has, which the next sender would repeat).
        state.withLock { $0.stopping = true }
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
