import BotRuntime
import FlowEngine
import Telegram
import Testing

@Suite("An update as the runtime reads it")
struct InboundTests {
    let person = Person(id: 4242)

    @Test("a text message is typed text from the person's private chat")
    func text() {
        let inbound = Inbound(person.text("Добрый день", update: 10))
        #expect(inbound?.updateID == 10)
        #expect(inbound?.chat == 4242)
        #expect(inbound?.user?.id == 4242)
        #expect(inbound?.kind == .message)
        #expect(inbound?.event == .text("Добрый день"))
        #expect(inbound?.callbackID == nil)
        #expect(inbound?.buttonMessage == nil)
        #expect(inbound?.displayName == "Айгерим")
    }

    @Test("a /command is a command with its argument, also when addressed to the bot by name")
    func command() {
        #expect(Inbound(person.text("/start ref42", update: 1))?.event == .command("start", argument: "ref42"))
        #expect(Inbound(person.text("/Language@ClinicBot", update: 2))?.event == .command("language", argument: ""))
    }

    @Test("a shared contact carries the number and the contact's own Telegram id")
    func contact() {
        let own = Inbound(person.contact("+7 701 123 45 67", ownerID: 4242, update: 3))
        #expect(own?.kind == .contact)
        #expect(own?.event == .contact(phone: "+7 701 123 45 67", userID: 4242))
        let someoneElse = Inbound(person.contact("+7 702 000 00 00", ownerID: nil, update: 4))
        #expect(someoneElse?.event == .contact(phone: "+7 702 000 00 00", userID: nil))
    }

    @Test("a button press: the chat of the button's message, the query to answer and the message to edit")
    func buttonPress() {
        var update = person.press("3.1", onMessage: 777, update: 5, queryID: "q-1")
        // The message's chat, not the presser's id, says where to answer.
        update.callbackQuery?.message?.chat = Chat(id: 9_000, type: "private")
        let inbound = Inbound(update)
        #expect(inbound?.kind == .callbackQuery)
        #expect(inbound?.chat == 9_000)
        #expect(inbound?.event == .button("3.1"))
        #expect(inbound?.callbackID == "q-1")
        #expect(inbound?.buttonMessage == 777)
    }

    @Test("a button on a message too old to be included answers in the person's own chat")
    func buttonWithoutMessage() {
        let inbound = Inbound(person.press("3.1", onMessage: nil, update: 6))
        #expect(inbound?.chat == 4242)
        #expect(inbound?.buttonMessage == nil)
        #expect(inbound?.callbackID == "query-6")
    }

    @Test("groups, channels, bots, edits, stickers and data-less buttons are not handled")
    func ignored() {
        var group = person.text("/start", update: 1)
        group.message?.chat = Chat(id: -100_123, type: "group")
        #expect(Inbound(group) == nil)

        var channel = person.text("news", update: 2)
        channel.message?.chat = Chat(id: -100_456, type: "channel")
        #expect(Inbound(channel) == nil)

        var fromBot = person.text("/start", update: 3)
        fromBot.message?.from?.isBot = true
        #expect(Inbound(fromBot) == nil)

        var anonymous = person.text("hi", update: 4)
        anonymous.message?.from = nil
        #expect(Inbound(anonymous) == nil)

        var sticker = person.text("", update: 5)
        sticker.message?.text = nil
        #expect(Inbound(sticker) == nil)
        #expect(Inbound(person.text("", update: 6)) == nil)

        let edit = Update(updateId: 7, editedMessage: person.text("corrected", update: 7).message)
        #expect(Inbound(edit) == nil)

        var groupButton = person.press("1.0", onMessage: 5, update: 8)
        groupButton.callbackQuery?.message?.chat = Chat(id: -100_789, type: "supergroup")
        #expect(Inbound(groupButton) == nil)

        var botButton = person.press("1.0", onMessage: 5, update: 9)
        botButton.callbackQuery?.from.isBot = true
        #expect(Inbound(botButton) == nil)

        var noData = person.press("1.0", onMessage: 5, update: 10)
        noData.callbackQuery?.data = nil
        #expect(Inbound(noData) == nil)
    }

    @Test("a text longer than Telegram allows is cut to 4096 characters")
    func longText() {
        let long = String(repeating: "я", count: 5_000) + "END"
        guard case .text(let text)? = Inbound(person.text(long, update: 1))?.event else {
            Issue.record("not read as text")
            return
        }
        #expect(text.count == 4_096)
        #expect(long.hasPrefix(text))
        #expect(!text.contains("END"))

        let exact = String(repeating: "ә", count: 4_096)
        #expect(Inbound(person.text(exact, update: 2))?.event == .text(exact))
    }
}
