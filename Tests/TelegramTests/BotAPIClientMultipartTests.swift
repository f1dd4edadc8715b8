import Foundation
import Telegram
import Testing
import TestSupport

@Suite("Bot API client: sendDocument as multipart/form-data")
struct BotAPIClientMultipartTests {
    @Test("chat_id, caption and the file arrive with file name, content type and the exact bytes")
    func document() async throws {
        try await FakeBotAPI.serve { fake, base in
            // Every byte value, CR LF and dashes included, and something that looks like a boundary.
            let bytes = Array(0...255).map(UInt8.init) + Array("\r\n--clinic-bot-\r\n--".utf8) + Array(repeating: 0x2D, count: 100)
            let document = SendDocument(chatId: 111, fileName: "Жолдама №1.pdf", mimeType: "application/pdf", bytes: bytes, caption: "Сіздің жолдамаңыз")
            let sent = try await BotAPIClient.fake(base).perform(.sendDocument(document))
            #expect(sent != nil)
            let call = try #require(await fake.calls.first)
            #expect(call.method == "sendDocument" && call.contentType.hasPrefix("multipart/form-data; boundary="))
            let fields = call.fields
            #expect(Set(fields.keys) == ["chat_id", "caption", "document"])
            #expect(fields["chat_id"]?.text == "111" && fields["caption"]?.text == "Сіздің жолдамаңыз")
            let file = try #require(fields["document"])
            #expect(file.fileName == "Жолдама №1.pdf" && file.contentType == "application/pdf")
            #expect(file.bytes == bytes)
        }
    }

    @Test("no caption: no caption field; an empty file; a quote in the file name does not break the header")
    func edges() async throws {
        try await FakeBotAPI.serve { fake, base in
            _ = try await BotAPIClient.fake(base).perform(.sendDocument(SendDocument(chatId: 5, fileName: "a\"b.txt", mimeType: "text/plain", bytes: [])))
            let fields = try #require(await fake.calls.first).fields
            #expect(Set(fields.keys) == ["chat_id", "document"])
            #expect(fields["document"]?.bytes == [] && fields["document"]?.fileName == "a%22b.txt")
        }
    }

    @Test("two uploads get different boundaries")
    func boundaries() async throws {
        try await FakeBotAPI.serve { fake, base in
            let client = BotAPIClient.fake(base)
            let document = SendDocument(chatId: 5, fileName: "a.txt", mimeType: "text/plain", bytes: Array("x".utf8))
            _ = try await client.perform(.sendDocument(document))
            _ = try await client.perform(.sendDocument(document))
            let types = await fake.calls.map(\.contentType)
            #expect(types.count == 2 && types[0] != types[1])
        }
    }
}
