/// One state of a flow. Its kind says what it does; its transition says where it goes after.
public struct Step: Sendable {
    public let name: String
    public let location: SourceLocation
    public let kind: Kind
    public let transition: Transition
    /// Show a back button that returns to the previous question with earlier answers restored.
    public let back: Bool
    /// A commit point (a patient created, a booking made): once it succeeds, going back over it
    /// is impossible.
    public let commit: Bool

    public init(name: String, location: SourceLocation, kind: Kind, transition: Transition, back: Bool, commit: Bool) {
        self.name = name
        self.location = location
        self.kind = kind
        self.transition = transition
        self.back = back
        self.commit = commit
    }

    public enum Kind: Sendable {
        case say(Say)
        case ask(Question)
        case action(ActionStep)
        case branch(Branch)
        case set([Assignment])
        case call(FlowCall)
        case wait(Wait)
        /// Only a transition (`goto`, `end`, `return`).
        case jump
    }

    public var isAction: Bool {
        if case .action = kind { return true }
        return false
    }

    /// The name editors see in messages: "say", "ask", "do", …
    public var kindName: String {
        switch kind {
        case .say: return "say"
        case .ask: return "ask"
        case .action: return "do"
        case .branch: return "if"
        case .set: return "set"
        case .call: return "call"
        case .wait: return "wait"
        case .jump: return "goto"
        }
    }
}

/// Where a step goes when it is done.
public enum Transition: Sendable, Hashable {
    case none
    /// Another step of the same flow.
    case next(Located<String>)
    /// The entry of another flow, replacing this one.
    case goto(Located<String>)
    /// The dialogue is over.
    case end
    /// Back to the flow that called this one (or the interrupted question).
    case `return`
}

/// An expression as written, parsed once at load time.
public struct Expr: Sendable, Hashable {
    public let source: String
    public let expression: Expression
    public let location: SourceLocation
    public init(source: String, expression: Expression, location: SourceLocation) {
        self.source = source
        self.expression = expression
        self.location = location
    }
}

/// A named value passed to a text, an action or a called flow.
public struct NamedArgument: Sendable, Hashable {
    public let name: Located<String>
    public let value: Expr
    public init(name: Located<String>, value: Expr) {
        self.name = name
        self.value = value
    }
}

/// A locale key and the values for its placeholders.
public struct TextRef: Sendable, Hashable {
    public let key: Located<String>
    public let args: [NamedArgument]
    public init(key: Located<String>, args: [NamedArgument]) {
        self.key = key
        self.args = args
    }
}

public struct Say: Sendable {
    public let text: TextRef
    public let keyboard: KeyboardSpec?
    /// A file to send after the text: an expression giving `{name, mime_type, base64}`.
    public let file: Expr?
    /// An invoice to pay in the messenger, after the text: an expression giving `{title,
    /// description, reference, amount_tiyn, currency, label}` (`payments.pay`).
    public let invoice: Expr?
}

public struct Question: Sendable {
    public let text: TextRef
    public let input: InputSpec?
    public let choices: Choices?
    /// Inline buttons per row.
    public let columns: Int
    public let keyboard: KeyboardSpec?
    public let invalid: InvalidMessages
    public let save: Located<String>?
}

/// The typed answer a question accepts, with its options (`optional`, `max_age`, `birth_date`…).
public struct InputSpec: Sendable {
    public let type: Located<InputType>
    public let optional: Bool
    public let options: [String: Expr]
}

/// Error messages for bad answers: per-type defaults (`errors.TYPE.REASON`), one key for all,
/// or one key per reason.
public enum InvalidMessages: Sendable {
    case defaults
    case single(Located<String>)
    case byReason([String: Located<String>])
}

public enum Choices: Sendable {
    case fixed([Choice])
    case dynamic(DynamicChoices)
}

/// An inline button with a locale-key label and the value it answers.
public struct Choice: Sendable {
    public let label: Located<String>
    public let value: Value
    /// Overrides the step's `next` when this button is pressed.
    public let next: Located<String>?
}

/// Buttons built from a list at run time, paginated.
public struct DynamicChoices: Sendable {
    public let from: Expr
    /// Evaluated with `item` bound to each element.
    public let label: Expr
    public let value: Expr
    public let pageSize: Int
    /// Where to go when the list is empty.
    public let empty: Located<String>?
}

public enum KeyboardSpec: Sendable {
    case remove
    case rows([[KeyboardButton]])
}

public enum KeyboardButton: Sendable {
    /// A text button; sending its label answers `value` (or starts the flow it triggers).
    case text(label: Located<String>, value: Value?, next: Located<String>?)
    /// "Share my phone number".
    case contact(label: Located<String>)

    public var label: Located<String> {
        switch self {
        case .text(let label, _, _): return label
        case .contact(let label): return label
        }
    }
}

public struct ActionStep: Sendable {
    public let name: Located<String>
    public let arguments: [NamedArgument]
    public let save: Located<String>?
    /// Outcome → step, in file order.
    public let routes: [(outcome: Located<String>, target: Located<String>)]

    public func target(for outcome: String) -> Located<String>? {
        routes.first { $0.outcome.value == outcome }?.target
    }
}

public struct Branch: Sendable {
    public let condition: Expr
    public let then: Located<String>
    public let otherwise: Located<String>
}

public struct Assignment: Sendable {
    public let path: Located<String>
    public let value: Expr
}

public struct FlowCall: Sendable {
    public let flow: Located<String>
    public let arguments: [NamedArgument]
}

/// Waiting until a moment (`at`) or for a duration (`for`).
public struct Wait: Sendable {
    public let at: Expr?
    public let duration: Expr?
    /// Where to go instead when the moment has already passed.
    public let late: Located<String>?
}
