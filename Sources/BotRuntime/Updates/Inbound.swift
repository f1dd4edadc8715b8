import FlowEngine
import Telegram

/// An input for one chat as the runtime handles it: a person's Telegram update, or an input the
/// bot gives itself (a flow that wakes, a flow the system starts). Both pass the same sequencer:
/// once, in order, with the session loaded before and stored after.
public struct Inbound: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case message, callbackQuery = "callback_query", contact, system
    }

    /// Where the input came from; it also names the input for "handled once".
    public enum Source: Sendable, Hashable {
        case telegram(updateID: Int64, user: User)
        case system(SystemInput)
    }

    public let source: Source
    /// The private chat; in a private chat it is also the person's Telegram id.
    public let chat: Int64
    public let kind: Kind
    public let event: Event
    /// For a button press: the query to answer and the message the button was on.
    public let callbackID: String?
    public let buttonMessage: Int64?

    /// nil for what the bot does not handle: groups and channels, edits, stickers and photos,
    /// messages from bots. Those are acknowledged and counted, never processed.
    public init?(_ update: Update) {
        if let query = update.callbackQuery {
            guard let data = query.data, let chat = query.message?.chat ?? Self.privateChat(of: query.from),
                  chat.type == "private", query.from.isBot != true
            else { return nil }
            self.chat = chat.id
            source = .telegram(updateID: update.updateId, user: query.from)
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
        source = .telegram(updateID: update.updateId, user: from)
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

    /// An input the bot gives the chat by itself.
    public init(_ system: SystemInput) {
        source = .system(system)
        chat = system.chat
        kind = .system
        event = system.event
        callbackID = nil
        buttonMessage = nil
    }

    /// The Telegram update's id; nil for a system input.
    public var updateID: Int64? {
        if case .telegram(let id, _) = source { return id }
        return nil
    }

    /// The person who sent the update; nil for a system input.
    public var user: User? {
        if case .telegram(_, let user) = source { return user }
        return nil
    }

    /// Names the input for "handled once": the update id ("123"), or "s:" and the system
    /// input's id ("s:job:42"), so the two kinds never collide.
    public var key: String {
        switch source {
        case .telegram(let id, _): return String(id)
        case .system(let input): return "s:" + input.id
        }
    }

    /// For logs: the update id or the system input's id (never a person's data).
    public var label: String {
        switch source {
        case .telegram(let id, _): return "update \(id)"
        case .system(let input): return input.id
        }
    }

    /// Telegram caps a message at 4096 characters; anything longer did not come from Telegram.
    static let textLimit = 4096

    /// A button on a message too old for Telegram to include: the chat is the person's own.
    private static func privateChat(of user: User) -> Chat? { Chat(id: user.id, type: "private") }

    /// The person's name as Telegram shows it, for the session (not a registered name).
    public var displayName: String? {
        guard let user else { return nil }
        let parts = [user.firstName, user.lastName].compactMap { $0 }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
