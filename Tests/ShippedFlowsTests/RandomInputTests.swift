import FlowActions
import FlowEngine
import Foundation
import Testing

/// Whatever a person types — any Unicode, emoji, control characters, 10,000 characters, forged
/// buttons, someone else's contact — at any step of registration: nothing crashes, the session
/// stays where it was and survives storage, every payload stays within Telegram's limits, and
/// the registration still completes with the right data.
@Suite("Random input at every step of registration")
struct RandomInputTests {
    enum Move {
        case text(String)
        case button(Int)
        case contact(String)
    }

    /// A complete registration in Russian; indexes are inline buttons of the current question.
    static let registration: [Move] = [
        .button(0), .text("Айгерим"), .text("Сапарова"), .button(0), .contact("+7 701 123 45 67"),
        .text("05.03.1990"), .button(1), .text("900305401239"), .button(0), .button(0), .button(1),
    ]

    static let results: [String: ActionResult] = [
        "patient.by_telegram": ActionResult(outcome: "not_found"),
        "patient.upsert": .ok(["patient_id": 1, "telegram_link_id": 1, "created": true, "full_name": "Сапарова Айгерим"]),
    ]

    @Test("junk at every step never moves, breaks or crashes the dialogue", arguments: 1...40)
    func junkEverywhere(seed: UInt64) throws {
        let set = try ShippedFlows.load()
        let interpreter = Interpreter(set: set)
        var random = SeededRandom(state: seed)
        var session = Session(userID: 500)
        session.flowsVersion = set.version
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        var upserts: [ActionCall] = []

        func send(_ event: Event) -> [Reply] {
            var replies: [Reply] = []
            var turn = interpreter.handle(event, session: &session, now: now)
            while true {
                replies += turn.replies
                guard let call = turn.action else { break }
                if call.name == "patient.upsert" { upserts.append(call) }
                turn = interpreter.handle(.actionResult(Self.results[call.name] ?? .error), session: &session, now: now)
            }
            return replies
        }

        func checkLimits(_ replies: [Reply]) {
            for reply in replies {
                if case .message(let m) = reply {
                    #expect(m.text.count <= 4096, "seed \(seed): a text of \(m.text.count) characters")
                    #expect(m.buttons.joined().count <= 100, "seed \(seed)")
                    #expect(m.buttons.joined().allSatisfy { $0.token.utf8.count <= 64 }, "seed \(seed)")
                }
            }
        }

        checkLimits(send(.command("start", argument: "")))
        for move in Self.registration {
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let before = session.position.map { "\($0.flow).\($0.step)" }
                let replies = send(junk(using: &random, userID: session.userID))
                checkLimits(replies)
                #expect(session.position.map { "\($0.flow).\($0.step)" } == before, "seed \(seed): junk moved the dialogue")
                let stored = try JSONDecoder().decode(Session.self, from: JSONEncoder().encode(session))
                #expect(stored == session, "seed \(seed): the session does not survive storage")
            }
            let replies: [Reply]
            switch move {
            case .text(let text): replies = send(.text(text))
            case .button(let index): replies = send(.button("\(session.serial).\(index)"))
            case .contact(let phone): replies = send(.contact(phone: phone, userID: session.userID))
            }
            checkLimits(replies)
        }
        #expect(upserts.count == 1, "seed \(seed)")
        let arguments = upserts.first?.arguments ?? [:]
        #expect(arguments["iin"] == "900305401239")
        #expect(arguments["phone"] == "+77011234567")
        #expect(arguments["birth_date"] == "1990-03-05")
        #expect(arguments["middle_name"] == .null)
        #expect(arguments["consent_marketing"] == false)
        #expect(session.position?.flow == "main_menu")
    }

    /// Something no step of registration accepts.
    func junk(using random: inout SeededRandom, userID: Int64) -> Event {
        let pieces = [
            "😀", "👩‍⚕️", "\u{0}", "\u{7}", "\u{1B}[31m", "\u{202E}", "\u{200B}", "\r\n", "\t", "🇰🇿", "٣", "Ⅻ",
            "<b>", "'; DROP TABLE patients; --", "{name}", "%s", "\\", "\u{FFFD}", "\u{10FFFF}", "a\u{301}", "ӘҒҚҢӨҰҮҺІ",
        ]
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            return .text(String(repeating: pieces.randomElement(using: &random)!, count: 10_000 / 4))
        case 1:
            // Forged or outdated button tokens.
            let tokens = ["", ".", "0.0", "-1.-1", "\(Int.max).\(Int.max)", String(repeating: "7", count: 300), "1.999", "😀.1"]
            return .button(tokens.randomElement(using: &random)!)
        case 2:
            // Someone else's number, or garbage as one's own.
            return Bool.random(using: &random)
                ? .contact(phone: "+77011234567", userID: userID + 1)
                : .contact(phone: "не номер 😀", userID: userID)
        case 3:
            return .command("x" + String(Int.random(in: 0...9999, using: &random)), argument: pieces.randomElement(using: &random)!)
        default:
            var text = ""
            for _ in 0..<Int.random(in: 1...12, using: &random) { text += pieces.randomElement(using: &random)! }
            // Always something a name, phone, date or IIN refuses.
            return .text(text + "😀" + "\u{1}")
        }
    }
}
