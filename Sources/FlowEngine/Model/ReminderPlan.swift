/// When the clinic starts flows by itself about an appointment: a file in `flows/` that begins
/// with `plan:` lists the entries (the day-before reminder, the arrival check, the rating …).
/// Each entry names a flow, a moment relative to the appointment and what happens when that
/// moment falls in the quiet hours. The bot's planner turns every upcoming appointment into
/// one job per entry.
public struct ReminderPlan: Sendable, Hashable {
    public let name: Located<String>
    public let file: String
    public let entries: [Entry]

    public struct Entry: Sendable, Hashable {
        /// Unique in the plan; names the job with the appointment ("plan:42:day_before").
        public let name: Located<String>
        public let flow: Located<String>
        public let moment: Moment
        public let quiet: Quiet
    }

    /// `start - 24h`, `end + 2h`: the appointment's start or end, moved by whole seconds.
    public struct Moment: Sendable, Hashable, CustomStringConvertible {
        public enum Anchor: String, Sendable, Hashable { case start, end }
        public let anchor: Anchor
        public let offsetSeconds: Int

        public var description: String {
            let sign = offsetSeconds < 0 ? "-" : "+"
            return "\(anchor.rawValue) \(sign) \(abs(offsetSeconds))s"
        }
    }

    /// What a message whose moment falls in the quiet hours does.
    public enum Quiet: String, Sendable, Hashable, CaseIterable {
        /// Goes anyway (the arrival check: the visit itself is then).
        case send
        /// Goes the evening before (the day-before reminder).
        case evening
        /// Goes when the quiet hours end (the rating after a late visit).
        case morning
        /// Is not sent, unless the visit itself is in the quiet hours (the 3 h and 1 h reminders:
        /// nobody wants one at 05:30 for a 08:30 visit, but a night visit is reminded).
        case skip
    }

    /// The parameters every planned flow is started with; a flow of the plan may declare any of
    /// them and no others. `language` is the patient's (ru or kk), from their card: a reminder
    /// may reach a chat whose conversation was forgotten long ago.
    public static let parameters = ["appointment_id", "start", "end", "language"]
}
