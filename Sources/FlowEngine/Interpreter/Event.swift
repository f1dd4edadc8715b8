/// Something that happened in a chat, as the engine sees it (no transport details).
public enum Event: Sendable, Hashable {
    /// A typed message.
    case text(String)
    /// `/name argument`.
    case command(String, argument: String)
    /// An inline button press, with the token it carried.
    case button(String)
    /// A shared contact: `userID` is the contact's own Telegram id, if any, so a number that is
    /// not the sender's own can be refused.
    case contact(phone: String, userID: Int64?)
    /// The answer to the action call of the previous turn.
    case actionResult(ActionResult)
    /// A system-started flow (a reminder, the NPS question) with its parameters.
    case start(flow: String, params: [String: Value])
    /// A detached flow whose wait is over resumes.
    case resume(Job)

    /// Parses a typed line: `/start ref` is a command, anything else text.
    public static func typed(_ line: String) -> Event {
        if line.hasPrefix("/"), line.count > 1 {
            let body = line.dropFirst()
            let name = body.prefix { $0 != " " && $0 != "@" }
            if !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                let rest = body.drop { $0 != " " }.drop { $0 == " " }
                return .command(name.lowercased(), argument: String(rest))
            }
        }
        return .text(line)
    }
}

/// A flow paused by `wait`, kept outside the session until its moment comes.
public struct Job: Codable, Sendable, Hashable {
    public let flow: String
    /// The waiting step; the flow goes on from its `next`.
    public let step: String
    public let params: [String: Value]
    /// When to resume, as an ISO 8601 UTC moment.
    public let at: String

    public init(flow: String, step: String, params: [String: Value], at: String) {
        self.flow = flow
        self.step = step
        self.params = params
        self.at = at
    }
}
