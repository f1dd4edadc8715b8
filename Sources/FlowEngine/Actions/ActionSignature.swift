/// What an action accepts and what it can answer; the validator checks flows against it.
public struct ActionSignature: Sendable, Hashable {
    /// The kinds of value a parameter accepts.
    public enum ValueType: String, Sendable, Hashable {
        case string, int, bool, date, datetime, list, map, any
    }

    /// One named argument of an action.
    public struct Parameter: Sendable, Hashable {
        public let name: String
        public let type: ValueType
        public let required: Bool
        public init(_ name: String, _ type: ValueType, required: Bool = true) {
            self.name = name
            self.type = type
            self.required = required
        }
    }

    public let name: String
    public let summary: String
    public let parameters: [Parameter]
    /// Outcomes besides `error`, which every action has (storage down, clinic unreachable).
    public let outcomes: [String]
    /// The fields of the value the action saves on `ok`.
    public let resultFields: [String]
    /// The result holds a person's data (names, a birth date): a flow must save it into a
    /// variable it lists under `sensitive`, so it leaves the session with the flow.
    public let personalResult: Bool
    /// Texts the action words its result with (a PDF's labels): a flow that calls it needs
    /// them in every language, since a printed page cannot fall back to a key's name.
    public let texts: [String]

    public init(
        name: String, summary: String, parameters: [Parameter], outcomes: [String], resultFields: [String],
        personalResult: Bool = false, texts: [String] = []
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.outcomes = outcomes
        self.resultFields = resultFields
        self.personalResult = personalResult
        self.texts = texts
    }

    /// Every outcome a flow must route, `error` included.
    public var allOutcomes: [String] { outcomes.contains("error") ? outcomes : outcomes + ["error"] }
}

/// The person and moment an action runs for; flows cannot forge these.
public struct ActionContext: Sendable, Hashable {
    public let telegramUserID: Int64
    public let telegramUsername: String?
    public let locale: String
    /// The phone number the person proved is theirs in this dialogue, by sharing their own
    /// contact through Telegram's button (E.164); nil when they typed it.
    public let sharedPhone: String?
    public init(telegramUserID: Int64, telegramUsername: String?, locale: String, sharedPhone: String? = nil) {
        self.telegramUserID = telegramUserID
        self.telegramUsername = telegramUsername
        self.locale = locale
        self.sharedPhone = sharedPhone
    }
}

/// A request from a flow to run an action; the engine returns it instead of performing it.
public struct ActionCall: Sendable, Hashable {
    public let name: String
    public let arguments: [String: Value]
    public let context: ActionContext
    public init(name: String, arguments: [String: Value], context: ActionContext) {
        self.name = name
        self.arguments = arguments
        self.context = context
    }
}

/// What an action answered: a declared outcome and, on success, a value to save.
public struct ActionResult: Sendable, Hashable {
    public let outcome: String
    public let value: Value
    public init(outcome: String, value: Value = .null) {
        self.outcome = outcome
        self.value = value
    }
    public static func ok(_ value: Value = .null) -> ActionResult { ActionResult(outcome: "ok", value: value) }
    public static let error = ActionResult(outcome: "error")
}

/// Runs actions for the interpreter: the database in production, fixtures in conversation tests.
public protocol ActionPerformer: Sendable {
    var signatures: [ActionSignature] { get }
    func perform(_ call: ActionCall) async -> ActionResult
}
