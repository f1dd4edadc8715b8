/// What `PatientStore.upsert` did.
public enum PatientUpsertResult: Sendable, Hashable {
    case saved(SavedPatient)
    /// The IIN belongs to a patient reachable through another Telegram account (or to another
    /// patient than the one this account is linked to). Nothing was changed.
    case iinTaken
    /// The personal-data or medical-intervention consent was not given. Nothing was stored.
    case consentRequired
}

/// The patient a registration created or updated, and the link to the Telegram account.
public struct SavedPatient: Sendable, Hashable {
    public let patientID: Int64
    public let telegramLinkID: Int64
    /// True only when a new patient card was created.
    public let created: Bool
    /// "Last First Middle".
    public let fullName: String
}
