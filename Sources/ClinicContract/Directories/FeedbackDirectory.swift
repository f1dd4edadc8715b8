
/// The ratings after visits the API stores and lists: `FeedbackStore` in production (with a
/// database; a remote clinic has none), a fake in tests.
public protocol FeedbackDirectory: Sendable {
    func rate(appointmentID: Int64, telegramUserID: Int64, score: Int, comment: String?, source: String,
              actor: AuditActor) async throws -> FeedbackRated
    func list(_ filter: FeedbackFilter) async throws -> FeedbackPage
}

