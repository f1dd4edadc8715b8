import DocumentPDF
import FlowEngine
import Foundation

/// Words a document in the clinic's texts (`documents.pdf.*` and `documents.kind.*` in the
/// locales the bot serves, so editors change them without recompiling) and renders it.
public struct DocumentComposer: Sendable {
    /// The locales now serving: an edit of the texts reaches the next document.
    let locales: @Sendable () -> Locales
    let timeZone: TimeZone

    public init(timeZone: TimeZone, locales: @escaping @Sendable () -> Locales) {
        self.locales = locales
        self.timeZone = timeZone
    }

    public func title(of kind: DocumentKind, in language: Language) -> String {
        text("documents.kind.\(kind.rawValue)", language)
    }

    /// The file of a new document numbered `number` for `owner`, dated `date`.
    public func compose(_ request: DocumentRequest, owner: DocumentOwner, number: String, date: Date) throws -> NewDocument {
        let language = request.language ?? owner.language
        let title = request.title ?? title(of: request.kind, in: language)
        let day = Moment.localParts(date, timeZone).date
        let content = PDFContent(
            language: language.rawValue,
            clinic: text("documents.pdf.clinic", language).split(separator: "\n").map(String.init),
            title: title,
            fields: [
                PDFField(text("documents.pdf.number", language), number),
                PDFField(text("documents.pdf.date", language), CalendarText.longDate(day, language)),
                PDFField(text("documents.pdf.patient", language), owner.fullName),
            ] + request.fields.map { PDFField($0.label, $0.value) },
            body: request.paragraphs,
            footer: text("documents.pdf.footer", language),
            created: date)
        let bytes = try PDFRenderer.render(content)
        return NewDocument(kind: request.kind, title: title, language: language, origin: .generated,
                           fileName: Self.fileName(title: title, number: number), bytes: bytes, expires: request.expires)
    }

    /// "Направление 2026-000042.pdf": what the patient sees in Telegram and on their phone.
    /// Characters a file system or a header would choke on become spaces.
    static func fileName(title: String, number: String) -> String {
        let safe = String(title.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == " " || $0 == "-" ? Character($0) : " " })
        let words = safe.split(separator: " ").prefix(8).joined(separator: " ")
        return (words.isEmpty ? number : "\(words) \(number)") + ".pdf"
    }

    /// The editors' words; the validator makes sure every key exists in both languages.
    private func text(_ key: String, _ language: Language) -> String {
        locales().plain(key, in: language)
    }
}
