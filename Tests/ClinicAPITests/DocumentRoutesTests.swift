@testable import ClinicPostgres
@testable import FlowActions
import ClinicAPI
import FlowEngine
import Foundation
import PostgresNIO
import Testing
import TestSupport

/// `/api/bot/documents/…` on the demo clinic in PostgreSQL, worded in the shipped texts.
@Suite("The documents API", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct DocumentRoutesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func seeded(_ body: @Sendable (PostgresClient, APIClient, Int64, Int64) async throws -> Void) async throws {
        let (set, _) = FlowSetLoader.load(
            flowsDirectory: Self.root.appendingPathComponent("flows").path, localesDirectory: Self.root.appendingPathComponent("locales").path,
            signatures: ClinicActions.signatures)
        let locales = try #require(set).locales
        try await TestDatabase.withEmptySchema { client in
            try await Migrator(client: client).migrate()
            let key = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            let cipher = try PIICipher(base64Key: key)
            _ = try await DemoSeeder(client: client, cipher: cipher).seed()
            let service = DocumentService(store: DocumentStore(client: client, cipher: cipher),
                                          composer: DocumentComposer(timeZone: .clinicDefault) { locales }, cipher: cipher)
            try await APITest(documents: service).run { api in
                try await body(client, api, DemoClinic.patients[1].telegramUserID, DemoClinic.patients[0].telegramUserID)
            }
        }
    }

    static let referral = #""type": "referral", "fields": [{"label": "Врач", "value": "Серикбаева Айгуль Маратовна"}], "paragraphs": ["Направляется на консультацию кардиолога."]"#

    @Test("a generated document is listed for its patient only, and its link opens the PDF without the API's token")
    func generateListDownload() async throws {
        try await seeded { _, api, me, someoneElse in
            let made = try await api.post("/api/bot/documents/generate/", #"{"telegram_user_id": \#(me), \#(Self.referral)}"#)
            #expect(made.status == 201, "\(made)")
            #expect(made.object["title"] as? String == "Направление" && made.object["language"] as? String == "ru")
            let id = try #require(made.object["id"] as? Int)
            let mine = try await api.get("/api/bot/documents/?telegram_user_id=\(me)&type=referral")
            #expect(mine.status == 200 && (mine.object["items"] as? [[String: Any]])?.map { $0["id"] as? Int } == [id])
            let none = try await api.get("/api/bot/documents/?telegram_user_id=\(me)&type=analysis")
            #expect((none.object["items"] as? [Any])?.isEmpty == true)
            let theirs = try await api.get("/api/bot/documents/?telegram_user_id=\(someoneElse)")
            #expect((theirs.object["items"] as? [Any])?.isEmpty == true)
            // Someone else's document is as missing as one that does not exist.
            let stranger = try await api.get("/api/bot/documents/\(id)/download/?telegram_user_id=\(someoneElse)")
            let missing = try await api.get("/api/bot/documents/999999/download/?telegram_user_id=\(me)")
            #expect(stranger.status == 404 && missing.status == 404 && stranger.body == missing.body)

            let link = try await api.get("/api/bot/documents/\(id)/download/?telegram_user_id=\(me)")
            #expect(link.status == 200, "\(link)")
            let url = try #require(link.object["url"] as? String), token = try #require(link.object["token"] as? String)
            #expect(url == "https://bot.clinic.test/api/bot/documents/\(id)/download/?token=\(token)")
            let file = try await api.send(.get, "/api/bot/documents/\(id)/download/?token=\(token)", authorization: nil)
            #expect(file.status == 200 && file.headers[.contentType] == "application/pdf" && file.body.starts(with: Data("%PDF-".utf8)))
            #expect(file.headers[.contentDisposition]?.contains("filename*=UTF-8''%D0%9D%D0%B0%D0%BF") == true)
            #expect(file.headers[.cacheControl] == "no-store")
        }
    }

    @Test("an altered link, another document's, or a token on another path is a 403; the token never replaces the API's bearer elsewhere")
    func refusedLinks() async throws {
        try await seeded { _, api, me, _ in
            let first = try await api.post("/api/bot/documents/generate/", #"{"telegram_user_id": \#(me), \#(Self.referral)}"#)
            let second = try await api.post("/api/bot/documents/generate/", #"{"telegram_user_id": \#(me), \#(Self.referral)}"#)
            let id = try #require(first.object["id"] as? Int), other = try #require(second.object["id"] as? Int)
            let token = try #require(try await api.get("/api/bot/documents/\(id)/download/?telegram_user_id=\(me)").object["token"] as? String)
            var altered = Array(token)
            altered[10] = altered[10] == "A" ? "B" : "A"
            for uri in ["/api/bot/documents/\(id)/download/?token=\(String(altered))", "/api/bot/documents/\(other)/download/?token=\(token)",
                        "/api/bot/documents/\(id)/download/?token=", "/api/bot/documents/\(id)/download/?token=%00"] {
                let reply = try await api.send(.get, uri, authorization: nil)
                #expect(reply.status == 403 && reply.errorCode == "link_invalid", "\(uri): \(reply)")
            }
            // The token opens its download and nothing else.
            let listing = try await api.send(.get, "/api/bot/documents/?telegram_user_id=\(me)&token=\(token)", authorization: nil)
            #expect(listing.status == 401)
            let noToken = try await api.send(.get, "/api/bot/documents/\(id)/download/?telegram_user_id=\(me)", authorization: nil)
            #expect(noToken.status == 401)
        }
    }

    @Test("a posted lab PDF is kept as it is; what is not a PDF, too big, or for nobody is refused with a JSON 4xx")
    func upload() async throws {
        try await seeded { client, api, me, _ in
            let pdf = Data("%PDF-1.7\n% lab report\n%%EOF\n".utf8).base64EncodedString()
            let kept = try await api.post("/api/bot/documents/", #"{"telegram_user_id": \#(me), "type": "analysis", "title": "Биохимия крови", "file": {"name": "../../etc/biochem", "base64": "\#(pdf)"}}"#)
            #expect(kept.status == 201, "\(kept)")
            #expect(kept.object["file_name"] as? String == "biochem.pdf" && kept.object["origin"] as? String == "uploaded")
            let told = try await client.query("SELECT count(*)::int FROM flow_jobs WHERE flow = 'lab_result' AND chat_id = \(me)").collect()[0].decode(Int.self)
            #expect(told == 1, "a result is told to the patient")
            let html = Data("<html></html>".utf8).base64EncodedString()
            let notPDF = try await api.post("/api/bot/documents/", #"{"telegram_user_id": \#(me), "type": "analysis", "file": {"name": "x.pdf", "base64": "\#(html)"}}"#)
            #expect(notPDF.status == 422 && notPDF.errorCode == "not_pdf")
            let nobody = try await api.post("/api/bot/documents/", #"{"telegram_user_id": 77, "type": "analysis", "file": {"name": "x.pdf", "base64": "\#(pdf)"}}"#)
            #expect(nobody.status == 404 && nobody.errorCode == "patient_not_found")
            let badType = try await api.post("/api/bot/documents/", #"{"telegram_user_id": \#(me), "type": "passport", "file": {"name": "x.pdf", "base64": "\#(pdf)"}}"#)
            #expect(badType.status == 400 && badType.errorCode == "invalid_field")
            let huge = try await api.send(.post, "/api/bot/documents/", json: #"{"telegram_user_id": \#(me), "type": "analysis", "file": {"name": "x.pdf", "base64": "\#(String(repeating: "A", count: 15 * 1024 * 1024))"}}"#)
            #expect(huge.status == 413 && huge.errorCode == "body_too_large")
        }
    }

    @Test("generation refuses what is not a document: no paragraphs, blank text, a past expiry, an unknown language")
    func badGeneration() async throws {
        try await seeded { _, api, me, _ in
            for bad in [#""type": "referral", "paragraphs": []"#, #""type": "referral", "paragraphs": ["   "]"#,
                        #""type": "referral", "paragraphs": ["x"], "expires_at": "2020-01-01T00:00:00Z""#,
                        #""type": "referral", "paragraphs": ["x"], "language": "en""#, #""type": 5, "paragraphs": ["x"]"#] {
                let reply = try await api.post("/api/bot/documents/generate/", #"{"telegram_user_id": \#(me), \#(bad)}"#)
                #expect(reply.status == 400 && reply.isJSONClientError, "\(bad): \(reply)")
            }
            let kazakh = try await api.post("/api/bot/documents/generate/", #"{"telegram_user_id": \#(me), "type": "certificate", "language": "kk", "paragraphs": ["Анықтама берілді."]}"#)
            #expect(kazakh.status == 201 && kazakh.object["title"] as? String == "Анықтама" && kazakh.object["language"] as? String == "kk")
        }
    }
}
