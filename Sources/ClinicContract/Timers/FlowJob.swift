import FlowEngine
import Foundation

/// A flow to run in a chat at a moment: a flow that went to sleep in a `wait` and resumes, or a
/// flow the system starts (a reminder). `origin` makes it once: "u123#0" is the first job of
/// input 123, "plan:42:day_before" a reminder of appointment 42.
public struct NewFlowJob: Sendable, Hashable {
    public var origin: String
    public var chat: Int64
    public var flow: String
    /// The waiting step of a sleeping flow; nil starts `flow` from its entry.
    public var step: String?
    public var params: [String: Value]
    public var due: Date

    public init(origin: String, chat: Int64, flow: String, step: String?, params: [String: Value], due: Date) {
        self.origin = origin
        self.chat = chat
        self.flow = flow
        self.step = step
        self.params = params
        self.due = due
    }
}

/// A due job this instance holds the lease of. `fence` proves it: finishing with an older one
/// changes nothing.
public struct ClaimedFlowJob: Sendable, Hashable {
    public let id: Int64
    public let fence: Int64
    public let attempts: Int
    public let job: NewFlowJob

    public init(id: Int64, fence: Int64, attempts: Int, job: NewFlowJob) {
        self.id = id
        self.fence = fence
        self.attempts = attempts
        self.job = job
    }
}

/// How a fired job ended.
public enum FlowJobOutcome: String, Sendable {
    /// The flow ran in its chat.
    case fired
    /// The chat had already handled it (a claim after a crash between the two).
    case duplicate
    /// The person blocked the bot: nothing is sent to them.
    case blocked
}

/// Where jobs wait for their moment. PostgreSQL in `serve`; every instance may claim from it.
public protocol FlowJobStore: Sendable {
    /// Stores jobs; one whose origin is already stored is left as it is.
    func schedule(_ jobs: [NewFlowJob]) async throws
    /// Claims up to `limit` due jobs (due by the store's clock), earliest first, for `lease`.
    func claimDue(limit: Int, lease: Duration) async throws -> [ClaimedFlowJob]
    /// Marks a job done. False when the fence is stale: another claim holds it now.
    @discardableResult
    func finish(_ id: Int64, fence: Int64, outcome: FlowJobOutcome) async throws -> Bool
    /// Gives a job back to be claimed again after `delay` (its chat could not be reached now).
    func retry(_ id: Int64, fence: Int64, after delay: Duration) async throws
    /// Deletes jobs finished longer than `age` ago; returns how many.
    @discardableResult
    func prune(olderThan age: Duration) async throws -> Int
}
