/// What `PatientStore.upsert` did.
public enum PatientUpsertResult: Sendable, Hashable {
    case saved(SavedPatient)
    /// Nothing was changed. The bot words every reason alike, so it never tells whether an IIN
    /// belongs to a patient here; the API (the clinic's own staff) hears which.
    case refused(PatientRefusal)
    /// This Telegram account was refused too often in the last day.
    case tooManyAttempts
    /// The personal-data or medical-intervention consent was not given. Nothing was stored.
    case consentRequired
}

/// Why a registration was refused.
public enum PatientRefusal: String, Sendable, Hashable {
    /// The IIN belongs to a patient linked to another Telegram account (or to another patient
    /// than the one this account is linked to).
    case iinLinkedElsewhere = "iin_linked_elsewhere"
    /// The card exists without a link, and the person did not prove the card's phone is theirs.
    case noProof = "no_proof"
}

/// Who vouches that the person registering may be linked to an existing card.
public enum LinkAuthority: Sendable, Hashable {
    /// The person themselves. Proof is their own contact, shared with Telegram's button, whose
    /// number is the card's (`sharedPhone`, E.164; nil if typed), or a one-time code the
    /// registry gave them for this card (`linkCode`).
    case patient(sharedPhone: String?, linkCode: String? = nil)
    /// The clinic's registry (the API, the demo): staff checked the identity document.
    case registry
}

/// The patient a registration created or updated, and the link to the Telegram account.
public struct SavedPatient: Sendable, Hashable {
    public let patientID: Int64
    public let telegramLinkID: Int64
    /// True only when a new patient card was created.
    public let created: Bool
    /// "Last First Middle", as the card has it.
    public let fullName: String

    public init(patientID: Int64, telegramLinkID: Int64, created: Bool, fullName: String) {
        self.patientID = patientID
        self.telegramLinkID = telegramLinkID
        self.created = created
        self.fullName = fullName
    }
}

/// What `setConsent` did.
public struct ConsentChange: Sendable, Hashable {
    /// The account was unlinked because a required consent was withdrawn.
    public let unlinked: Bool

    public init(unlinked: Bool) {
        self.unlinked = unlinked
    }
}
