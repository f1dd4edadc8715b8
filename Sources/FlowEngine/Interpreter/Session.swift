/// Everything the bot remembers about one chat between updates. Codable, so any store can keep
/// it (memory, Redis); small, so it is cheap to load and save on every update.
public struct Session: Codable, Sendable, Hashable {
    public let userID: Int64
    public var username: String?
    /// The person's name as Telegram gives it (not a registered patient's name).
    public var displayName: String?
    public var locale: Language?
    public var variables: [String: Value]
    /// The call stack of running flows; the last frame is the current one. Empty: idle.
    public var frames: [Frame]
    /// Answered questions, newest last, for the back button.
    public var history: [HistoryEntry]
    /// Identifies the question on screen; a button from an earlier one carries another serial.
    public var serial: Int
    /// What each inline button of the current question does, by index.
    public var buttons: [ButtonAction]
    /// The page of a paginated list, or the month offset of a calendar, on screen now.
    public var view: Int
    /// The flow set version the session last ran with.
    public var flowsVersion: String?
    /// Whether the chat shows a reply keyboard the bot sent; nil: not known (an older session).
    public var replyKeyboard: Bool?

    public init(userID: Int64, username: String? = nil, displayName: String? = nil) {
        self.userID = userID
        self.username = username
        self.displayName = displayName
        self.locale = nil
        self.variables = [:]
        self.frames = []
        self.history = []
        self.serial = 0
        self.buttons = []
        self.view = 0
        self.flowsVersion = nil
        self.replyKeyboard = false
    }

    /// The flow and step the session is at, if a dialogue is running.
    public var position: (flow: String, step: String)? {
        frames.last.map { ($0.flow, $0.step) }
    }
}

/// One running flow: where it is and the parameters it was called with.
public struct Frame: Codable, Sendable, Hashable {
    public var flow: String
    public var step: String
    public var params: [String: Value]
    /// This frame interrupted the one below it (a triggered flow with `resume`, a system flow);
    /// when it ends, the question below is asked again.
    public var interrupts: Bool
    /// For an interrupting frame: how long the back history was when it began. Its own answers
    /// are dropped from the history when it ends, so "back" on the resumed question goes to
    /// the question before it, not into the interruption.
    public var historyDepth: Int?
    /// For an interrupting frame: whether it has said anything yet. One that ends without a
    /// word (a reminder for a visit that changed) leaves the question below as it was, rather
    /// than asking it again out of nowhere.
    public var spoke: Bool?
    /// The phone number the person shared with Telegram's own button (their own contact) in
    /// answer to this frame's last phone question; nil when they typed it. Actions see it as
    /// proof that the number is theirs; it goes when the frame does.
    public var sharedPhone: String?

    public init(flow: String, step: String, params: [String: Value] = [:], interrupts: Bool = false, historyDepth: Int? = nil) {
        self.flow = flow
        self.step = step
        self.params = params
        self.interrupts = interrupts
        self.historyDepth = historyDepth
    }
}

/// Enough to undo one answer: the stack as it was when the question was asked, and the
/// previous values of every variable changed since.
public struct HistoryEntry: Codable, Sendable, Hashable {
    public var frames: [Frame]
    public var locale: Language?
    /// Root variable → value before the change (nil: it did not exist).
    public var undo: [String: Value?]
}

/// What an inline button does; the button itself only carries `serial.index`.
public enum ButtonAction: Codable, Sendable, Hashable {
    /// Answer the question with this value; `label` is shown when the message is tidied.
    case answer(value: Value, label: String, next: String?)
    case page(Int)
    case back
    /// A button that does nothing (a calendar's weekday header, a day without slots).
    case inert
}
