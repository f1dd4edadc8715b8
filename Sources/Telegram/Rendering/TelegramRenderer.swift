import FlowEngine

/// Turns the engine's replies into Bot API calls for one chat.
///
/// - Inline buttons carry the engine's short tokens as callback_data.
/// - An `edit` rewrites the message whose button was pressed, so a chosen answer replaces the
///   buttons it was chosen from and the chat stays tidy.
/// - Notices are not messages: they become the answer to the callback query.
/// - A message cannot carry both an inline keyboard and a reply keyboard. The inline buttons stay
///   with the text (a chosen answer later edits that message); a reply keyboard to show goes on
///   a short message of its own just before; removing one rides on an earlier message of the
///   same turn when there is one, else on a short message of its own. (The engine sends a
///   removal only when a keyboard is showing, so this is rare.)
public struct TelegramRenderer: Sendable {
    /// The payment provider's token from @BotFather (`TELEGRAM_PAYMENT_PROVIDER_TOKEN`); nil:
    /// no invoice can be sent (the flows then offer none: `payments.pay` says `unavailable`).
    public let paymentProviderToken: String?

    public init(paymentProviderToken: String? = nil) {
        self.paymentProviderToken = paymentProviderToken
    }

    /// The text of a message that exists only to change the reply keyboard.
    public static let keyboardNote = "⌨️"

    /// `buttonMessage`: the message the pressed button was on, when the update is a button press.
    public func calls(for replies: [Reply], chat: Int64, buttonMessage: Int64?) -> [BotCall] {
        var calls: [BotCall] = []
        for reply in replies {
            switch reply {
            case .message(let message):
                calls += send(message, chat: chat, earlier: &calls)
            case .edit(let message):
                calls += edit(message, chat: chat, buttonMessage: buttonMessage)
            case .file(let file):
                calls.append(.sendDocument(SendDocument(chatId: chat, fileName: file.name, mimeType: file.mimeType, bytes: file.bytes)))
            case .invoice(let invoice):
                guard let token = paymentProviderToken else { continue }
                calls.append(.sendInvoice(SendInvoice(
                    chatId: chat, title: invoice.title, description: invoice.description, payload: invoice.reference, providerToken: token,
                    currency: invoice.currency, prices: [LabeledPrice(label: invoice.label, amount: invoice.amountTiyn)])))
            case .notice(let text):
                // A notice outside a button press (none today) is shown as a message.
                if buttonMessage == nil, !text.isEmpty {
                    calls.append(.sendMessage(SendMessage(chatId: chat, text: HTML.escape(text))))
                }
            }
        }
        return calls
    }

    /// The answer to a callback query: the turn's first non-empty notice (a stale button says
    /// so), or an empty answer that just stops the button's spinner.
    public func callbackAnswer(for replies: [Reply], queryID: String) -> AnswerCallbackQuery {
        for case .notice(let text) in replies where !text.isEmpty {
            return AnswerCallbackQuery(callbackQueryId: queryID, text: String(text.prefix(200)))
        }
        return AnswerCallbackQuery(callbackQueryId: queryID)
    }

    private func send(_ message: Message, chat: Int64, earlier: inout [BotCall]) -> [BotCall] {
        let chunks = TextSplitter.split(message.text)
        let inline = Self.inline(message.buttons)
        var markup: ReplyMarkup? = inline.map { .inline($0) }
        var calls: [BotCall] = []
        switch message.keyboard {
        case nil:
            break
        case .show(let rows):
            let keyboard = ReplyMarkup.keyboard(Self.replyKeyboard(rows))
            if inline == nil { markup = keyboard } else {
                // The reply keyboard needs a message of its own, just before the text.
                calls.append(.sendMessage(SendMessage(chatId: chat, text: Self.keyboardNote, replyMarkup: keyboard)))
            }
        case .remove:
            if inline == nil {
                markup = .remove(ReplyKeyboardRemove())
            } else if let index = earlier.lastIndex(where: Self.canCarryKeyboard),
                      case .sendMessage(var previous) = earlier[index] {
                previous.replyMarkup = .remove(ReplyKeyboardRemove())
                earlier[index] = .sendMessage(previous)
            } else {
                calls.append(.sendMessage(SendMessage(chatId: chat, text: Self.keyboardNote, replyMarkup: .remove(ReplyKeyboardRemove()))))
            }
        }
        for (index, chunk) in chunks.enumerated() {
            let last = index == chunks.count - 1
            calls.append(.sendMessage(SendMessage(chatId: chat, text: HTML.escape(chunk), replyMarkup: last ? markup : nil)))
        }
        return calls
    }

    private func edit(_ message: Message, chat: Int64, buttonMessage: Int64?) -> [BotCall] {
        let inline = Self.inline(message.buttons)
        guard let buttonMessage else {
            // The answer was typed, not pressed: there is no message to tidy. New buttons (another
            // page) still have to be shown.
            guard inline != nil else { return [] }
            return [.sendMessage(SendMessage(chatId: chat, text: HTML.escape(message.text), replyMarkup: inline.map { .inline($0) }))]
        }
        if message.text.isEmpty {
            return [.editMessageReplyMarkup(EditMessageReplyMarkup(chatId: chat, messageId: buttonMessage, replyMarkup: inline))]
        }
        let text = TextSplitter.split(message.text)[0]
        return [.editMessageText(EditMessageText(chatId: chat, messageId: buttonMessage, text: HTML.escape(text), replyMarkup: inline))]
    }

    private static func canCarryKeyboard(_ call: BotCall) -> Bool {
        if case .sendMessage(let message) = call { return message.replyMarkup == nil }
        return false
    }

    static func inline(_ rows: [[Button]]) -> InlineKeyboardMarkup? {
        let rows = rows.filter { !$0.isEmpty }
        guard !rows.isEmpty else { return nil }
        return InlineKeyboardMarkup(inlineKeyboard: rows.map { row in
            row.map { InlineKeyboardButton(text: $0.text, callbackData: $0.token) }
        })
    }

    static func replyKeyboard(_ rows: [[KeyButton]]) -> ReplyKeyboardMarkup {
        ReplyKeyboardMarkup(keyboard: rows.map { row in
            row.map { key in
                switch key {
                case .text(let text): return KeyboardButton(text: text)
                case .contact(let text): return KeyboardButton(text: text, requestContact: true)
                }
            }
        })
    }
}
