/// The consents a patient gives at registration, and the words they were given to.
public struct PatientConsents: Sendable, Hashable {
    /// Processing of personal data (Law of RK "On personal data and their protection"): required.
    public let personalData: Bool
    /// Informed consent to medical intervention: required.
    public let medicalIntervention: Bool
    /// Marketing messages and broadcasts: optional, off unless given.
    public let marketing: Bool
    /// The text each answer was given to; the consent ledger records it. An answer without
    /// its text cannot be stored (`checkWordings`).
    public let wordings: [ConsentKind: ConsentWording]
    /// Where the answers were given.
    public let channel: ConsentChannel

    public init(
        personalData: Bool, medicalIntervention: Bool, marketing: Bool = false,
        wordings: [ConsentKind: ConsentWording] = [:], channel: ConsentChannel = .bot
    ) {
        self.personalData = personalData
        self.medicalIntervention = medicalIntervention
        self.marketing = marketing
        self.wordings = wordings
        self.channel = channel
    }

    /// Answers given to one text covering all three (a desk's paper form, an API client's version).
    public init(
        personalData: Bool, medicalIntervention: Bool, marketing: Bool = false, wording: ConsentWording, channel: ConsentChannel
    ) {
        self.init(
            personalData: personalData, medicalIntervention: medicalIntervention, marketing: marketing,
            wordings: Dictionary(uniqueKeysWithValues: ConsentKind.allCases.map { ($0, wording) }), channel: channel)
    }

    /// Whether the clinic may register the patient at all.
    public var requiredAreGiven: Bool { personalData && medicalIntervention }

    public func granted(_ kind: ConsentKind) -> Bool {
        switch kind {
        case .personalData: personalData
        case .medicalIntervention: medicalIntervention
        case .marketing: marketing
        }
    }

    /// Every consent granted names the text it was granted to: a consent that cannot be shown
    /// with its words is not stored.
    public func checkWordings() throws(InvalidInput) {
        for kind in ConsentKind.allCases where granted(kind) && wordings[kind] == nil {
            throw InvalidInput(field: "consent_text", reason: "must say the text the \(kind.rawValue) consent was given to")
        }
    }

    /// The ledger entries for these answers: one per answer whose text is known.
    public var events: [ConsentEvent] {
        ConsentKind.allCases.compactMap { kind in
            wordings[kind].map { ConsentEvent(kind: kind, granted: granted(kind), wording: $0, channel: channel) }
        }
    }
}
