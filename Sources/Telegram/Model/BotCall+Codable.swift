import Foundation

/// A call as data, so replies can wait in a durable outbox and be sent by another process:
/// `{"method": "sendMessage", "call": {…}}`. A document's bytes travel as base64.
extension BotCall: Codable {
    private enum Keys: String, CodingKey { case method, call }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(method, forKey: .method)
        switch self {
        case .sendMessage(let call): try container.encode(call, forKey: .call)
        case .editMessageText(let call): try container.encode(call, forKey: .call)
        case .editMessageReplyMarkup(let call): try container.encode(call, forKey: .call)
        case .answerCallbackQuery(let call): try container.encode(call, forKey: .call)
        case .sendDocument(let call): try container.encode(call, forKey: .call)
        case .sendChatAction(let call): try container.encode(call, forKey: .call)
        case .sendInvoice(let call): try container.encode(call, forKey: .call)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        switch try container.decode(String.self, forKey: .method) {
        case "sendMessage": self = .sendMessage(try container.decode(SendMessage.self, forKey: .call))
        case "editMessageText": self = .editMessageText(try container.decode(EditMessageText.self, forKey: .call))
        case "editMessageReplyMarkup": self = .editMessageReplyMarkup(try container.decode(EditMessageReplyMarkup.self, forKey: .call))
        case "answerCallbackQuery": self = .answerCallbackQuery(try container.decode(AnswerCallbackQuery.self, forKey: .call))
        case "sendDocument": self = .sendDocument(try container.decode(SendDocument.self, forKey: .call))
        case "sendChatAction": self = .sendChatAction(try container.decode(SendChatAction.self, forKey: .call))
        case "sendInvoice": self = .sendInvoice(try container.decode(SendInvoice.self, forKey: .call))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .method, in: container, debugDescription: "unknown Bot API method \(other)")
        }
    }
}

/// Stored, not sent: the upload itself is multipart (`Multipart`), never this JSON.
extension SendDocument: Codable {
    private enum Keys: String, CodingKey { case chatId, fileName, mimeType, bytes, caption }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(chatId, forKey: .chatId)
        try container.encode(fileName, forKey: .fileName)
        try container.encode(mimeType, forKey: .mimeType)
        try container.encode(Data(bytes), forKey: .bytes)
        try container.encodeIfPresent(caption, forKey: .caption)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        self.init(chatId: try container.decode(Int64.self, forKey: .chatId), fileName: try container.decode(String.self, forKey: .fileName),
                  mimeType: try container.decode(String.self, forKey: .mimeType), bytes: Array(try container.decode(Data.self, forKey: .bytes)),
                  caption: try container.decodeIfPresent(String.self, forKey: .caption))
    }
}
