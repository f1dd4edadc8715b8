@testable import ClinicPostgres
@testable import FlowActions
import FlowEngine
import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite("Documents: generated and posted files, kept encrypted, only for their patient",
       .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct DocumentStoreTests {
    @Test("a referral is a PDF in the patient's language with the clinic, number, date and patient, read back by pdftotext")
    func generatedInTheirLanguage() async throws {
        try await DocumentsFixture.with { fixture in
            let summary = try await fixture.referral(for: fixture.me)
            #expect(summary.language == .kk && summary.title == "Жолдама" && summary.origin == .generated && summary.available)
            #expect(summary.number.wholeMatch(of: /20\d\d-\d{6}/) != nil)
            guard case .file(let name, let bytes) = try await fixture.store.file(documentID: summary.id, telegramUserID: fixture.me, actor: .api) else {
                Issue.record("the patient did not get their document")
                return
            }
            #expect(name == "Жолдама \(summary.number).pdf")
            let text = try PDFText.of(bytes).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            for expected in ["«Демо-клиника» медициналық орталығы", "Жолдама", "Құжат нөмірі", summary.number, "Пациент",
                             "Серікова Аружан Болатқызы", "Серикбаева Айгуль Маратовна", "Кардиолог кеңесіне жіберіледі."] {
                #expect(text.contains(expected), "\(expected) is not in the PDF")
            }
        }
    }

    @Test("only its patient lists and gets a document: someone else hears 'not found', as for one that does not exist")
    func ownership() async throws {
        try await DocumentsFixture.with { fixture in
            let mine = try await fixture.referral(for: fixture.me)
            _ = try await fixture.referral(for: fixture.someoneElse)
            let myList = try #require(try await fixture.store.list(telegramUserID: fixture.me))
            #expect(myList.items.map(\.id) == [mine.id])
            let theirs = try #require(try await fixture.store.list(telegramUserID: fixture.someoneElse))
            #expect(!theirs.items.contains { $0.id == mine.id })
            #expect(try await fixture.store.file(documentID: mine.id, telegramUserID: fixture.someoneElse, actor: .api) == .notFound)
            #expect(try await fixture.store.file(documentID: 999_999, telegramUserID: fixture.me, actor: .api) == .notFound)
            #expect(try await fixture.store.summary(documentID: mine.id, telegramUserID: fixture.someoneElse) == nil)
            #expect(try await fixture.store.list(telegramUserID: 42) == nil, "no patient, no list")
            #expect(try await fixture.service.generate(DocumentRequest(kind: .certificate, paragraphs: ["x"]), telegramUserID: 42, actor: .api) == nil)
        }
    }

    @Test("lists are newest first, by kind, in pages")
    func listing() async throws {
        try await DocumentsFixture.with { fixture in
            var made: [DocumentSummary] = []
            for kind in [DocumentKind.referral, .certificate, .referral, .prescription] {
                made.append(try await fixture.referral(for: fixture.me, kind: kind))
            }
            let all = try #require(try await fixture.store.list(telegramUserID: fixture.me, limit: 3))
            #expect(all.items.map(\.id) == made.reversed().prefix(3).map(\.id) && all.hasMore)
            let rest = try #require(try await fixture.store.list(telegramUserID: fixture.me, limit: 3, offset: 3))
            #expect(rest.items.map(\.id) == [made[0].id] && !rest.hasMore)
            let referrals = try #require(try await fixture.store.list(telegramUserID: fixture.me, kind: .referral))
            #expect(referrals.items.map(\.id) == [made[2].id, made[0].id])
        }
    }

    @Test("the file is stored encrypted and bound to its document: a file moved to another row does not open")
    func encryptedAtRest() async throws {
        try await DocumentsFixture.with { fixture in
            let first = try await fixture.referral(for: fixture.me)
            let second = try await fixture.referral(for: fixture.me)
            let stored = try await fixture.client.query("SELECT content FROM bot_documents WHERE id = \(first.id)").collect()[0].decode(ByteBuffer.self)
            #expect(!Array(buffer: stored).starts(with: Array("%PDF".utf8)))
            #expect(String(decoding: Array(buffer: stored), as: UTF8.self).contains("Серікова") == false)
            try await fixture.client.query("UPDATE bot_documents SET content = (SELECT content FROM bot_documents WHERE id = \(first.id)) WHERE id = \(second.id)")
            await #expect(throws: PIIOpenError.self) {
                _ = try await fixture.store.file(documentID: second.id, telegramUserID: fixture.me, actor: .api)
            }
        }
    }

    @Test("a result tells the patient: one job for the lab_result flow in their chat, in their language, made with the document")
    func resultTold() async throws {
        try await DocumentsFixture.with { fixture in
            let result = try await fixture.referral(for: fixture.me, kind: .analysis)
            _ = try await fixture.referral(for: fixture.me, kind: .referral)
            let rows = try await fixture.client.query("SELECT origin, chat_id, flow, params::text, due_at <= now() FROM flow_jobs").collect()
            #expect(rows.count == 1, "only the result is told")
            let (origin, chat, flow, params, due) = try rows[0].decode((String, Int64, String, String, Bool).self)
            #expect(origin == "document:\(result.id)" && chat == fixture.me && flow == DocumentStore.resultFlow && due)
            let decoded = try JSONDecoder().decode([String: Value].self, from: Data(params.utf8))
            #expect(decoded == ["document_id": .int(Int(result.id)), "language": .string("kk")])
            #expect(try await fixture.count("SELECT count(*)::int FROM bot_audit WHERE action = 'document.add'") == 2)
        }
    }

    @Test("a posted file is kept and sent byte for byte; what is not a PDF is refused")
    func upload() async throws {
        try await DocumentsFixture.with { fixture in
            let pdf = Array("%PDF-1.7\n% a lab's own report\n%%EOF\n".utf8)
            let kept = try #require(try await fixture.service.upload(
                kind: .analysis, title: "Биохимия крови", fileName: "biochem.pdf", bytes: pdf, expires: nil,
                telegramUserID: fixture.someoneElse, actor: .api))
            #expect(kept.origin == .uploaded && kept.language == .ru && kept.size == pdf.count)
            #expect(try await fixture.store.file(documentID: kept.id, telegramUserID: fixture.someoneElse, actor: .api)
                    == .file(name: "biochem.pdf", bytes: pdf))
            await #expect(throws: DocumentRefusal.notPDF) {
                _ = try await fixture.service.upload(kind: .analysis, title: nil, fileName: "x.pdf", bytes: Array("<html>".utf8), expires: nil,
                                                     telegramUserID: fixture.me, actor: .api)
            }
        }
    }

    @Test("a link is given only to the document's patient, opens the file without the API's token, and never another patient's")
    func links() async throws {
        try await DocumentsFixture.with { fixture in
            let mine = try await fixture.referral(for: fixture.me)
            #expect(try await fixture.service.link(documentID: mine.id, telegramUserID: fixture.someoneElse, actor: .api) == nil)
            let link = try #require(try await fixture.service.link(documentID: mine.id, telegramUserID: fixture.me, actor: .api))
            #expect(link.link.expires.timeIntervalSinceNow > 47 * 3600 && link.link.expires.timeIntervalSinceNow <= 48 * 3600)
            guard case .file(_, let bytes) = try await fixture.service.download(documentID: mine.id, token: link.token, actor: .api) else {
                Issue.record("the link did not open the file")
                return
            }
            #expect(bytes.starts(with: Array("%PDF-".utf8)))
            #expect(try await fixture.service.download(documentID: mine.id, token: link.token, actor: .api, now: Date().addingTimeInterval(49 * 3600)) == .gone)
            // A genuine signature over another patient: the document is not theirs.
            let someoneElsesPatient = try #require(try await fixture.store.owner(telegramUserID: fixture.someoneElse)).patientID
            let forged = DocumentLink.issue(documentID: mine.id, patientID: someoneElsesPatient).token(fixture.cipher)
            #expect(try await fixture.service.download(documentID: mine.id, token: forged, actor: .api) == .refused)
            #expect(try await fixture.count("SELECT count(*)::int FROM bot_audit WHERE action = 'document.link'") == 1)
            #expect(try await fixture.count("SELECT count(*)::int FROM bot_audit WHERE action = 'document.download' AND details->>'via' = 'link'") == 1)
        }
    }

    @Test("the cleanup removes expired files and marks their rows; the document stays listed, its file and links are gone")
    func cleanup() async throws {
        try await DocumentsFixture.with { fixture in
            let owner = try #require(try await fixture.store.owner(telegramUserID: fixture.me))
            let reserved = try await fixture.store.reserveNumber()
            let old = try await fixture.store.add(
                NewDocument(kind: .certificate, title: "Справка", language: .ru, origin: .uploaded, fileName: "c.pdf",
                            bytes: Array("%PDF-1.4\n".utf8), expires: Date().addingTimeInterval(-1)),
                id: reserved.id, number: reserved.number, owner: owner, actor: .api)
            let fresh = try await fixture.referral(for: fixture.me)
            let link = try #require(try await fixture.service.link(documentID: old.id, telegramUserID: fixture.me, actor: .api))
            #expect(try await fixture.store.removeExpired() == 1)
            #expect(try await fixture.store.removeExpired() == 0, "a second pass finds nothing")
            let listed = try #require(try await fixture.store.list(telegramUserID: fixture.me)).items
            #expect(listed.first { $0.id == old.id }?.available == false && listed.first { $0.id == fresh.id }?.available == true)
            #expect(try await fixture.store.file(documentID: old.id, telegramUserID: fixture.me, actor: .api) == .removed)
            #expect(try await fixture.service.download(documentID: old.id, token: link.token, actor: .api) == .gone)
            #expect(try await fixture.count("SELECT count(*)::int FROM bot_documents WHERE content IS NULL AND removed_at IS NOT NULL") == 1)
            #expect(try await fixture.count("SELECT count(*)::int FROM bot_audit WHERE action = 'document.remove_expired'") == 1)
        }
    }
}
