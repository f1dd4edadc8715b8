/// The consents a patient gives at registration.
public struct PatientConsents: Sendable, Hashable {
    /// Processing of personal data (Law of RK "On personal data and their protection"): required.
    public let personalData: Bool
    /// Informed consent to medical intervention: required.
    public let medicalIntervention: Bool
    /// Marketing messages and broadcasts: optional, off unless given.
    public let marketing: Bool

    public init(personalData: Bool, medicalIntervention: Bool, marketing: Bool = false) {
        self.personalData = personalData
        self.medicalIntervention = medicalIntervention
        self.marketing = marketing
    }

    /// Whether the clinic may register the patient at all.
    public var requiredAreGiven: Bool { personalData && medicalIntervention }
}
