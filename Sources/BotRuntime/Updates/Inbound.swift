import FlowEngine
import Telegram

/// An update as the runtime handles it: whose it is, the engine event it means, and what the
/// renderer needs to answer it.
public struct Inbound: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case message, callbackQuery = "callback_query", contact
    }

    public let updateID: Int64
    /// The private chat; in a private chat it is also the person's Telegram id.
    public let chat: Int64
    public let user: User
    public let kind: Kind
    public let event: Event
    /// For a button press: the query to answer and the message the button was on.
    public let callbackID: String?
    public let buttonMessage: Int64?

    /// nil for what the bot does not handle: groups and channels, edits, stickers and photos,
    /// messages from bots. Those are acknowledged and counted, never processed.
    public init?(_ update: Update) {
        updateID = update.updateId
        if let query = update.callbackQuery {
            guard let data = query.data, let chat = query.message?.chat ?? Self.privateChat(of: query.from),
                  chat.type == "private", query.from.isBot != true
            else { return nil }
            self.chat = chat.id
            user = query.from
            kind = .callbackQuery
            event = .button(data)
            callbackID = query.id
            buttonMessage = query.message?.messageId
            return
        }
        guard let message = update.message, message.chat.type == "private",
              let from = message.from, from.isBot != true
        else { return nil }
        chat = message.chat.id
        user = from
        callbackID = nil
        buttonMessage = nil
        if let contact = message.contact {
            kind = .contact
            event = .contact(phone: contact.phoneNumber, userID: contact.userId)
        } else if let text = message.text, !text.isEmpty {
            kind = .message
            event = .typed(String(text.prefix(Self.textLimit)))
        } else {
            return nil
        }
    }

    /// Telegram caps a message at 4096 characters; anything longer did not come from Telegram.
    static let textLimit = 4096

    /// A button on a message too old for Telegram to include: the chat is the person's own.
    private static func privateChat(of user: User) -> Chat? { Chat(id: user.id, type: "private") }

    /// The person's name as Telegram shows it, for the session (not a registered name).
    public var displayName: String? {
        let parts = [user.firstName, user.lastName].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
