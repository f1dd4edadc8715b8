@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import PostgresNIO
import TestSupport

/// The demo clinic with its patients, a document service over it worded in the shipped texts,
/// and two of its patients: `me` (Серікова Аружан, Kazakh) and `someoneElse` (Петров, Russian).
struct DocumentsFixture {
    let client: PostgresClient
    let cipher: PIICipher
    let store: DocumentStore
    let service: DocumentService
    let me: Int64
    let someoneElse: Int64

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func shippedLocales() throws -> Locales {
        let (set, diagnostics) = FlowSetLoader.load(
            flowsDirectory: root.appendingPathComponent("flows").path, localesDirectory: root.appendingPathComponent("locales").path,
            signatures: ClinicActions.signatures)
        guard let set else { throw LoadFailure(description: diagnostics.errors.map(\.description).joined(separator: "\n")) }
        return set.locales
    }

    struct LoadFailure: Error, CustomStringConvertible { let description: String }

    static func with(_ body: (DocumentsFixture) async throws -> Void) async throws {
        let locales = try shippedLocales()
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let cipher = try PIICipher(base64Key: TestData.key())
            _ = try await DemoSeeder(client: client, cipher: cipher).seed()
            let store = DocumentStore(client: client, cipher: cipher)
            let service = DocumentService(store: store, composer: DocumentComposer(timeZone: .clinicDefault) { locales }, cipher: cipher)
            try await body(DocumentsFixture(client: client, cipher: cipher, store: store, service: service,
                                            me: DemoClinic.patients[0].telegramUserID, someoneElse: DemoClinic.patients[1].telegramUserID))
        }
    }

    func count(_ sql: String) async throws -> Int {
        try await client.query(PostgresQuery(unsafeSQL: sql)).collect()[0].decode(Int.self)
    }

    /// A referral for `telegramUserID` with one row and two paragraphs.
    func referral(for telegramUserID: Int64, kind: DocumentKind = .referral) async throws -> DocumentSummary {
        let request = DocumentRequest(kind: kind, fields: [.init("Дәрігер", "Серикбаева Айгуль Маратовна")],
                                      paragraphs: ["Кардиолог кеңесіне жіберіледі.", "Өзіңізбен бірге ЭКГ нәтижесін алыңыз."])
        guard let summary = try await service.generate(request, telegramUserID: telegramUserID, actor: .api) else {
            throw LoadFailure(description: "no patient is linked to \(telegramUserID)")
        }
        return summary
    }
}

/// The text of a PDF as poppler's `pdftotext` reads it: an independent reader of what we wrote.
enum PDFText {
    static func of(_ bytes: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("doc-\(UUID().uuidString).pdf")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-enc", "UTF-8", file.path, "-"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
