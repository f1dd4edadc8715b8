/// Every migration of the clinic database, in the order they apply. Each domain keeps its SQL
/// next to its code; append new ones here with the next version number.
public enum Migrations {
    public static let all: [Migration] = [
        PatientSchema.patients,
        PatientSchema.telegramLinks,
        AuditSchema.botAudit,
        SchedulingSchema.scheduling,
        FlowJobSchema.flowJobs,
        FeedbackSchema.feedback,
        PIIKeyGuard.schema,
        ConsentLedger.schema,
        AuditSchema.byActor,
        LinkCodes.schema,
        PatientSchema.phoneVerified,
        DocumentSchema.documents,
        PaymentSchema.payments,
        PaymentSchema.paidBy,
        PaymentSchema.holds,
    ]
}
