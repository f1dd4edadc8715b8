import Crypto
import FlowEngine
import Foundation
import Logging
import PostgresNIO

/// Patients' documents on PostgreSQL (`DocumentSchema`). Files are sealed with the PII key,
/// bound to their document's number; every write and every read of a file is audited with the
/// file's change.
public struct DocumentStore: Sendable {
    let client: PostgresClient
    let cipher: PIICipher
    let logger: Logger
    /// How long a file is kept when the clinic does not say (`DOCUMENTS_RETENTION_DAYS`).
    public let defaultRetention: TimeInterval
    /// The flow a new result starts in the patient's chat.
    public static let resultFlow = "lab_result"

    public init(client: PostgresClient, cipher: PIICipher, defaultRetention: TimeInterval = 365 * 86_400,
                logger: Logger = Logger(label: "clinic-bot.documents")) {
        self.client = client
        self.cipher = cipher
        self.defaultRetention = defaultRetention
        self.logger = logger
    }

    /// The patient linked to `telegramUserID`, for a document about to be made; nil when there is none.
    public func owner(telegramUserID: Int64) async throws -> DocumentOwner? {
        let rows = try await client.query("""
            SELECT p.id, p.last_name, p.first_name, p.middle_name, p.language
            FROM patient_telegram_links l JOIN patients p ON p.id = l.patient_id
            WHERE l.telegram_user_id = \(telegramUserID) AND l.is_active
            """, logger: logger).collect()
        guard let row = rows.first else { return nil }
        let (id, last, first, middle, language) = try row.decode((Int64, String, String, String?, String).self)
        return DocumentOwner(patientID: id, telegramUserID: telegramUserID,
                             fullName: [last, first, middle].compactMap { $0 }.joined(separator: " "),
                             language: Language(rawValue: language) ?? .ru)
    }

    /// Takes the next document's id and number ("2026-000042") before its file is made: the
    /// number is printed on it.
    public func reserveNumber() async throws -> (id: Int64, number: String) {
        let rows = try await client.query("""
            SELECT n, to_char(now() AT TIME ZONE 'Asia/Almaty', 'YYYY') || '-' || lpad(n::text, 6, '0')
            FROM nextval('bot_documents_id_seq') AS n
            """, logger: logger).collect()
        guard let row = rows.first else { throw DocumentStoreError.noNumber }
        return try row.decode((Int64, String).self)
    }

