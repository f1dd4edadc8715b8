import BotRuntime
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RedisStore
import Telegram
import Testing

@Suite("POST /api/bot/webhook")
struct WebhookRouteTests {
    static let secret = "s3cret-token_1"
    static let secretHeader = HTTPField.Name("X-Telegram-Bot-Api-Secret-Token")!
    let update = Person(id: 5005).text("привет", update: 31)

    struct Answer {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
    }

    /// Posts `body` to the webhook of an app whose updates go to `sequencer`.
    func post(_ body: [UInt8], secret: String?, to sequencer: FakeSequencer) async throws -> Answer {
        let router = Router()
        WebhookRoute(secret: Self.secret, sequencer: sequencer, logger: Logger(label: "test.webhook")).add(to: router)
        return try await Application(router: router).test(.router) { client in
            var headers: HTTPFields = [.contentType: "application/json"]
            if let secret { headers[Self.secretHeader] = secret }
            let response = try await client.execute(uri: "/api/bot/webhook", method: .post, headers: headers, body: ByteBuffer(bytes: body))
            return Answer(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    @Test("a wrong secret is refused with a JSON 401 and nothing is handled")
    func wrongSecret() async throws {
        let sequencer = FakeSequencer()
        for secret in ["wrong", Self.secret + "x", String(Self.secret.dropLast()), ""] {
            let answer = try await post(update.payload, secret: secret, to: sequencer)
            #expect(answer.status == .unauthorized, "secret '\(secret)'")
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
        }
        #expect(sequencer.submitted.count == 0)
    }

    @Test("a missing secret is refused with 401")
    func missingSecret() async throws {
        let sequencer = FakeSequencer()
        let answer = try await post(update.payload, secret: nil, to: sequencer)
        #expect(answer.status == .unauthorized)
        #expect(sequencer.submitted.count == 0)
    }

    @Test("with the right secret the update reaches the sequencer, with its JSON, and is acknowledged")
    func rightSecret() async throws {
        let sequencer = FakeSequencer()
        let body = update.payload
        let answer = try await post(body, secret: Self.secret, to: sequencer)
        #expect(answer.status == .ok)
        #expect(answer.json["ok"] as? Bool == true)
        let submitted = try #require(sequencer.submitted.all.first)
        #expect(sequencer.submitted.count == 1)
        #expect(submitted.inbound == update.inbound)
        #expect(submitted.payload == body, "the bytes as posted, for a leader to decode again")
    }

    @Test("a body that is not an update is acknowledged, so Telegram does not resend it")
    func notAnUpdate() async throws {
        let sequencer = FakeSequencer()
        for body in ["not json", #"{"hello":"world"}"#, "[]", ""] {
            let answer = try await post(Array(body.utf8), secret: Self.secret, to: sequencer)
            #expect(answer.status == .ok, "body '\(body)'")
        }
        #expect(sequencer.submitted.count == 0)
    }

    @Test("an update the bot does not handle (a group's) is acknowledged without being handled")
    func ignoredUpdate() async throws {
        var group = update
        group.message?.chat = Chat(id: -100_5, type: "group")
        let sequencer = FakeSequencer()
        let answer = try await post(group.payload, secret: Self.secret, to: sequencer)
        #expect(answer.status == .ok)
        #expect(sequencer.submitted.count == 0)
    }

    @Test("storage that is down answers 503 with Retry-After, so Telegram delivers again",
          arguments: [StorageUnavailable("database down") as any Error, RedisError.connection("timed out")])
    func unavailable(error: any Error) async throws {
        let sequencer = FakeSequencer()
        sequencer.fail(with: error)
        let answer = try await post(update.payload, secret: Self.secret, to: sequencer)
        #expect(answer.status == .serviceUnavailable)
        #expect(answer.headers[.retryAfter] != nil)
        #expect(Int(answer.headers[.retryAfter] ?? "") ?? 0 > 0)
        #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "unavailable")
        #expect(sequencer.submitted.count == 1)
    }

    @Test("any other failure is acknowledged, so the chat is not stuck on it")
    func otherFailure() async throws {
        let sequencer = FakeSequencer()
        sequencer.fail(with: Poison())
        let answer = try await post(update.payload, secret: Self.secret, to: sequencer)
        #expect(answer.status == .ok)
    }
}
