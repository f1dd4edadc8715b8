import ClinicContract
import Foundation
import HTTPTypes
import Hummingbird

extension APIHandlers {
    /// A page of the patient's documents, newest first, of one `type` or all.
    func documents(_ query: QueryParameters, documents: any DocumentDirectory) async throws -> Response {
        let telegramUserID = try query.id("telegram_user_id")
        let kind = try query.optionalString("type").map { text throws(APIError) in
            guard let kind = DocumentKind(rawValue: text) else {
                throw APIError.invalidParameter("type", "must be one of referral, prescription, analysis, certificate, tax_deduction")
            }
            return kind
        }
        let limit = try query.optionalInt("limit", in: 1...100) ?? 20
        let offset = try query.optionalInt("offset", in: 0...1_000_000) ?? 0
        guard let page = try await documents.list(telegramUserID: telegramUserID, kind: kind, limit: limit, offset: offset) else {
            throw APIError.patientNotFound
        }
        return try APIResponse.json(page)
    }

    /// 201 with the new document; a result (`analysis`) is told to the patient in the bot.
    func generateDocument(_ request: Request, documents: any DocumentDirectory) async throws -> Response {
        let body = try await JSONBody.decode(GenerateDocumentBody.self, from: request, limit: JSONBody.documentLimit)
        guard let summary = try await documents.generate(try body.request(), telegramUserID: body.telegramUserID.value, actor: .api, now: Date())
        else { throw APIError.patientNotFound }
        return try APIResponse.json(summary, status: .created)
    }

    /// 201 with the kept file's document.
    func uploadDocument(_ request: Request, documents: any DocumentDirectory) async throws -> Response {
        let body = try await JSONBody.decode(UploadDocumentBody.self, from: request, limit: JSONBody.fileLimit)
        if let expiresAt = body.expiresAt, expiresAt.date <= Date() { throw APIError.invalidField("expires_at", "must be in the future") }
        guard let summary = try await documents.upload(
            kind: body.type.kind, title: body.title?.text, fileName: body.fileName, bytes: try body.bytes(), expires: body.expiresAt?.date,
            telegramUserID: body.telegramUserID.value, actor: .api)
        else { throw APIError.patientNotFound }
        return try APIResponse.json(summary, status: .created)
    }

    /// With `token` (no bearer needed): the file itself. With `telegram_user_id` (bearer): a
    /// link valid 48 hours for the patient's own document.
    func download(_ request: Request, documentID: Int64, documents: any DocumentDirectory) async throws -> Response {
        let query = QueryParameters(request)
        if let token = try query.optionalString("token") {
            switch try await documents.download(documentID: documentID, token: token, actor: .api, now: Date()) {
            case .file(let name, let bytes): return Self.pdf(name: name, bytes: bytes)
            case .gone: throw APIError.linkGone
            case .refused: throw APIError.linkRefused
            }
        }
        let telegramUserID = try query.id("telegram_user_id")
        guard let issued = try await documents.link(documentID: documentID, telegramUserID: telegramUserID, actor: .api) else {
            throw APIError.documentNotFound
        }
        let path = "/api/bot/documents/\(documentID)/download/?token=\(issued.token)"
        return try APIResponse.json(DocumentLinkAnswer(url: (publicBaseURL ?? "") + path, token: issued.token, expiresAt: issued.link.expires))
    }

    /// RFC 8187's attr-char: ASCII letters and digits and a few marks; everything else is %-encoded.
    static let attrChars = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~")

    /// The file as a download: never cached, never sniffed into something else.
    static func pdf(name: String, bytes: [UInt8]) -> Response {
        // RFC 6266: a plain ASCII fallback and the real (Cyrillic) name in UTF-8.
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: Self.attrChars) ?? "document.pdf"
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/pdf",
                .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)",
                .cacheControl: "no-store",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
