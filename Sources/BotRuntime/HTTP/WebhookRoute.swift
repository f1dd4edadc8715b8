import ClinicPostgres
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RedisStore
import Telegram

/// `POST /api/bot/webhook`: Telegram's updates. The answer is 200 only once the update is
/// handled and its session stored; 503 with Retry-After when storage is down, so Telegram
/// delivers it again; 401 for a wrong or missing secret, with nothing handled.
public struct WebhookRoute: Sendable {
    public let secret: String
    public let sequencer: any UpdateSequencer
    public let logger: Logger
    /// Payment updates go here instead of to the chat's line; nil: none are expected.
    public let payments: TelegramPaymentGate?
    /// A Telegram update is a few kilobytes; anything this big is not one.
    static let bodyLimit = 1 << 20

    public init(secret: String, sequencer: any UpdateSequencer, payments: TelegramPaymentGate? = nil, logger: Logger) {
        self.secret = secret
        self.sequencer = sequencer
        self.payments = payments
        self.logger = logger
    }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.post("api/bot/webhook") { request, context in
            try await self.handle(request, context)
        }
    }

    func handle<Context: RequestContext>(_ request: Request, _ context: Context) async throws -> Response {
        let given = request.headers[.telegramSecret] ?? ""
        guard secretsMatch(given, secret) else {
            return JSONResponse.error(.unauthorized, code: "unauthorized", "the webhook secret token is missing or wrong")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.bodyLimit)
        } catch {
            return JSONResponse.error(.contentTooLarge, code: "too_large", "an update is at most 1 MiB")
        }
        let payload = Array(buffer: body)
        guard let update = try? TelegramJSON.decoder.decode(Update.self, from: Data(payload)) else {
            // Redelivering a body that is not an update would never help: acknowledged, counted.
            BotMetrics.poison.increment()
            logger.error("webhook body is not a Telegram update; acknowledged")
            return JSONResponse.ok
        }
        if let payments, TelegramPaymentGate.isPayment(update) {
            do {
                try await payments.handle(update)
                return JSONResponse.ok
            } catch {
                logger.warning("payment update not recorded; Telegram will redeliver", metadata: ["update_id": "\(update.updateId)", "error": "\(type(of: error))"])
                return JSONResponse.unavailable
            }
        }
        guard let inbound = Inbound(update) else {
            BotMetrics.ignored.increment()
            return JSONResponse.ok
        }
        do {
            _ = try await sequencer.submit(inbound, payload: payload)
            return JSONResponse.ok
        } catch let error as StorageUnavailable {
            logger.warning("update not handled, storage unavailable; Telegram will redeliver", metadata: ["update_id": "\(update.updateId)", "reason": "\(error.description)"])
            return JSONResponse.unavailable
        } catch let error as RedisError {
            logger.warning("update not handled, Redis unavailable; Telegram will redeliver", metadata: ["update_id": "\(update.updateId)", "reason": "\(error)"])
            return JSONResponse.unavailable
        } catch {
            BotMetrics.poison.increment()
            logger.error("update failed; acknowledged so the chat goes on", metadata: ["update_id": "\(update.updateId)", "error": "\(type(of: error))"])
            return JSONResponse.ok
        }
    }
}

extension HTTPField.Name {
    static let telegramSecret = Self("X-Telegram-Bot-Api-Secret-Token")!
}

/// Small JSON answers of the bot's own routes.
enum JSONResponse {
    static var ok: Response { json(.ok, #"{"ok":true}"#) }

    static var unavailable: Response {
        var response = error(.serviceUnavailable, code: "unavailable", "storage is unavailable; retry later")
        response.headers[.retryAfter] = "5"
        return response
    }

    static func error(_ status: HTTPResponse.Status, code: String, _ message: String) -> Response {
        json(status, #"{"error":{"code":"\#(code)","message":"\#(message)"}}"#)
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
