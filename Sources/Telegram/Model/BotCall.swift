/// The Bot API calls the bot makes, as values: the renderer produces them, the outbox sends
/// them, tests compare them. Encoded with `convertToSnakeCase`; nil fields are left out.
public enum BotCall: Sendable, Hashable {
    case sendMessage(SendMessage)
    case editMessageText(EditMessageText)
    case editMessageReplyMarkup(EditMessageReplyMarkup)
    case answerCallbackQuery(AnswerCallbackQuery)
    case sendDocument(SendDocument)
    case sendChatAction(SendChatAction)
    case sendInvoice(SendInvoice)

    /// The Bot API method name.
    public var method: String {
        switch self {
        case .sendMessage: return "sendMessage"
        case .editMessageText: return "editMessageText"
        case .editMessageReplyMarkup: return "editMessageReplyMarkup"
        case .answerCallbackQuery: return "answerCallbackQuery"
        case .sendDocument: return "sendDocument"
        case .sendChatAction: return "sendChatAction"
        case .sendInvoice: return "sendInvoice"
        }
    }

    /// The chat the call writes to; nil for answerCallbackQuery, which writes to no chat.
    public var chatId: Int64? {
        switch self {
        case .sendMessage(let call): return call.chatId
        case .editMessageText(let call): return call.chatId
        case .editMessageReplyMarkup(let call): return call.chatId
        case .answerCallbackQuery: return nil
        case .sendDocument(let call): return call.chatId
        case .sendChatAction(let call): return call.chatId
        case .sendInvoice(let call): return call.chatId
        }
    }

    /// Whether the call counts against Telegram's message limits (30/s overall, about 1/s per
    /// chat). Answering a callback query and a typing indicator do not post anything.
    public var postsMessage: Bool {
        switch self {
        case .sendMessage, .editMessageText, .editMessageReplyMarkup, .sendDocument, .sendInvoice: return true
        case .answerCallbackQuery, .sendChatAction: return false
        }
    }
}

public enum ParseMode: String, Codable, Sendable, Hashable {
    case html = "HTML"
}

/// `reply_markup`: an inline keyboard under a message, a reply keyboard instead of the
/// person's keyboard, or the removal of the reply keyboard.
public enum ReplyMarkup: Codable, Sendable, Hashable {
    case inline(InlineKeyboardMarkup)
    case keyboard(ReplyKeyboardMarkup)
    case remove(ReplyKeyboardRemove)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .inline(let markup): try markup.encode(to: encoder)
        case .keyboard(let markup): try markup.encode(to: encoder)
        case .remove(let markup): try markup.encode(to: encoder)
        }
    }

    public init(from decoder: any Decoder) throws {
        if let inline = try? InlineKeyboardMarkup(from: decoder) { self = .inline(inline); return }
        if let keyboard = try? ReplyKeyboardMarkup(from: decoder) { self = .keyboard(keyboard); return }
        self = .remove(try ReplyKeyboardRemove(from: decoder))
    }
}

public struct InlineKeyboardMarkup: Codable, Sendable, Hashable {
    public var inlineKeyboard: [[InlineKeyboardButton]]
    public init(inlineKeyboard: [[InlineKeyboardButton]]) { self.inlineKeyboard = inlineKeyboard }
}

public struct InlineKeyboardButton: Codable, Sendable, Hashable {
    public var text: String
    /// At most 64 bytes.
    public var callbackData: String
    public init(text: String, callbackData: String) {
        self.text = text
        self.callbackData = callbackData
    }
}

public struct ReplyKeyboardMarkup: Codable, Sendable, Hashable {
    public var keyboard: [[KeyboardButton]]
    public var resizeKeyboard: Bool?
    public var oneTimeKeyboard: Bool?
    public var isPersistent: Bool?
    public init(keyboard: [[KeyboardButton]], resizeKeyboard: Bool? = true, oneTimeKeyboard: Bool? = nil, isPersistent: Bool? = nil) {
        self.keyboard = keyboard
        self.resizeKeyboard = resizeKeyboard
        self.oneTimeKeyboard = oneTimeKeyboard
        self.isPersistent = isPersistent
    }
}

public struct KeyboardButton: Codable, Sendable, Hashable {
    public var text: String
    public var requestContact: Bool?
    public init(text: String, requestContact: Bool? = nil) {
        self.text = text
        self.requestContact = requestContact
    }
}

public struct ReplyKeyboardRemove: Codable, Sendable, Hashable {
    public var removeKeyboard: Bool
    public init() { self.removeKeyboard = true }
}

public struct SendMessage: Codable, Sendable, Hashable {
    public var chatId: Int64
    public var text: String
    public var parseMode: ParseMode?
    public var replyMarkup: ReplyMarkup?
    public init(chatId: Int64, text: String, parseMode: ParseMode? = .html, replyMarkup: ReplyMarkup? = nil) {
        self.chatId = chatId
        self.text = text
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
    }
}

public struct EditMessageText: Codable, Sendable, Hashable {
    public var chatId: Int64
    public var messageId: Int64
    public var text: String
    public var parseMode: ParseMode?
    /// Only an inline keyboard can go with an edit; nil removes the buttons.
    public var replyMarkup: InlineKeyboardMarkup?
    public init(chatId: Int64, messageId: Int64, text: String, parseMode: ParseMode? = .html, replyMarkup: InlineKeyboardMarkup? = nil) {
        self.chatId = chatId
        self.messageId = messageId
        self.text = text
        self.parseMode = parseMode
        self.replyMarkup = replyMarkup
    }
}

public struct EditMessageReplyMarkup: Codable, Sendable, Hashable {
    public var chatId: Int64
    public var messageId: Int64
    public var replyMarkup: InlineKeyboardMarkup?
    public init(chatId: Int64, messageId: Int64, replyMarkup: InlineKeyboardMarkup? = nil) {
        self.chatId = chatId
        self.messageId = messageId
        self.replyMarkup = replyMarkup
    }
}

public struct AnswerCallbackQuery: Codable, Sendable, Hashable {
    public var callbackQueryId: String
    /// A short notice shown over the chat (at most 200 characters); nil just stops the spinner.
    public var text: String?
    public init(callbackQueryId: String, text: String? = nil) {
        self.callbackQueryId = callbackQueryId
        self.text = text
    }
}

/// A file sent as multipart/form-data: `document` is uploaded, not a URL.
public struct SendDocument: Sendable, Hashable {
    public var chatId: Int64
    public var fileName: String
    public var mimeType: String
    public var bytes: [UInt8]
    public var caption: String?
    public init(chatId: Int64, fileName: String, mimeType: String, bytes: [UInt8], caption: String? = nil) {
        self.chatId = chatId
        self.fileName = fileName
        self.mimeType = mimeType
        self.bytes = bytes
        self.caption = caption
    }
}

public struct SendChatAction: Codable, Sendable, Hashable {
    public var chatId: Int64
    /// "typing", "upload_document".
    public var action: String
    public init(chatId: Int64, action: String = "typing") {
        self.chatId = chatId
        self.action = action
    }
}
