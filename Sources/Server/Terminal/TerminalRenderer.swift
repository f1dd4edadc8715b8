import FlowEngine
import Foundation

/// Shows the engine's replies in a terminal: inline buttons numbered, the reply keyboard below,
/// and turns what the person types back into events (a number or a label presses a button).
struct TerminalRenderer {
    enum Target {
        case inline(token: String)
        case keyboardText(String)
        case shareContact
    }

    /// The buttons a person can press now, numbered from 1.
    private(set) var targets: [(label: String, target: Target)] = []
    private var keyboard: [KeyButton] = []
    let userID: Int64

    init(userID: Int64) {
        self.userID = userID
    }

    mutating func show(_ replies: [Reply]) -> String {
        var out = ""
        for reply in replies {
            switch reply {
            case .message(let message):
                if case .remove? = message.keyboard { keyboard = [] }
                if case .show(let rows)? = message.keyboard { keyboard = rows.flatMap { $0 } }
                out += "🤖 " + Self.safe(message.text).replacingOccurrences(of: "\n", with: "\n   ") + "\n"
                out += numbered(message.buttons)
            case .edit(let message):
                if message.buttons.isEmpty {
                    if let last = message.text.split(separator: "\n").last, last.hasPrefix("✓") { out += "   " + Self.safe(String(last)) + "\n" }
                } else {
                    out += "🤖 " + Self.safe(message.text).replacingOccurrences(of: "\n", with: "\n   ") + "\n"
                    out += numbered(message.buttons)
                }
            case .file(let file):
                let path = (NSTemporaryDirectory() as NSString).appendingPathComponent(Self.safe(file.name).replacingOccurrences(of: "/", with: "_"))
                _ = FileManager.default.createFile(atPath: path, contents: Data(file.bytes))
                out += "📎 \(file.name) → \(path)\n"
            case .invoice(let invoice):
                // The terminal cannot take a payment: it shows what Telegram would ask for.
                out += "🧾 \(Self.safe(invoice.title)): \(Money.format(tiyn: invoice.amountTiyn)) (paid in Telegram)\n"
            case .notice(let notice):
                if !notice.isEmpty { out += "ℹ️  " + Self.safe(notice) + "\n" }
            }
        }
        return out
    }

    private mutating func numbered(_ buttons: [[Button]]) -> String {
        targets = buttons.flatMap { $0 }.map { ($0.text, .inline(token: $0.token)) }
        var out = ""
        var n = 0
        for row in buttons {
            out += "   " + row.map { button -> String in
                n += 1
                return "[\(n)] \(Self.safe(button.text))"
            }.joined(separator: "   ") + "\n"
        }
        for key in keyboard {
            switch key {
            case .text(let text): targets.append((text, .keyboardText(text)))
            case .contact(let text): targets.append((text, .shareContact))
            }
        }
        if !keyboard.isEmpty {
            out += "   ⌨ " + keyboard.enumerated().map { "[\(buttons.joined().count + $0.offset + 1)] \(Self.safe($0.element.text))" }.joined(separator: "   ") + "\n"
        }
        return out
    }

    /// What a typed line means: a pressed button (by number or label), or text.
    func event(for line: String, sharedPhone: () -> String?) -> Event? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        var chosen: Target?
        if let n = Int(trimmed), n >= 1, n <= targets.count { chosen = targets[n - 1].target }
        else if let match = targets.first(where: { $0.label.caseInsensitiveCompare(trimmed) == .orderedSame }) { chosen = match.target }
        switch chosen {
        case .inline(let token)?: return .button(token)
        case .keyboardText(let text)?: return .text(text)
        case .shareContact?:
            guard let phone = sharedPhone() else { return nil }
            return .contact(phone: phone, userID: userID)
        case nil: return Event.typed(line)
        }
    }

    /// Control characters cannot reach the terminal (they could move the cursor or recolour it).
    static func safe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (scalar.value < 0x20 && scalar != "\n") || (0x7f...0x9f).contains(scalar.value) ? "�" : scalar
        }))
    }
}
