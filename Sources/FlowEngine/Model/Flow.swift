/// One dialogue: a named state machine read from one YAML file.
public struct Flow: Sendable {
    public let name: Located<String>
    public let description: String?
    public let entry: Located<String>
    /// Values a flow expects when it is called or started by the system (`params.NAME`).
    public let params: [Located<String>]
    public let triggers: Triggers
    /// Root variables that hold personal data for this flow only (a registration's answers):
    /// they vanish from the session when no frame of the flow is left, however it ended.
    public let sensitive: [Located<String>]
    /// Steps in file order.
    public let steps: [Step]
    let stepIndex: [String: Int]

    public init(
        name: Located<String>, description: String?, entry: Located<String>, params: [Located<String>],
        triggers: Triggers, steps: [Step], sensitive: [Located<String>] = []
    ) {
        self.name = name
        self.description = description
        self.entry = entry
        self.params = params
        self.triggers = triggers
        self.sensitive = sensitive
        self.steps = steps
        var index: [String: Int] = [:]
        for (i, step) in steps.enumerated() where index[step.name] == nil { index[step.name] = i }
        self.stepIndex = index
    }

    public var file: String { name.location.file }

    public func step(_ name: String) -> Step? {
        guard let i = stepIndex[name] else { return nil }
        return steps[i]
    }
}

/// What starts a flow from any step: a command (`/menu`) or a reply-keyboard text (a locale key,
/// matched in every language).
public struct Triggers: Sendable {
    public let commands: [Located<String>]
    public let texts: [Located<String>]
    /// `true`: the flow runs on top of the current question, which is asked again when it ends
    /// (a language switch mid-registration). `false`: it replaces the dialogue.
    public let resume: Bool

    public init(commands: [Located<String>] = [], texts: [Located<String>] = [], resume: Bool = false) {
        self.commands = commands
        self.texts = texts
        self.resume = resume
    }

    public static let none = Triggers()
}
