import BotRuntime
import FlowEngine
import Foundation
import Logging
import Synchronization
import TestSupport

/// An `UpdateWork` that records what a sequencer does with it. Each processed update adds one
/// to the session's counter "n" and remembers the count it saw, so a test can tell whether
/// every update saw the session the previous one stored.
final class RecordingWork: Sendable {
    /// What `process` saw: the update and the counter in the session it was given.
    struct Seen: Sendable, Equatable {
        var update: Int64
        var counter: Int?
    }

    let processed = Recorder<Seen>()
    let tooFast = Recorder<Int64>()
    let delivered = Recorder<Processed>()
    let meter = ConcurrencyMeter()
    let logs = LogRecorder()
    /// What to do on the way in, per update: throw, wait...
    private let behaviours = Mutex<[Int64: @Sendable (Inbound) async throws -> Void]>([:])

    init() {}

    func on(_ update: Int64, _ behaviour: @escaping @Sendable (Inbound) async throws -> Void) {
        behaviours.withLock { $0[update] = behaviour }
    }

    /// The update throws once, then goes through.
    func failOnce(_ update: Int64, with error: any Error & Sendable) {
        let thrown = Mutex(false)
        on(update) { _ in
            if !thrown.withLock({ let was = $0; $0 = true; return was }) { throw error }
        }
    }

    var work: UpdateWork {
        UpdateWork(
            process: { inbound, session in
                self.meter.enter(inbound.chat)
                defer { self.meter.leave(inbound.chat) }
                let id = Self.number(of: inbound)
                let behaviour = self.behaviours.withLock { $0[id] }
                try await behaviour?(inbound)
                let counter = session?.variables["n"]?.intValue
                self.processed.append(Seen(update: id, counter: counter))
                var next = session ?? Session(userID: inbound.chat)
                next.variables["n"] = .int((counter ?? 0) + 1)
                next.variables["last"] = .int(Int(id))
                return Processed(session: next, calls: [], chat: inbound.chat)
            },
            tooFast: { inbound, _ in
                self.tooFast.append(Self.number(of: inbound))
                return Processed(session: nil, calls: [], chat: inbound.chat)
            },
            deliver: { self.delivered.append($0) },
            logger: logs.logger)
    }

    var processedIDs: [Int64] { processed.all.map(\.update) }

    /// An update's id; for a system input "job:N", -N, so both kinds fit one list.
    static func number(of inbound: Inbound) -> Int64 {
        if let id = inbound.updateID { return id }
        guard case .system(let input) = inbound.source, let n = input.id.split(separator: ":").last.flatMap({ Int64($0) }) else { return -1 }
        return -n
    }
}
