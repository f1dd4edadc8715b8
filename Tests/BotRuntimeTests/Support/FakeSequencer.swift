import BotRuntime
import Synchronization

/// A sequencer that records what it is given and answers as told.
final class FakeSequencer: UpdateSequencer {
    struct Submitted: Sendable {
        var inbound: Inbound
        var payload: [UInt8]
    }

    let submitted = Recorder<Submitted>()
    private let failure = Mutex<(any Error)?>(nil)
    private let pingFailure = Mutex<(any Error)?>(nil)

    func fail(with error: (any Error)?) { failure.withLock { $0 = error } }
    func failPing(with error: (any Error)?) { pingFailure.withLock { $0 = error } }

    func submit(_ inbound: Inbound, payload: [UInt8]) async throws -> Submission {
        submitted.append(Submitted(inbound: inbound, payload: payload))
        if let error = failure.withLock({ $0 }) { throw error }
        return .processed
    }

    let blocked = Recorder<Int64>()
    func markBlocked(chat: Int64) async throws { blocked.append(chat) }

    func ping() async throws {
        if let error = pingFailure.withLock({ $0 }) { throw error }
    }
}
