import FlowEngine
import Foundation

/// What the clinic asks to be written on a generated document, in the patient's language.
public struct DocumentRequest: Sendable, Hashable {
    public var kind: DocumentKind
    /// The document's own title; nil: the kind's name ("Направление" / "Жолдама").
    public var title: String?
    /// Rows under the title after the number, date and patient: a doctor, a service, a validity.
    public var fields: [DocumentField]
    public var paragraphs: [String]
    /// nil: the patient's language.
    public var language: Language?
    public var expires: Date?

    public init(kind: DocumentKind, title: String? = nil, fields: [DocumentField] = [], paragraphs: [String], language: Language? = nil, expires: Date? = nil) {
        self.kind = kind
        self.title = title
        self.fields = fields
        self.paragraphs = paragraphs
        self.language = language
        self.expires = expires
    }
}

/// A labelled row of a generated document: "Врач: …".
public struct DocumentField: Sendable, Hashable {
    public var label: String
    public var value: String

    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}