    /// Keeps `document` for `owner` under a reserved id and number. A result (`tellsPatient`)
    /// also schedules the flow that tells the patient, in the same transaction: a result is
    /// never kept untold, nor told twice (the job is named after the document).
    public func add(_ document: NewDocument, id: Int64, number: String, owner: DocumentOwner, actor: AuditActor) async throws -> DocumentSummary {
        guard !document.bytes.isEmpty, document.bytes.count <= DocumentLimits.maximumFileBytes else { throw DocumentStoreError.fileSize }
        let sealed = try cipher.seal(bytes: Data(document.bytes), context: Self.sealingContext(number))
        let digest = Array(SHA256.hash(data: document.bytes))
        let expires = document.expires ?? Date().addingTimeInterval(defaultRetention)
        let notify = document.kind.tellsPatient
        let params = try AuditLog.detailsJSON(["document_id": .int(Int(id)), "language": .string(owner.language.rawValue)])
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    INSERT INTO bot_documents AS d (id, number, patient_id, kind, title, language, origin, file_name, content, size, sha256, expires_at)
                    VALUES (\(id), \(number), \(owner.patientID), \(document.kind.rawValue), \(document.title), \(document.language.rawValue),
                            \(document.origin.rawValue), \(document.fileName), \(ByteBuffer(bytes: sealed)), \(document.bytes.count),
                            \(ByteBuffer(bytes: digest)), \(expires))
                    RETURNING \(unescaped: Self.summaryColumns)
                    """, logger: logger).collect()
                guard let row = rows.first else { throw DocumentStoreError.noNumber }
                let summary = try Self.summary(row)
                if notify {
                    try await connection.query("""
                        INSERT INTO flow_jobs (origin, chat_id, flow, params, due_at)
                        VALUES (\("document:\(id)"), \(owner.telegramUserID), \(Self.resultFlow), \(params)::jsonb, now())
                        ON CONFLICT (origin) DO NOTHING
                        """, logger: logger)
                }
                try await AuditLog.record(
                    AuditEntry(actor: actor, action: "document.add", objectType: "document", objectID: String(id),
                               details: ["patient_id": .int(Int(owner.patientID)), "kind": .string(document.kind.rawValue),
                                         "origin": .string(document.origin.rawValue), "size": .int(document.bytes.count),
                                         "patient_told": .bool(notify)]),
                    on: connection, logger: logger)
                return summary
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    /// The documents of the patient linked to `telegramUserID`, newest first; nil when no
    /// patient is linked.
    public func list(telegramUserID: Int64, kind: DocumentKind? = nil, limit: Int = 20, offset: Int = 0) async throws -> DocumentPage? {
        guard try await owner(telegramUserID: telegramUserID) != nil else { return nil }
        let rows = try await client.query("""
            SELECT \(unescaped: Self.summaryColumns)
            FROM bot_documents d
            JOIN patient_telegram_links l ON l.patient_id = d.patient_id AND l.is_active AND l.telegram_user_id = \(telegramUserID)
            WHERE (\(kind?.rawValue)::text IS NULL OR d.kind = \(kind?.rawValue))
            ORDER BY d.created_at DESC, d.id DESC
            LIMIT \(limit + 1) OFFSET \(offset)
            """, logger: logger).collect()
        let items = try rows.map(Self.summary)
        return DocumentPage(items: Array(items.prefix(limit)), hasMore: items.count > limit)
    }

    /// One document of the patient linked to `telegramUserID`, without its file.
    public func summary(documentID: Int64, telegramUserID: Int64) async throws -> DocumentSummary? {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.summaryColumns)
            FROM bot_documents d
            JOIN patient_telegram_links l ON l.patient_id = d.patient_id AND l.is_active AND l.telegram_user_id = \(telegramUserID)
            WHERE d.id = \(documentID)
            """, logger: logger).collect()
        return try rows.first.map(Self.summary)
    }

    /// The file of a document of the patient linked to `telegramUserID`. Audited.
    public func file(documentID: Int64, telegramUserID: Int64, actor: AuditActor) async throws -> DocumentFetch {
        try await fetch(documentID: documentID, actor: actor, via: "bot", owner: """
            d.patient_id = (SELECT patient_id FROM patient_telegram_links WHERE telegram_user_id = $2 AND is_active)
            """, ownerBind: telegramUserID)
    }

    /// The file a checked download link is for: the document must still be the link's
    /// patient's. Audited.
    public func file(link: DocumentLink, actor: AuditActor) async throws -> DocumentFetch {
        try await fetch(documentID: link.documentID, actor: actor, via: "link", owner: "d.patient_id = $2", ownerBind: link.patientID)
    }

    /// A download link for a document of the patient linked to `telegramUserID`; nil when it is
    /// not theirs. Audited: a link is as good as the file for 48 hours.
    public func link(documentID: Int64, telegramUserID: Int64, actor: AuditActor, now: Date = Date()) async throws -> DocumentLink? {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    SELECT d.patient_id FROM bot_documents d
                    JOIN patient_telegram_links l ON l.patient_id = d.patient_id AND l.is_active AND l.telegram_user_id = \(telegramUserID)
                    WHERE d.id = \(documentID)
                    """, logger: logger).collect()
                guard let patientID = try rows.first?.decode(Int64.self) else { return nil }
                let link = DocumentLink.issue(documentID: documentID, patientID: patientID, now: now)
                try await AuditLog.record(
                    AuditEntry(actor: actor, action: "document.link", objectType: "document", objectID: String(documentID),
                               details: ["patient_id": .int(Int(patientID)), "expires_at": .string(Moment.format(link.expires))]),
                    on: connection, logger: logger)
                return link
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    /// Removes the files whose time has come and marks their rows; returns how many. Audited
    /// as one entry per pass.
    @discardableResult
    public func removeExpired(actor: AuditActor = .system("documents.cleanup")) async throws -> Int {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query("""
                    UPDATE bot_documents SET content = NULL, removed_at = now()
                    WHERE removed_at IS NULL AND expires_at <= now()
                    RETURNING id
                    """, logger: logger).collect()
                let ids = try rows.map { try $0.decode(Int64.self) }
                if !ids.isEmpty {
                    try await AuditLog.record(
                        AuditEntry(actor: actor, action: "document.remove_expired", objectType: "document", objectID: nil,
                                   details: ["count": .int(ids.count), "ids": .list(ids.prefix(1000).map { .int(Int($0)) })]),
                        on: connection, logger: logger)
                }
                return ids.count
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    private func fetch(documentID: Int64, actor: AuditActor, via: String, owner: String, ownerBind: Int64) async throws -> DocumentFetch {
        var binds = PostgresBindings()
        binds.append(documentID)
        binds.append(ownerBind)
        do {
            return try await client.withTransaction(logger: logger) { connection in
                // `owner` is one of the two fixed conditions above, never input.
                let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                    SELECT d.number, d.file_name, d.content, d.patient_id FROM bot_documents d WHERE d.id = $1 AND \(owner)
                    """, binds: binds), logger: logger).collect()
                guard let row = rows.first else { return .notFound }
                let (number, name, content, patientID) = try row.decode((String, String, ByteBuffer?, Int64).self)
                guard let content else { return .removed }
                let bytes = try cipher.open(bytes: Array(buffer: content), context: Self.sealingContext(number))
                try await AuditLog.record(
                    AuditEntry(actor: actor, action: "document.download", objectType: "document", objectID: String(documentID),
                               details: ["patient_id": .int(Int(patientID)), "via": .string(via)]),
                    on: connection, logger: logger)
                return .file(name: name, bytes: bytes)
            }
        } catch {
            throw PostgresErrors.bodyError(of: error)
        }
    }

    static func sealingContext(_ number: String) -> String { "bot_documents:\(number)" }

    static let summaryColumns = """
        d.id, d.number, d.kind, d.title, d.language, d.origin, d.file_name, d.size, d.created_at, d.expires_at, d.removed_at IS NULL
        """

    static func summary(_ row: PostgresRow) throws -> DocumentSummary {
        let (id, number, kind, title, language, origin, fileName, size, created, expires, available) =
            try row.decode((Int64, String, String, String, String, String, String, Int, Date, Date?, Bool).self)
        return DocumentSummary(
            id: id, number: number, kind: DocumentKind(rawValue: kind) ?? .certificate, title: title,
            language: Language(rawValue: language) ?? .ru, origin: DocumentOrigin(rawValue: origin) ?? .uploaded,
            fileName: fileName, size: size, createdAt: created, expiresAt: expires, available: available)
    }
}

public enum DocumentStoreError: Error, Sendable, Hashable {
    case noNumber
    /// Empty, or over `DocumentLimits.maximumFileBytes`.
    case fileSize
}
