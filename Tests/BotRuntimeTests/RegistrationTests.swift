import ClinicPostgres
import BotRuntime
import FlowEngine
import Telegram
import Testing

@Suite("A whole registration through the update handler")
struct RegistrationTests {
    @Test("a new person registers in Russian and ends at the main menu's reply keyboard")
    func registrationInRussian() async throws {
        let harness = try HandlerHarness()
        let set = harness.set
        var chat = ChatDriver(harness)

        try await chat.send("/start")
        try await chat.press(set.text("language.ru"))
        try await chat.send("Айгерим")
        try await chat.send("Сапарова")
        try await chat.press(set.text("registration.no_middle_name"))
        let phoneQuestion = chat.calls
        #expect(phoneQuestion.contains { $0.replyKeyboard == [[set.text("registration.share_phone")]] },
                "the phone question offers to share the contact: \(phoneQuestion)")
        try await chat.shareContact("+7 701 123 45 67")
        try await chat.send("05.03.1990")
        try await chat.press(set.text("registration.sex_female"))
        try await chat.send("900305401239")
        try await chat.press(set.text("registration.agree"))
        try await chat.press(set.text("registration.agree"))
        let logged = harness.log.count
        let last = try await chat.press(set.text("registration.marketing_no"))

        // The last press is answered before the patient is saved.
        #expect(Array(harness.log.all.dropFirst(logged)) == ["answer", "action patient.upsert"])
        #expect(harness.answers.all.allSatisfy { $0.text == nil }, "no press was stale")
        let menu = ["menu.book", "menu.my_appointments", "menu.documents", "menu.payments", "menu.profile", "menu.support"].map { set.text($0) }
        let keyboard = try #require(last.last?.replyKeyboard, "the last message shows the menu: \(last)")
        #expect(keyboard.flatMap { $0 } == menu)
        #expect(last.last?.sentMessage?.text == HTML.escape(set.text("menu.title")))
        #expect(chat.session?.position?.flow == "main_menu")
        #expect(harness.log.all.filter { $0.hasPrefix("action") } == ["action patient.by_telegram", "action patient.upsert"])
    }
}
