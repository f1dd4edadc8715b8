/// One entry of the ledger: a consent given or withdrawn, with the words it was given to.
public struct ConsentEvent: Sendable, Hashable {
    public let kind: ConsentKind
    public let granted: Bool
    public let wording: ConsentWording
    public let channel: ConsentChannel

    public init(kind: ConsentKind, granted: Bool, wording: ConsentWording, channel: ConsentChannel) {
        self.kind = kind
        self.granted = granted
        self.wording = wording
        self.channel = channel
    }
}

/// A stored ledger entry, as the clinic shows it when asked to prove a consent.
public struct ConsentRecord: Sendable, Hashable {
    public let id: Int64
    public let event: ConsentEvent
    public let actor: String
    /// ISO 8601 UTC.
    public let at: String

    public init(id: Int64, event: ConsentEvent, actor: String, at: String) {
        self.id = id
        self.event = event
        self.actor = actor
        self.at = at
    }
}

