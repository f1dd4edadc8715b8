import ClinicPostgres
import FlowEngine
import Foundation

/// An input the bot gives a chat by itself: a flow whose wait is over, or a flow the system
/// starts (a reminder, the rating after a visit; later a payment confirmation, a staff reply).
/// It reaches the chat through the same sequencer as the person's updates, so it never runs
/// beside one of them, and its `id` (unique for ever, e.g. "job:42") makes it run once.
public struct SystemInput: Codable, Sendable, Hashable {
    public let id: String
    public let chat: Int64
    public let flow: String
    /// The waiting step of a sleeping flow, which goes on from its transition; nil starts the
    /// flow from its entry.
    public let step: String?
    public let params: [String: Value]
    /// When the flow was due, as an ISO 8601 UTC moment.
    public let due: String

    public init(id: String, chat: Int64, flow: String, step: String?, params: [String: Value], due: String) {
        self.id = id
        self.chat = chat
        self.flow = flow
        self.step = step
        self.params = params
        self.due = due
    }

    /// A due job as its chat's input, named "job:<id>" for as long as the job lives.
    public init(_ claimed: ClaimedFlowJob) {
        let job = claimed.job
        self.init(id: "job:\(claimed.id)", chat: job.chat, flow: job.flow, step: job.step, params: job.params, due: Moment.format(job.due))
    }

    /// What the engine sees.
    public var event: Event {
        if let step { return .resume(Job(flow: flow, step: step, params: params, at: due)) }
        return .start(flow: flow, params: params)
    }

    /// The queued form: `{"system":{…}}` with sorted keys, the same bytes for the same input,
    /// so queueing it twice is seen as one. Telegram updates never start with this key.
    public var payload: [UInt8] {
        Array((try? Self.encoder.encode(Envelope(system: self))) ?? Data())
    }

    /// The system input in a queued payload; nil for a Telegram update.
    public static func decode(_ payload: String) -> SystemInput? {
        guard payload.hasPrefix(envelopePrefix) else { return nil }
        return try? JSONDecoder().decode(Envelope.self, from: Data(payload.utf8)).system
    }

    static let envelopePrefix = #"{"system":"#

    private struct Envelope: Codable { let system: SystemInput }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
