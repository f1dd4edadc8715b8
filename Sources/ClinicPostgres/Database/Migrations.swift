/// Every migration of the clinic database. Each domain lists its own, next to its SQL (its
/// `…Schema.migrations`); they apply in the order of their versions, one sequence for all
/// domains: a new migration takes the next free version whichever domain it belongs to.
public enum Migrations {
    public static let all: [Migration] = {
        let domains: [[Migration]] = [
            AuditSchema.migrations, [PIIKeyGuard.schema], FlowJobSchema.migrations,
            PatientSchema.migrations, SchedulingSchema.migrations, FeedbackSchema.migrations,
            DocumentSchema.migrations, PaymentSchema.migrations,
        ]
        let all = domains.flatMap { $0 }.sorted { $0.version < $1.version }
        precondition(Set(all.map(\.version)).count == all.count, "two migrations share a version")
        return all
    }()
}
