import FlowEngine
import Foundation

/// What the clinic does with documents through the API: make one from its words, keep a file
/// it posts, list a patient's, and give a download link. A result (`analysis`) is told to the
/// patient by the store, with the document, in one transaction.
public struct DocumentService: Sendable {
    public let store: DocumentStore
    let composer: DocumentComposer
    let cipher: PIICipher

    public init(store: DocumentStore, composer: DocumentComposer, cipher: PIICipher) {
        self.store = store
        self.composer = composer
        self.cipher = cipher
    }

    /// A PDF made here in the patient's language (or `request.language`); nil when no patient
    /// is linked to `telegramUserID`.
    public func generate(_ request: DocumentRequest, telegramUserID: Int64, actor: AuditActor, now: Date = Date()) async throws -> DocumentSummary? {
        guard let owner = try await store.owner(telegramUserID: telegramUserID) else { return nil }
        let reserved = try await store.reserveNumber()
        let document = try composer.compose(request, owner: owner, number: reserved.number, date: now)
        return try await store.add(document, id: reserved.id, number: reserved.number, owner: owner, actor: actor)
    }

    /// A file the clinic made (a lab's own PDF), kept and sent as it is; nil when no patient is
    /// linked to `telegramUserID`. `title` nil: the kind's name in the patient's language.
    public func upload(kind: DocumentKind, title: String?, fileName: String, bytes: [UInt8], expires: Date?, telegramUserID: Int64,
                       actor: AuditActor) async throws -> DocumentSummary? {
        guard PDFSignature.matches(bytes) else { throw DocumentRefusal.notPDF }
        guard let owner = try await store.owner(telegramUserID: telegramUserID) else { return nil }
        let reserved = try await store.reserveNumber()
        let title = title ?? composer.title(of: kind, in: owner.language)
        let document = NewDocument(kind: kind, title: title, language: owner.language, origin: .uploaded,
                                   fileName: fileName, bytes: bytes, expires: expires)
        return try await store.add(document, id: reserved.id, number: reserved.number, owner: owner, actor: actor)
    }

    /// A page of the documents of the patient linked to `telegramUserID`; nil when none is.
    public func list(telegramUserID: Int64, kind: DocumentKind?, limit: Int, offset: Int) async throws -> DocumentPage? {
        try await store.list(telegramUserID: telegramUserID, kind: kind, limit: limit, offset: offset)
    }

    /// A signed link to a document of the patient linked to `telegramUserID`; nil when not theirs.
    public func link(documentID: Int64, telegramUserID: Int64, actor: AuditActor) async throws -> (link: DocumentLink, token: String)? {
        guard let link = try await store.link(documentID: documentID, telegramUserID: telegramUserID, actor: actor) else { return nil }
        return (link, link.token(cipher))
    }

    /// What a download with `token` for the document `documentID` gets.

    public func download(documentID: Int64, token: String, actor: AuditActor, now: Date = Date()) async throws -> DocumentDownload {
        switch DocumentLink.check(token, documentID: documentID, cipher: cipher, now: now) {
        case .invalid: return .refused
        case .expired: return .gone
        case .valid(let link):
            switch try await store.file(link: link, actor: actor) {
            case .file(let name, let bytes): return .file(name: name, bytes: bytes)
            case .removed: return .gone
            // The document is no longer the link's patient's (or no longer exists).
            case .notFound: return .refused
            }
        }
    }
}


/// A PDF starts with "%PDF-" (ISO 32000: within its first 1024 bytes; every writer puts it first).
enum PDFSignature {
    static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: Array("%PDF-".utf8))
    }
}
