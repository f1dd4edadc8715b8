import Foundation
import Telegram
import Testing
import TestSupport

@Suite("Bot API client: retries and error kinds")
struct BotAPIClientRetryTests {
    static let hello = BotCall.sendMessage(SendMessage(chatId: 1, text: "Сәлем"))

    @Test("429: waits retry_after before the retry, which succeeds")
    func tooManyRequests() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("sendMessage", with: .tooManyRequests(retryAfter: 1))
            let sent = try await BotAPIClient.fake(base).perform(Self.hello)
            #expect(sent != nil)
            let calls = await fake.calls
            #expect(calls.count == 2)
            #expect(calls[1].at - calls[0].at >= .seconds(1))
        }
    }

    @Test("429 with a retry_after over maxRetryAfter is thrown at once; 429 on every attempt too")
    func tooLongToWait() async throws {
        try await FakeBotAPI.serve { fake, base in
            let client = BotAPIClient.fake(base)
            await fake.answer("sendMessage", with: .tooManyRequests(retryAfter: 30))
            await #expect(throws: BotAPIError.rateLimited(retryAfter: 30)) { try await client.perform(Self.hello) }
            #expect(await fake.calls.count == 1)

            let once = BotAPIClient.fake(base, retry: RetryPolicy(attempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(10), maxRetryAfter: .seconds(5)))
            await fake.answer("sendMessage", with: .tooManyRequests(retryAfter: 0), times: 2)
            await #expect(throws: BotAPIError.rateLimited(retryAfter: 0)) { try await once.perform(Self.hello) }
            #expect(await fake.calls.count == 3)
        }
    }

    @Test("500 then 200: succeeds after a back-off")
    func serverError() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("sendMessage", with: .serverError)
            let sent = try await BotAPIClient.fake(base).perform(Self.hello)
            #expect(sent != nil)
            let calls = await fake.calls
            #expect(calls.count == 2)
            // .fast: 0.2 s base delay, of which the jitter keeps at least half.
            #expect(calls[1].at - calls[0].at >= .milliseconds(100))
        }
    }

    @Test("5xx on every attempt, and a proxy's HTML 502: .unavailable after all attempts")
    func serverErrorsExhausted() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("sendMessage", with: .serverError, times: 2)
            await fake.answer("sendMessage", with: .raw(status: 502, body: "<html>Bad Gateway</html>"))
            await #expect(throws: BotAPIError.unavailable("HTTP 502")) { try await BotAPIClient.fake(base).perform(Self.hello) }
            #expect(await fake.calls.count == RetryPolicy.fast.attempts)
        }
    }

    @Test("403: .blocked after exactly one attempt")
    func blocked() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("sendMessage", with: .blocked)
            await #expect(throws: BotAPIError.blocked("Forbidden: bot was blocked by the user")) { try await BotAPIClient.fake(base).perform(Self.hello) }
            #expect(await fake.calls.count == 1)
        }
    }

    @Test("400: not retried; 'message is not modified' is success, 'can't be edited' is cannotEdit")
    func badRequests() async throws {
        try await FakeBotAPI.serve { fake, base in
            let client = BotAPIClient.fake(base)
            let edit = BotCall.editMessageText(EditMessageText(chatId: 1, messageId: 9, text: "Сол мәтін"))
            await fake.answer("editMessageText", with: .notModified)
            let unchanged = try await client.perform(edit)
            #expect(unchanged == nil)
            await fake.answer("editMessageText", with: .cannotEdit)
            let error = await #expect(throws: BotAPIError.self) { try await client.perform(edit) }
            #expect(error?.cannotEdit == true && error?.isNotModified == false)
            await fake.answer("sendMessage", with: .raw(status: 400, body: #"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#))
            await #expect(throws: BotAPIError.badRequest("Bad Request: chat not found")) { try await client.perform(Self.hello) }
            #expect(await fake.calls.count == 3)
        }
    }

    @Test("401: .unauthorized, not retried; nonsense answers: .invalidResponse")
    func unauthorizedAndInvalid() async throws {
        try await FakeBotAPI.serve { fake, base in
            let client = BotAPIClient.fake(base)
            await fake.answer("getMe", with: .unauthorized)
            await #expect(throws: BotAPIError.unauthorized) { try await client.getMe() }
            await fake.answer("getMe", with: .raw(status: 200, body: "not json"))
            await #expect(throws: BotAPIError.self) { try await client.getMe() }
            await fake.answer("getMe", with: .raw(status: 200, body: #"{"ok":false}"#))
            await #expect(throws: BotAPIError.invalidResponse("ok: false without an error code")) { try await client.getMe() }
            await fake.answer("getMe", with: .raw(status: 200, body: #"{"ok":true,"result":{"unexpected":1}}"#))
            await #expect(throws: BotAPIError.self) { try await client.getMe() }
            #expect(await fake.calls.count == 4)
        }
    }

    @Test("timeouts are retried, then .unavailable")
    func timeout() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("getMe", with: .delay(.seconds(2)), times: 2)
            let policy = RetryPolicy(attempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(10), maxRetryAfter: .seconds(1))
            let client = BotAPIClient.fake(base, retry: policy)
            let error = await #expect(throws: BotAPIError.self) {
                try await client.call("getMe", [String: String](), as: BotUser.self, timeout: .milliseconds(300))
            }
            guard case .unavailable = error else { Issue.record("\(String(describing: error))"); return }
            #expect(await fake.calls.count == 2)
        }
    }

    @Test("connection refused: retried with back-off, then .unavailable")
    func connectionRefused() async throws {
        // Port 1 on the loopback: nothing listens there.
        let policy = RetryPolicy(attempts: 3, baseDelay: .milliseconds(100), maxDelay: .milliseconds(100), maxRetryAfter: .seconds(1))
        let client = BotAPIClient(baseURL: "http://127.0.0.1:1", token: FakeBotAPI.token, retry: policy)
        let start = ContinuousClock.now
        // AsyncHTTPClient keeps trying to connect until the deadline: a short one keeps the test short.
        let error = await #expect(throws: BotAPIError.self) {
            try await client.call("getMe", [String: String](), as: BotUser.self, timeout: .milliseconds(300))
        }
        guard case .unavailable = error else { Issue.record("\(String(describing: error))"); return }
        #expect(ContinuousClock.now - start >= .milliseconds(100), "two back-offs of at least 50 ms each")
    }

    @Test("getUpdates is not retried: the poller backs off itself")
    func getUpdatesOnce() async throws {
        try await FakeBotAPI.serve { fake, base in
            let client = BotAPIClient.fake(base)
            await fake.answer("getUpdates", with: .serverError)
            await #expect(throws: BotAPIError.unavailable("Internal Server Error")) { try await client.getUpdates(GetUpdates(offset: nil, timeout: 0)) }
            await fake.answer("getUpdates", with: .tooManyRequests(retryAfter: 1))
            await #expect(throws: BotAPIError.rateLimited(retryAfter: 1)) { try await client.getUpdates(GetUpdates(offset: nil, timeout: 0)) }
            #expect(await fake.calls.count == 2)
            let none = try await client.getUpdates(GetUpdates(offset: nil, timeout: 0))
            #expect(none.isEmpty)
        }
    }

    @Test("a cancelled call ends at once with CancellationError, not as an outage to retry")
    func cancellation() async throws {
        try await FakeBotAPI.serve { fake, base in
            await fake.answer("getUpdates", with: .delay(.seconds(3)))
            let client = BotAPIClient.fake(base)
            let poll = Task { try await client.getUpdates(GetUpdates(offset: nil, timeout: 3)) }
            // Cancelled once the call has reached the server (not after a fixed pause: under the
            // suite's load the request can take longer than any pause to get there).
            let deadline = ContinuousClock.now + .seconds(10)
            while await fake.calls.count < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            poll.cancel()
            await #expect(throws: CancellationError.self) { try await poll.value }
            #expect(await fake.calls.count == 1)

            await fake.answer("sendMessage", with: .serverError, times: 3)
            let send = Task { try await client.perform(Self.hello) }
            try await Task.sleep(for: .milliseconds(50))
            send.cancel()
            await #expect(throws: CancellationError.self) { try await send.value }
        }
    }

    @Test("the back-off doubles up to maxDelay and keeps at least half of it")
    func backoff() {
        let policy = RetryPolicy(attempts: 9, baseDelay: .milliseconds(200), maxDelay: .seconds(5), maxRetryAfter: .seconds(60))
        for _ in 0..<50 {
            let first = policy.backoff(after: 1)
            #expect(first >= .milliseconds(100) && first <= .milliseconds(200))
            let third = policy.backoff(after: 3)
            #expect(third >= .milliseconds(400) && third <= .milliseconds(800))
            let late = policy.backoff(after: 30)
            #expect(late >= .milliseconds(2500) && late <= .seconds(5))
        }
        #expect(RetryPolicy.standard.attempts == 5 && RetryPolicy.standard.maxRetryAfter == .seconds(60))
    }
}
