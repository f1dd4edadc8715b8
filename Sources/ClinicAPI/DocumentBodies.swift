import ClinicContract
import FlowEngine
import Foundation

/// A document's kind as the API names it (`type`, as in the original system).
struct DocumentKindField: Decodable {
    let kind: DocumentKind
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self), let kind = DocumentKind(rawValue: text) else {
            throw container.refuse("must be one of referral, prescription, analysis, certificate, tax_deduction")
        }
        self.kind = kind
    }
}

/// Text of at most `Limit.characters` characters, not blank, without control characters.
struct BoundedText<Limit: TextLimit>: Decodable {
    let text: String
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self), text.count <= Limit.characters,
              !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
              // Control characters (NUL above all, which PostgreSQL's text cannot hold) are not
              // words; line breaks and tabs are.
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" && $0 != "\r" })
        else {
            throw container.refuse("must be a non-blank string of at most \(Limit.characters) characters, without control characters")
        }
        self.text = text
    }
}

protocol TextLimit { static var characters: Int { get } }
enum TitleLimit: TextLimit { static let characters = 200 }
enum LabelLimit: TextLimit { static let characters = 100 }
enum ParagraphLimit: TextLimit { static let characters = 2000 }
enum FileNameLimit: TextLimit { static let characters = 120 }

/// `POST documents/generate/`: a document the bot writes as a PDF in the patient's language.
struct GenerateDocumentBody: Decodable {
    let telegramUserID: PositiveID
    let type: DocumentKindField
    let title: BoundedText<TitleLimit>?
    let language: LanguageField?
    let fields: [Field]?
    let paragraphs: [BoundedText<ParagraphLimit>]
    let expiresAt: ZonedMoment?

    struct Field: Decodable {
        let label: BoundedText<LabelLimit>
        let value: BoundedText<TitleLimit>
    }

    enum CodingKeys: String, CodingKey {
        case telegramUserID = "telegram_user_id"
        case type, title, language, fields, paragraphs
        case expiresAt = "expires_at"
    }

    /// At most 10 rows and 100 paragraphs: a document, not a book.
    func request() throws(APIError) -> DocumentRequest {
        guard (1...100).contains(paragraphs.count) else { throw .invalidField("paragraphs", "must hold 1 to 100 paragraphs") }
        guard (fields?.count ?? 0) <= 10 else { throw .invalidField("fields", "must hold at most 10 rows") }
        if let expiresAt, expiresAt.date <= Date() { throw .invalidField("expires_at", "must be in the future") }
        return DocumentRequest(
            kind: type.kind, title: title?.text, fields: (fields ?? []).map { DocumentField($0.label.text, $0.value.text) },
            paragraphs: paragraphs.map(\.text), language: language?.language, expires: expiresAt?.date)
    }
}

/// "ru" or "kk".
struct LanguageField: Decodable {
    let language: Language
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self), let language = Language(rawValue: text) else {
            throw container.refuse("must be ru or kk")
        }
        self.language = language
    }
}

/// `POST documents/`: a file the clinic made (a lab's own PDF), kept and sent as it is.
struct UploadDocumentBody: Decodable {
    let telegramUserID: PositiveID
    let type: DocumentKindField
    let title: BoundedText<TitleLimit>?
    let file: File
    let expiresAt: ZonedMoment?

    struct File: Decodable {
        let name: BoundedText<FileNameLimit>
        let base64: String
    }

    enum CodingKeys: String, CodingKey {
        case telegramUserID = "telegram_user_id"
        case type, title, file
        case expiresAt = "expires_at"
    }

    func bytes() throws(APIError) -> [UInt8] {
        guard let data = Data(base64Encoded: file.base64), !data.isEmpty else { throw .invalidField("file.base64", "must be the file in base64") }
        guard data.count <= DocumentLimits.maximumFileBytes else {
            throw .invalidField("file.base64", "must decode to at most \(DocumentLimits.maximumFileBytes / 1024 / 1024) MiB")
        }
        return Array(data)
    }

    /// The name the patient's phone shows: its last path component, ending in ".pdf".
    var fileName: String {
        let base = file.name.text.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? "document"
        let clean = String(base.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) && $0 != "\"" }.map(Character.init))
        let name = clean.isEmpty ? "document" : clean
        return name.lowercased().hasSuffix(".pdf") ? name : name + ".pdf"
    }
}

/// A download link: the URL the patient (or the clinic's site) opens without the API's token.
struct DocumentLinkAnswer: Encodable {
    let url: String
    let token: String
    let expiresAt: Date

    enum CodingKeys: String, CodingKey {
        case url, token
        case expiresAt = "expires_at"
    }
}
