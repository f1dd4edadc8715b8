import ClinicContract
import Hummingbird

extension APIHandlers {
    /// 201 with the rating; 409 when the visit has one or has not begun; 404 when it is not the
    /// patient's own (or was cancelled): the same answer, so a caller learns nothing of others' visits.
    func rate(_ request: Request, feedback: any FeedbackDirectory) async throws -> Response {
        let body = try await JSONBody.decode(FeedbackBody.self, from: request)
        let comment = body.comment.map(\.text).flatMap { $0.isEmpty ? nil : $0 }
        switch try await feedback.rate(appointmentID: body.appointmentID.value, telegramUserID: body.telegramUserID.value,
                                       score: body.score.value, comment: comment, source: "api", actor: .api) {
        case .saved(let id):
            return try APIResponse.json(FeedbackSaved(id: id, appointmentID: body.appointmentID.value, score: body.score.value, comment: comment,
                                                      staffAlerted: body.score.value <= FeedbackRated.staffAlertAtOrBelow), status: .created)
        case .alreadyRated:
            throw APIError.alreadyRated
        case .notFound:
            throw APIError(ClinicRefusal.notFound)
        case .notYet:
            throw APIError.notVisitedYet
        }
    }

    /// The staff's listing: newest first, narrowed by any of the filters.
    func ratings(_ query: QueryParameters, feedback: any FeedbackDirectory) async throws -> Response {
        var filter = FeedbackFilter()
        filter.scoreMin = try query.optionalInt("score_min", in: 0...10)
        filter.scoreMax = try query.optionalInt("score_max", in: 0...10)
        filter.doctorID = try query.optionalID("doctor_id")
        filter.branchID = try query.optionalID("branch_id")
        filter.from = try query.optionalMoment("created_from")
        filter.to = try query.optionalMoment("created_to")
        filter.hasComment = try query.optionalBool("has_comment")
        filter.limit = try query.optionalInt("limit", in: 1...200) ?? 50
        filter.offset = try query.optionalInt("offset", in: 0...1_000_000) ?? 0
        return try APIResponse.json(try await feedback.list(filter))
    }
}
