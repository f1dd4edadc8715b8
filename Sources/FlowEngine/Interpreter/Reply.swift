/// What the bot says, abstractly: a renderer turns it into Telegram calls, terminal lines or
/// test expectations.
public enum Reply: Sendable, Hashable {
    case message(Message)
    /// Replace the message whose button was just pressed (a chosen answer, another page).
    case edit(Message)
    case file(Attachment)
    /// An invoice the person pays in the messenger (Telegram Payments).
    case invoice(InvoiceOffer)
    /// A short notice for the pressed button (Telegram shows it as a toast).
    case notice(String)
}

public struct Message: Sendable, Hashable {
    public var text: String
    /// Inline buttons, in rows.
    public var buttons: [[Button]]
    /// nil: leave the reply keyboard as it is.
    public var keyboard: KeyboardChange?

    public init(text: String, buttons: [[Button]] = [], keyboard: KeyboardChange? = nil) {
        self.text = text
        self.buttons = buttons
        self.keyboard = keyboard
    }
}

/// An inline button: the label shown and the short token that comes back when it is pressed.
public struct Button: Sendable, Hashable {
    public let text: String
    /// At most 64 bytes (Telegram's callback_data limit); resolved by the session.
    public let token: String
    public init(text: String, token: String) {
        self.text = text
        self.token = token
    }
}

public enum KeyboardChange: Sendable, Hashable {
    case show([[KeyButton]])
    case remove
}

public enum KeyButton: Sendable, Hashable {
    case text(String)
    /// Asks the messenger to share the person's own phone number.
    case contact(String)

    public var text: String {
        switch self {
        case .text(let t), .contact(let t): return t
        }
    }
}

/// A file to send.
public struct Attachment: Sendable, Hashable {
    public let name: String
    public let mimeType: String
    public let bytes: [UInt8]
    public init(name: String, mimeType: String, bytes: [UInt8]) {
        self.name = name
        self.mimeType = mimeType
        self.bytes = bytes
    }
}

/// An invoice to pay in the messenger: what it is for, how much (tiyn: 1 ₸ = 100 tiyn), and the
/// reference the payment comes back with.
public struct InvoiceOffer: Sendable, Hashable {
    public let title: String
    public let description: String
    public let reference: String
    public let amountTiyn: Int64
    public let currency: String
    /// The price line's label ("Консультация кардиолога").
    public let label: String

    public init(title: String, description: String, reference: String, amountTiyn: Int64, currency: String, label: String) {
        self.title = title
        self.description = description
        self.reference = reference
        self.amountTiyn = amountTiyn
        self.currency = currency
        self.label = label
    }
}

/// The outcome of handling one event.
public struct Turn: Sendable {
    public var replies: [Reply] = []
    /// An action to perform; its result must be handed back as `.actionResult`.
    public var action: ActionCall?
    /// Flows that went to sleep in a `wait`, to resume at their moment.
    public var jobs: [Job] = []
    /// The event was a button from an earlier message (already answered or outdated).
    public var stale = false
    /// Steps entered, as "flow.step", when the interpreter traces (conversation-test coverage).
    public var visited: [String] = []

    public init() {}
}
