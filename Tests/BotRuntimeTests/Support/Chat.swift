import ClinicPostgres
import BotRuntime
import FlowEngine
import Foundation
import Synchronization
import Telegram

/// Fixture actions that write "action <name>" to a log when they run, so a test can see what
/// happened before them.
struct LoggedActions: ActionPerformer {
    let fixtures: FixtureActions
    let log: Recorder<String>

    var signatures: [ActionSignature] { fixtures.signatures }

    func perform(_ call: ActionCall) async -> ActionResult {
        log.append("action \(call.name)")
        return await fixtures.perform(call)
    }
}

/// The shipped flows behind an `UpdateHandler`: answers to button presses and actions go to
/// one log, in the order they happen.
struct HandlerHarness {
    /// A person the clinic does not know yet, whose registration is accepted.
    static let newPerson: [String: [ActionResult]] = [
        "patient.by_telegram": [ActionResult(outcome: "not_found")],
        "patient.upsert": [.ok(["patient_id": 1, "telegram_link_id": 1, "created": true, "full_name": "Сапарова Айгерим"])],
    ]

    let set: FlowSet
    let log: Recorder<String>
    let answers = Recorder<AnswerCallbackQuery>()
    let handler: UpdateHandler

    init(results: [String: [ActionResult]] = Self.newPerson) throws {
        let log = Recorder<String>()
        let fixtures = FixtureActions(signatures: ClinicActions.signatures, results: results)
        self.init(set: try ShippedFlows.load(), actions: ActionGateway(performer: LoggedActions(fixtures: fixtures, log: log)), log: log)
    }

    init(set: FlowSet, actions: ActionGateway, log: Recorder<String> = Recorder()) {
        self.set = set
        self.log = log
        let answers = self.answers
        handler = UpdateHandler(flows: FlowSetHolder(set), actions: actions, answerButton: { answer in
            answers.append(answer)
            log.append("answer")
        })
    }
}

/// One person talking to the handler: keeps their session between updates, numbers the
/// messages the bot sends, and presses buttons by their label.
struct ChatDriver {
    let harness: HandlerHarness
    var person: Person
    var session: Session?
    private(set) var nextUpdate: Int64 = 100
    private var nextMessage: Int64 = 500
    /// The latest inline keyboard shown and the id of the message it is on.
    private(set) var keyboard: (message: Int64, buttons: [InlineKeyboardButton])?
    /// What the last update produced.
    private(set) var calls: [BotCall] = []

    init(_ harness: HandlerHarness, person: Person = Person(id: 1001)) {
        self.harness = harness
        self.person = person
    }

    @discardableResult
    mutating func send(_ text: String) async throws -> [BotCall] {
        try await handle(person.text(text, update: takeUpdateID()))
    }

    @discardableResult
    mutating func shareContact(_ phone: String) async throws -> [BotCall] {
        try await handle(person.contact(phone, ownerID: person.id, update: takeUpdateID()))
    }

    /// Presses the button labelled `label` on the latest inline keyboard.
    @discardableResult
    mutating func press(_ label: String) async throws -> [BotCall] {
        guard let keyboard, let button = keyboard.buttons.first(where: { $0.text == label }) else {
            throw DriverError("no button '\(label)' on the latest keyboard: \(keyboard?.buttons.map(\.text) ?? [])")
        }
        return try await press(token: button.callbackData, onMessage: keyboard.message)
    }

    @discardableResult
    mutating func press(token: String, onMessage message: Int64) async throws -> [BotCall] {
        try await handle(person.press(token, onMessage: message, update: takeUpdateID()))
    }

    mutating func handle(_ update: Update) async throws -> [BotCall] {
        let processed = try await harness.handler.handle(update.inbound, session: session)
        if let stored = processed.session { session = stored }
        calls = processed.calls
        for call in processed.calls {
            switch call {
            case .sendMessage(let message):
                let id = nextMessage
                nextMessage += 1
                if case .inline(let markup)? = message.replyMarkup { keyboard = (id, markup.inlineKeyboard.flatMap { $0 }) }
            case .editMessageText(let edit):
                if let markup = edit.replyMarkup { keyboard = (edit.messageId, markup.inlineKeyboard.flatMap { $0 }) }
            case .editMessageReplyMarkup(let edit):
                if let markup = edit.replyMarkup { keyboard = (edit.messageId, markup.inlineKeyboard.flatMap { $0 }) }
            default:
                break
            }
        }
        return processed.calls
    }

    private mutating func takeUpdateID() -> Int64 {
        defer { nextUpdate += 1 }
        return nextUpdate
    }
}

struct DriverError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension BotCall {
    var sentMessage: SendMessage? {
        if case .sendMessage(let message) = self { return message }
        return nil
    }

    var editedText: EditMessageText? {
        if case .editMessageText(let edit) = self { return edit }
        return nil
    }

    /// The labels of a reply keyboard this call shows, row by row.
    var replyKeyboard: [[String]]? {
        guard case .keyboard(let markup)? = sentMessage?.replyMarkup else { return nil }
        return markup.keyboard.map { $0.map(\.text) }
    }
}
