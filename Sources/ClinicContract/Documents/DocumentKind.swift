/// The kinds of document the clinic gives its patients (BotDocument of the original system).
public enum DocumentKind: String, Sendable, Hashable, CaseIterable, Codable {
    case referral
    case prescription
    /// A lab or imaging result: posting one tells the patient (flow `lab_result`).
    case analysis
    case certificate
    /// The certificate for a tax deduction on medical expenses.
    case taxDeduction = "tax_deduction"

    /// Whether a new document of this kind is pushed to the patient when the clinic posts it.
    public var tellsPatient: Bool { self == .analysis }
}

/// Where a document's file came from.
public enum DocumentOrigin: String, Sendable, Hashable, Codable {
    /// Rendered here from the clinic's words (`DocumentComposer`).
    case generated
    /// A file the clinic posted (a lab's own PDF), kept and sent as it is.
    case uploaded
}
