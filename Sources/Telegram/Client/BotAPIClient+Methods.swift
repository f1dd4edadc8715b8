/// The Bot API methods the bot uses, typed.
extension BotAPIClient {
    /// Sends one of the renderer's calls. Returns the message sent or edited, so it can be
    /// edited later; nil when the API answers `true` (answerCallbackQuery, sendChatAction) and
    /// for an edit that changes nothing ("message is not modified" counts as success).
    public func perform(_ call: BotCall) async throws -> SentMessage? {
        do {
            switch call {
            case .sendMessage(let body):
                return try await self.call(call.method, body, as: SentMessage.self)
            case .editMessageText(let body):
                return try await self.call(call.method, body, as: MessageOrTrue.self).message
            case .editMessageReplyMarkup(let body):
                return try await self.call(call.method, body, as: MessageOrTrue.self).message
            case .answerCallbackQuery(let body):
                _ = try await self.call(call.method, body, as: MessageOrTrue.self)
                return nil
            case .sendChatAction(let body):
                _ = try await self.call(call.method, body, as: MessageOrTrue.self)
                return nil
            case .sendInvoice(let body):
                return try await self.call(call.method, body, as: SentMessage.self)
            case .sendDocument(let document):
                // An upload takes longer than a text: a minute per attempt.
                return try await send(call.method, .multipart(MultipartForm(document)), as: SentMessage.self,
                                      timeout: .seconds(60), policy: retry)
            }
        } catch let error as BotAPIError where error.isNotModified {
            return nil
        }
    }

    /// Telegram's question before it takes a payment; to be answered within 10 seconds, so it
    /// goes straight out, not through the outbox's line.
    public func answerPreCheckoutQuery(_ answer: AnswerPreCheckoutQuery) async throws {
        _ = try await call("answerPreCheckoutQuery", answer, as: Bool.self)
    }

    /// The bot's own account: checks the token at start-up.
    public func getMe() async throws -> BotUser {
        try await call("getMe", NoParameters(), as: BotUser.self)
    }

    /// Long polling. The HTTP timeout is the poll's `timeout` plus 10 s, so the server answers
    /// first. Not retried here: the poller has its own back-off, and a 429 comes back as
    /// `.rateLimited` for it to honour.
    public func getUpdates(_ request: GetUpdates) async throws -> [Update] {
        try await send("getUpdates", try RequestBody.json(request, method: "getUpdates"), as: [Update].self,
                       timeout: .seconds(max(request.timeout, 0) + 10), policy: .once)
    }

    public func setWebhook(_ request: SetWebhook) async throws {
        _ = try await call("setWebhook", request, as: Bool.self)
    }

    public func deleteWebhook(_ request: DeleteWebhook) async throws {
        _ = try await call("deleteWebhook", request, as: Bool.self)
    }

    public func setMyCommands(_ request: SetMyCommands) async throws {
        _ = try await call("setMyCommands", request, as: Bool.self)
    }
}

/// `{}`: the body of a method without parameters.
struct NoParameters: Encodable, Sendable {}

/// Edits answer the edited Message, or `true` when the message was an inline one; the other
/// calls answer `true`. Either decodes.
enum MessageOrTrue: Decodable, Sendable {
    case message(SentMessage)
    case flag(Bool)

    init(from decoder: any Decoder) throws {
        if let flag = try? decoder.singleValueContainer().decode(Bool.self) {
            self = .flag(flag)
        } else {
            self = .message(try SentMessage(from: decoder))
        }
    }

    var message: SentMessage? {
        if case .message(let message) = self { return message }
        return nil
    }
}
