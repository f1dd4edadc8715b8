import Foundation

/// The patients' documents the API makes, keeps, lists and hands out: `DocumentService` in
/// production (with a database; a remote clinic keeps its own), a fake in tests.
public protocol DocumentDirectory: Sendable {
    func list(telegramUserID: Int64, kind: DocumentKind?, limit: Int, offset: Int) async throws -> DocumentPage?
    func generate(_ request: DocumentRequest, telegramUserID: Int64, actor: AuditActor, now: Date) async throws -> DocumentSummary?
    func upload(kind: DocumentKind, title: String?, fileName: String, bytes: [UInt8], expires: Date?, telegramUserID: Int64,
                actor: AuditActor) async throws -> DocumentSummary?
    func link(documentID: Int64, telegramUserID: Int64, actor: AuditActor) async throws -> (link: DocumentLink, token: String)?
    func download(documentID: Int64, token: String, actor: AuditActor, now: Date) async throws -> DocumentDownload
}

