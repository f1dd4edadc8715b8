/// The kinds of document the clinic gives its patients (BotDocument of the original system).
extension DocumentKind {
    /// Every text a generated document is worded with (`documents.pdf.*`, `documents.kind.*`).
    public static let texts = ["clinic", "number", "date", "patient", "footer"].map { "documents.pdf.\($0)" }
        + DocumentKind.allCases.map { "documents.kind.\($0.rawValue)" }
}

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
