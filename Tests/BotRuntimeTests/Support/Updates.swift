import BotRuntime
import Foundation
import Telegram

/// Telegram updates as they arrive, for one person in their private chat.
struct Person {
    var id: Int64
    var firstName = "Айгерим"
    var languageCode: String? = "ru"

    var user: User { User(id: id, isBot: false, firstName: firstName, languageCode: languageCode) }
    var chat: Chat { Chat(id: id, type: "private") }

    func text(_ text: String, update: Int64, message: Int64 = 1) -> Update {
        Update(updateId: update, message: IncomingMessage(messageId: message, from: user, chat: chat, date: 1_795_000_000, text: text))
    }

    func contact(_ phone: String, ownerID: Int64?, update: Int64, message: Int64 = 1) -> Update {
        Update(updateId: update, message: IncomingMessage(
            messageId: message, from: user, chat: chat, contact: Contact(phoneNumber: phone, firstName: firstName, userId: ownerID)))
    }

    /// A press of a button carrying `data` on message `message` (nil: a message too old for
    /// Telegram to include).
    func press(_ data: String, onMessage message: Int64?, update: Int64, queryID: String? = nil) -> Update {
        let buttonMessage = message.map { IncomingMessage(messageId: $0, from: nil, chat: chat, text: "a question") }
        return Update(updateId: update, callbackQuery: CallbackQuery(id: queryID ?? "query-\(update)", from: user, message: buttonMessage, data: data))
    }
}

extension Update {
    /// The update as Telegram's JSON: what the webhook receives and what a sequencer queues.
    /// (Key order may differ between two encodings.)
    var payload: [UInt8] { Array(try! TelegramJSON.encoder.encode(self)) }

    /// The update as the runtime handles it; fails the test's precondition when ignored.
    var inbound: Inbound {
        guard let inbound = Inbound(self) else { fatalError("update \(updateId) is ignored by Inbound") }
        return inbound
    }
}
