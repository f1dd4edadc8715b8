import Foundation

/// One document as it is printed: what the clinic writes, already in the patient's language.
/// The renderer only lays it out; the words come from the locales (DocumentComposer).
public struct PDFContent: Sendable, Hashable {
    /// BCP 47 code ("ru", "kk"): hyphenation and shaping follow it.
    public var language: String
    /// The clinic's name and address, one line each, at the top of every page.
    public var clinic: [String]
    public var title: String
    /// Number, date, patient, then whatever the document says (a doctor, a service).
    public var fields: [PDFField]
    public var body: [String]
    /// Small print at the foot of every page.
    public var footer: String?
    /// The document's date, also written into the file's metadata.
    public var created: Date

    public init(language: String, clinic: [String], title: String, fields: [PDFField], body: [String], footer: String?, created: Date) {
        self.language = language
        self.clinic = clinic
        self.title = title
        self.fields = fields
        self.body = body
        self.footer = footer
        self.created = created
    }
}

/// A labelled row under the title: «Пациент: Әлия Серікқызы».
public struct PDFField: Sendable, Hashable {
    public var label: String
    public var value: String

    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

public enum PDFRenderError: Error, Equatable, CustomStringConvertible {
    /// The font the documents are set in is not installed (Debian: fonts-dejavu-core); without
    /// it Kazakh letters would come out as boxes, so nothing is written.
    case fontMissing(String)
    /// cairo refused: its own words.
    case cairo(String)

    public var description: String {
        switch self {
        case .fontMissing(let family): "the font \(family) is not installed (apt-get install fonts-dejavu-core)"
        case .cairo(let status): "cairo could not write the PDF: \(status)"
        }
    }
}
