import ClinicPostgres
import Foundation

/// Work the server does on a clock, in no chat: removing expired documents, releasing unpaid
/// holds. It rides the durable scheduler: each run is a job in `flow_jobs` named after its
/// period ("task:documents.cleanup:493812"), so one instance runs it per period however many
/// run, a run missed while every instance was down happens at the next start, and a run that
/// fails is tried again. Its `flow` is the task's name, which holds a dot: no flow's name can.
public struct ScheduledTask: Sendable {
    public let name: String
    public let every: Duration
    public let run: @Sendable () async throws -> Void

    public init(name: String, every: Duration, run: @escaping @Sendable () async throws -> Void) {
        precondition(name.contains("."), "a task's name holds a dot, so it never names a flow")
        self.name = name
        self.every = every
        self.run = run
    }

    /// The job of the period `now` falls in: due at the period's start, so a new period's run
    /// is due at once.
    func job(at now: Date) -> NewFlowJob {
        job(period: Int64((now.timeIntervalSince1970 / seconds).rounded(.down)))
    }

    /// The job of the period after `job`'s.
    func next(after job: NewFlowJob) -> NewFlowJob {
        self.job(period: Int64((job.due.timeIntervalSince1970 / seconds).rounded(.down)) + 1)
    }

    private func job(period: Int64) -> NewFlowJob {
        NewFlowJob(origin: "task:\(name):\(period)", chat: 0, flow: name, step: nil, params: [:],
                   due: Date(timeIntervalSince1970: Double(period) * seconds))
    }

    private var seconds: Double {
        max(1, Double(every.components.seconds) + Double(every.components.attoseconds) / 1e18)
    }
}
