/// What a patient agrees to. The stored names are the API's and the ledger's.
public enum ConsentKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Processing of personal data (Law of RK "On personal data and their protection").
    case personalData = "personal_data"
    /// Informed consent to medical intervention.
    case medicalIntervention = "medical_intervention"
    /// News, offers and broadcasts.
    case marketing
}

/// Where a consent was given or withdrawn.
public enum ConsentChannel: String, Sendable, Hashable, Codable {
    case bot, api, desk
}
