/// Telegram's HTML parse mode. Every text the engine produces is plain text (editors write no
/// markup, and a patient's name or answer goes into texts as typed), so all of it is escaped:
/// a `<` in a surname can neither break a message nor inject a link.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.append(character)
            }
        }
        return out
    }
}
