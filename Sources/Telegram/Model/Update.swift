/// What Telegram sends the bot: the fields of an Update the bot reads, nothing more. Decoded
/// with `convertFromSnakeCase`; unknown fields are ignored, so a newer Bot API does not break
/// decoding.
public struct Update: Codable, Sendable, Hashable {
    public var updateId: Int64
    public var message: IncomingMessage?
    public var editedMessage: IncomingMessage?
    public var callbackQuery: CallbackQuery?
    public var preCheckoutQuery: PreCheckoutQuery?

    public init(updateId: Int64, message: IncomingMessage? = nil, editedMessage: IncomingMessage? = nil, callbackQuery: CallbackQuery? = nil,
                preCheckoutQuery: PreCheckoutQuery? = nil) {
        self.updateId = updateId
        self.message = message
        self.editedMessage = editedMessage
        self.callbackQuery = callbackQuery
        self.preCheckoutQuery = preCheckoutQuery
    }
}

public struct User: Codable, Sendable, Hashable {
    public var id: Int64
    public var isBot: Bool?
    public var firstName: String?
    public var lastName: String?
    public var username: String?
    public var languageCode: String?

    public init(id: Int64, isBot: Bool? = false, firstName: String? = nil, lastName: String? = nil, username: String? = nil, languageCode: String? = nil) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.lastName = lastName
        self.username = username
        self.languageCode = languageCode
    }
}

public struct Chat: Codable, Sendable, Hashable {
    public var id: Int64
    /// "private", "group", "supergroup" or "channel": the bot talks in private chats only.
    public var type: String

    public init(id: Int64, type: String = "private") {
        self.id = id
        self.type = type
    }
}

public struct IncomingMessage: Codable, Sendable, Hashable {
    public var messageId: Int64
    public var from: User?
    public var chat: Chat
    public var date: Int64?
    public var text: String?
    public var contact: Contact?
    public var successfulPayment: SuccessfulPayment?

    public init(messageId: Int64, from: User?, chat: Chat, date: Int64? = nil, text: String? = nil, contact: Contact? = nil,
                successfulPayment: SuccessfulPayment? = nil) {
        self.messageId = messageId
        self.from = from
        self.chat = chat
        self.date = date
        self.text = text
        self.contact = contact
        self.successfulPayment = successfulPayment
    }
}

public struct Contact: Codable, Sendable, Hashable {
    public var phoneNumber: String
    public var firstName: String?
    /// The contact's own Telegram id: equal to the sender's only when they shared their own number.
    public var userId: Int64?

    public init(phoneNumber: String, firstName: String? = nil, userId: Int64? = nil) {
        self.phoneNumber = phoneNumber
        self.firstName = firstName
        self.userId = userId
    }
}

public struct CallbackQuery: Codable, Sendable, Hashable {
    public var id: String
    public var from: User
    /// The message the button was on (absent when it is too old for Telegram to give).
    public var message: IncomingMessage?
    public var data: String?

    public init(id: String, from: User, message: IncomingMessage? = nil, data: String? = nil) {
        self.id = id
        self.from = from
        self.message = message
        self.data = data
    }
}

/// `getUpdates` and every other method answer `{"ok": …, "result": …}`, or a description and an
/// error code with optional parameters (`retry_after` on 429).
public struct BotAPIResponse<Result: Decodable & Sendable>: Decodable, Sendable {
    public var ok: Bool
    public var result: Result?
    public var description: String?
    public var errorCode: Int?
    public var parameters: ResponseParameters?
}

public struct ResponseParameters: Codable, Sendable, Hashable {
    public var retryAfter: Int?
    public var migrateToChatId: Int64?
}

/// The part of a sent message the bot keeps: its id, to edit it later.
public struct SentMessage: Codable, Sendable, Hashable {
    public var messageId: Int64
    public init(messageId: Int64) { self.messageId = messageId }
}
