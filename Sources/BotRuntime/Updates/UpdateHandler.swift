import FlowEngine
import Foundation
import Logging
import Telegram

/// What handling one input produced: the session to store (nil: leave it as it was), the Bot
/// API calls to make once it is stored, and the flows that went to sleep (stored durably before
/// the session, so a flow is never lost between the two).
public struct Processed: Sendable {
    public var session: Session?
    public var calls: [BotCall]
    public let chat: Int64
    public var jobs: [Job]

    public init(session: Session?, calls: [BotCall], chat: Int64, jobs: [Job] = []) {
        self.session = session
        self.calls = calls
        self.chat = chat
        self.jobs = jobs
    }
}

/// The storage or a service an action needs is down: nothing of the update is kept, and the
/// transport asks Telegram to deliver it again.
public struct StorageUnavailable: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One update through the engine: the person's session in, the new session and the calls to
/// Telegram out. It stores nothing and sends nothing but the answer to a button press, which
/// goes out at once because actions can be slow and Telegram forgets an unanswered press.
public struct UpdateHandler: Sendable {
    public let flows: FlowSetHolder
    public let actions: ActionGateway
    public let answerButton: @Sendable (AnswerCallbackQuery) -> Void
    let renderer: TelegramRenderer

    public init(flows: FlowSetHolder, actions: ActionGateway, paymentProviderToken: String? = nil,
                answerButton: @escaping @Sendable (AnswerCallbackQuery) -> Void) {
        self.flows = flows
        self.actions = actions
        self.answerButton = answerButton
        renderer = TelegramRenderer(paymentProviderToken: paymentProviderToken)
    }

    public func handle(_ inbound: Inbound, session stored: Session?, now: Date = Date()) async throws -> Processed {
        let interpreter = flows.interpreter
        var session = stored ?? Self.newSession(for: inbound, version: interpreter.set.version)
        if let user = inbound.user {
            session.username = user.username
            session.displayName = inbound.displayName
        }
        let attempt = ActionAttempt(gateway: actions)
        let conversation = Conversation(interpreter: interpreter, actions: attempt)
        let callbackID = inbound.callbackID
        let renderer = self.renderer
        let answerButton = self.answerButton
        let outcome = await conversation.handle(inbound.event, session: &session, now: now, beforeActions: { replies in
            if let callbackID { answerButton(renderer.callbackAnswer(for: replies, queryID: callbackID)) }
        })
        if let failure = attempt.unavailable { throw StorageUnavailable(failure.description) }
        BotMetrics.updates(inbound.kind)
        if inbound.kind != .system { ActiveUsers.shared.saw(inbound.chat) }
        return Processed(session: session, calls: renderer.calls(for: outcome.replies, chat: inbound.chat, buttonMessage: inbound.buttonMessage),
                         chat: inbound.chat, jobs: outcome.jobs)
    }

    /// A person the bot has not seen: Telegram's language when it is one the clinic speaks, so
    /// the very first question is in it (registration still asks).
    static func newSession(for inbound: Inbound, version: String) -> Session {
        var session = Session(userID: inbound.chat)
        session.flowsVersion = version
        if let code = inbound.user?.languageCode?.prefix(2), let language = Language(rawValue: String(code)) {
            session.locale = language
        }
        return session
    }

    /// The friendly answer to a person who writes faster than the limit allows.
    public func tooFast(chat: Int64, session: Session?) -> Processed {
        let set = flows.interpreter.set
        let text = set.locales.plain("common.too_fast", in: session?.locale ?? .ru)
        return Processed(session: nil, calls: [.sendMessage(SendMessage(chatId: chat, text: HTML.escape(text)))], chat: chat)
    }
}
