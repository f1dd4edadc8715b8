import Foundation
import Telegram
import Testing
import TestSupport

@Suite("Bot API client: the token stays out of logs and errors")
struct BotAPIClientLogTests {
    @Test("no log line and no error description holds the token; log lines name the method")
    func noToken() async throws {
        let recorder = LogRecorder()
        var errors = try await FakeBotAPI.serve { fake, base in
            var errors: [String] = []
            let client = BotAPIClient.fake(base, logger: recorder.logger)
            let message = BotCall.sendMessage(SendMessage(chatId: 1, text: "Құпия мәтін"))
            await fake.answer("sendMessage", with: .serverError)
            await fake.answer("sendMessage", with: .tooManyRequests(retryAfter: 0))
            _ = try await client.perform(message)
            await fake.answer("sendMessage", with: .blocked)
            await fake.answer("getMe", with: .unauthorized)
            await fake.answer("getMe", with: .raw(status: 200, body: "<html>\(FakeBotAPI.token)</html>"))
            await fake.answer("editMessageText", with: .cannotEdit)
            for attempt in [
                { _ = try await client.perform(message) },
                { _ = try await client.getMe() },
                { _ = try await client.getMe() },
                { _ = try await client.perform(.editMessageText(EditMessageText(chatId: 1, messageId: 2, text: "Құпия мәтін"))) },
            ] as [@Sendable () async throws -> Void] {
                do { try await attempt() } catch { errors.append("\(error)") }
            }
            return errors
        }
        // A refused connection: the network error's own description must not leak the URL either.
        let offline = BotAPIClient(baseURL: "http://127.0.0.1:1", token: FakeBotAPI.token,
                                   retry: RetryPolicy(attempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1), maxRetryAfter: .zero),
                                   logger: recorder.logger)
        do { _ = try await offline.call("getMe", [String: String](), as: BotUser.self, timeout: .milliseconds(300)) } catch { errors.append("\(error)") }

        let text = recorder.text
        #expect(errors.count == 5, "\(errors)")
        #expect(text.contains("method=sendMessage") && text.contains("method=getMe"), "\(text)")
        #expect(!text.contains(FakeBotAPI.token) && !text.contains("AAF-secret"), "\(text)")
        #expect(!text.contains("Құпия"), "message texts stay out of the log")
        for error in errors {
            #expect(!error.contains(FakeBotAPI.token) && !error.contains("AAF-secret"), "\(error)")
        }
    }
}
