/// Keeps the bot under Telegram's sending limits (about 30 messages a second overall, about
/// one a second in one chat, short bursts tolerated) so it rarely sees a 429 at all.
///
/// Each limit is a token bucket kept as GCRA ("generic cell rate algorithm"): one instant per
/// bucket, the theoretical arrival time of the next message. A caller reserves its slot under
/// the actor and then sleeps until it, once: no polling, and turns are handed out in the
/// order callers arrived.
///
/// A reserved turn is when a message may go, not when it does: on a busy machine a sender wakes
/// late, and the next, on time, follows it closer than the rate allows. Telegram counts what
/// arrives, so the global limit is also kept over the instants messages really left
/// (`SendWindow`): at most ⌈rate⌉ of them in any ⌈rate⌉ ÷ rate seconds.
public actor OutboundLimiter {
    private struct Bucket {
        /// Between two messages at the steady rate.
        let interval: Duration
        /// How far ahead of the steady rate a burst may run: `(burst - 1) · interval`.
        let tolerance: Duration

        init(perSecond: Double, burst: Int) {
            interval = .seconds(1 / max(perSecond, 1e-6))
            tolerance = interval * max(burst - 1, 0)
        }

        /// The earliest instant a message conforms, given the theoretical arrival time.
        func earliest(_ tat: ContinuousClock.Instant?, now: ContinuousClock.Instant) -> ContinuousClock.Instant {
            guard let tat else { return now }
            return max(now, tat - tolerance)
        }

        /// The theoretical arrival time after a message sent at `at`.
        func after(_ tat: ContinuousClock.Instant?, sendingAt at: ContinuousClock.Instant) -> ContinuousClock.Instant {
            max(tat ?? at, at) + interval
        }
    }

    private let clock = ContinuousClock()
    private let global: Bucket
    private let perChat: Bucket
    private var globalTAT: ContinuousClock.Instant?
    private var chatTAT: [Int64: ContinuousClock.Instant] = [:]
    /// Telegram said "too many requests, retry after …": nothing goes out before this.
    private var pausedUntil: ContinuousClock.Instant?
    /// When the latest messages of all chats really left.
    private var window: SendWindow?
    /// Forget idle chats when the table reaches this size; doubled past the survivors so the
    /// sweep stays amortised O(1) per message.
    private var sweepAt = 1024

    /// - Parameters:
    ///   - messagesPerSecond: all chats together.
    ///   - perChatPerSecond: one chat, at the steady rate.
    ///   - perChatBurst: messages one chat may get at once (a reply is often an edit and two sends).
    ///   - globalBurst: messages all chats together may get at once; 1 spaces them evenly.
    public init(messagesPerSecond: Double = 29.2, perChatPerSecond: Double = 1, perChatBurst: Int = 3, globalBurst: Int = 1) {
        global = Bucket(perSecond: messagesPerSecond, burst: globalBurst)
        perChat = Bucket(perSecond: perChatPerSecond, burst: perChatBurst)
        // Only where the limit is Telegram's: a local Bot API server (a rate of thousands) has none.
        if messagesPerSecond <= 1_000 {
            let count = Int(messagesPerSecond.rounded(.up)) + max(globalBurst - 1, 0)
            window = SendWindow(count: max(count, 1), span: .seconds(Double(max(count, 1)) / max(messagesPerSecond, 1e-6)))
        }
    }

    /// Suspends until both the global bucket and `chat`'s allow one more message, and takes
    /// that message from both. Returns early only if the task is cancelled.
    public func waitTurn(chat: Int64) async {
        // The chat's own turn first, then the global one: a chat that must wait a second for
        // itself does not hold a global slot meanwhile, which would stall every other chat.
        let chatTurn = perChat.earliest(chatTAT[chat], now: clock.now)
        chatTAT[chat] = perChat.after(chatTAT[chat], sendingAt: chatTurn)
        sweepIfDue()
        if chatTurn > clock.now {
            do { try await Task.sleep(until: chatTurn, clock: clock) } catch { return }
        }

        while true {
            let globalTurn = global.earliest(globalTAT, now: max(clock.now, pausedUntil ?? clock.now))
            globalTAT = global.after(globalTAT, sendingAt: globalTurn)
            if globalTurn > chatTurn {
                // Sent later than the chat's turn: the chat's bucket counts from the real send.
                chatTAT[chat] = max(chatTAT[chat] ?? globalTurn, globalTurn + perChat.interval)
            }
            if globalTurn > clock.now {
                do { try await Task.sleep(until: globalTurn, clock: clock) } catch { return }
            }
            // A pause that began while this turn was waiting covers it: take a turn after it.
            if let pausedUntil, pausedUntil > clock.now { continue }
            guard var window else { return }
            // The message `count` places back must have left `span` ago; this one's place is
            // taken now, so a sender waking meanwhile counts from it.
            let slot = window.reserve(now: clock.now)
            self.window = window
            if slot.at > clock.now {
                do { try await Task.sleep(until: slot.at, clock: clock) } catch { return }
            }
            if let pausedUntil, pausedUntil > clock.now { continue }
            self.window?.left(slot.index, at: clock.now)
            return
        }
    }

    /// Telegram answered 429 with `retry_after`: every chat waits that long, and the turns
    /// handed out after the pause are spaced as usual, so the senders do not all come back at
    /// once into another 429.
    public func pause(for duration: Duration) {
        let until = clock.now + duration
        pausedUntil = max(pausedUntil ?? until, until)
        globalTAT = max(globalTAT ?? until, until)
    }

    /// When the pause after the latest 429 ends (nil: there was none).
    public var pauseEnds: ContinuousClock.Instant? { pausedUntil }

    /// Chats whose limiter state is still remembered (for metrics and tests).
    public var trackedChats: Int { chatTAT.count }

    /// A chat whose theoretical arrival time has passed has a full bucket again, the same as a
    /// chat never seen: its entry can go, so memory follows the chats active in the last
    /// second or so, not every chat ever served.
    private func sweepIfDue() {
        guard chatTAT.count >= sweepAt else { return }
        let now = clock.now
        chatTAT = chatTAT.filter { $0.value > now }
        sweepAt = max(1024, chatTAT.count * 2)
    }
}

/// The instants the latest `count` messages left (or will, for places taken and not yet
/// used), oldest first, in a ring.
private struct SendWindow {
    let count: Int
    let span: Duration
    private var instants: [ContinuousClock.Instant] = []
    private var next = 0

    init(count: Int, span: Duration) {
        self.count = count
        self.span = span
        instants.reserveCapacity(count)
    }

    /// Takes the next place: the earliest instant a message may leave so that it and the
    /// `count - 1` before it fit in `span`.
    mutating func reserve(now: ContinuousClock.Instant) -> (index: Int, at: ContinuousClock.Instant) {
        let at: ContinuousClock.Instant
        if instants.count < count {
            at = now
            instants.append(at)
            return (instants.count - 1, at)
        }
        at = max(now, instants[next] + span)
        let index = next
        instants[index] = at
        next = (next + 1) % count
        return (index, at)
    }

    /// The message of place `index` really left at `at` (later than reserved, when it woke late).
    mutating func left(_ index: Int, at: ContinuousClock.Instant) {
        guard instants.indices.contains(index) else { return }
        instants[index] = max(instants[index], at)
    }
}
