import FlowEngine
import Foundation

/// A document as listed: everything but the file.
public struct DocumentSummary: Sendable, Hashable, Encodable {
    public let id: Int64
    public let number: String
    public let kind: DocumentKind
    public let title: String
    public let language: Language
    public let origin: DocumentOrigin
    public let fileName: String
    public let size: Int
    public let createdAt: Date
    public let expiresAt: Date?
    /// False once the cleanup removed the file (its `expires_at` passed).
    public let available: Bool

    enum CodingKeys: String, CodingKey {
        case id, number, kind, title, language, origin, size, available
        case fileName = "file_name"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }

    public init(id: Int64, number: String, kind: DocumentKind, title: String, language: Language, origin: DocumentOrigin, fileName: String, size: Int, createdAt: Date, expiresAt: Date? = nil, available: Bool) {
        self.id = id
        self.number = number
        self.kind = kind
        self.title = title
        self.language = language
        self.origin = origin
        self.fileName = fileName
        self.size = size
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.available = available
    }
}

/// One page of a patient's documents, newest first.
public struct DocumentPage: Sendable, Hashable, Encodable {
    public let items: [DocumentSummary]
    /// Whether an older document follows the page.
    public let hasMore: Bool

    enum CodingKeys: String, CodingKey {
        case items
        case hasMore = "has_more"
    }

    public init(items: [DocumentSummary], hasMore: Bool) {
        self.items = items
        self.hasMore = hasMore
    }
}

/// The patient a document is made for, as the document shows them.
public struct DocumentOwner: Sendable, Hashable {
    public let patientID: Int64
    public let telegramUserID: Int64
    public let fullName: String
    public let language: Language

    public init(patientID: Int64, telegramUserID: Int64, fullName: String, language: Language) {
        self.patientID = patientID
        self.telegramUserID = telegramUserID
        self.fullName = fullName
        self.language = language
    }
}

/// A file to keep for a patient.
public struct NewDocument: Sendable, Hashable {
    public var kind: DocumentKind
    public var title: String
    public var language: Language
    public var origin: DocumentOrigin
    public var fileName: String
    public var bytes: [UInt8]
    /// When the cleanup removes the file; nil: `DocumentStore.defaultRetention` from now.
    public var expires: Date?

    public init(kind: DocumentKind, title: String, language: Language, origin: DocumentOrigin, fileName: String, bytes: [UInt8], expires: Date? = nil) {
        self.kind = kind
        self.title = title
        self.language = language
        self.origin = origin
        self.fileName = fileName
        self.bytes = bytes
        self.expires = expires
    }
}

/// What asking for a document's file found.
public enum DocumentFetch: Sendable, Hashable {
    case file(name: String, bytes: [UInt8])
    /// The document exists, but its file was removed when it expired.
    case removed
    /// No such document of this patient (or of anyone: the same answer).
    case notFound
}

/// What a download link gives.
public enum DocumentDownload: Sendable, Hashable {
    case file(name: String, bytes: [UInt8])
    /// The link ran out, or the file was removed when the document expired.
    case gone
    /// Not a link of ours for this document and patient: nothing more is said.
    case refused
}

/// A file the clinic may not post.
public enum DocumentRefusal: Error, Sendable, Hashable {
    /// Only PDFs are kept: they open on every phone and cannot run anything.
    case notPDF
}

/// The clinic's limits on documents.
public enum DocumentLimits {
    /// The largest file the clinic may post: Telegram's bots upload up to 50 MB, a lab's report
    /// is far smaller, and every file passes through memory on its way.
    public static let maximumFileBytes = 10 * 1024 * 1024
}
