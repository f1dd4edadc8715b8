import ClinicContract
import FlowEngine

/// `feedback.rate`: the patient's 0–10 score for an appointment, once.
public struct FeedbackRateAction: Action {
    public static let signature = ActionSignature(
        name: "feedback.rate",
        summary: "Rate an appointment 0–10 (one rating per appointment; a low one alerts the staff chat)",
        parameters: [.init("appointment_id", .int), .init("score", .int)],
        outcomes: ["ok", "already_rated", "not_found"],
        resultFields: [])

    let store: any FeedbackRatings
    public init(store: any FeedbackRatings) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("appointment_id")
        guard let score = arguments["score"]?.intValue, (0...10).contains(score) else { return .error }
        switch try await store.rate(appointmentID: id, telegramUserID: context.telegramUserID, score: score, comment: nil, source: "telegram",
                                          actor: .telegram(context.telegramUserID)) {
        case .saved: return .ok([:])
        case .alreadyRated: return ActionResult(outcome: "already_rated")
        case .notFound, .notYet: return ActionResult(outcome: "not_found")
        }
    }
}

/// `feedback.comment`: what the patient wrote after a low score.
public struct FeedbackCommentAction: Action {
    public static let signature = ActionSignature(
        name: "feedback.comment",
        summary: "Add the patient's comment to their rating of an appointment",
        parameters: [.init("appointment_id", .int), .init("comment", .string)],
        outcomes: ["ok", "not_found"],
        resultFields: [])

    let store: any FeedbackRatings
    public init(store: any FeedbackRatings) { self.store = store }

    public func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult {
        let id = try ActionArguments(arguments).id("appointment_id")
        let text = try ActionArguments(arguments).string("comment")
        let saved = try await store.comment(appointmentID: id, telegramUserID: context.telegramUserID, text: text, actor: .telegram(context.telegramUserID))
        return ActionResult(outcome: saved ? "ok" : "not_found")
    }
}

/// The feedback actions, ready for an `ActionRegistry`.
public enum FeedbackActions {
    public static let signatures = [FeedbackRateAction.signature, FeedbackCommentAction.signature]
    public static func all(store: any FeedbackRatings) -> [any Action] {
        [FeedbackRateAction(store: store), FeedbackCommentAction(store: store)]
    }
}
