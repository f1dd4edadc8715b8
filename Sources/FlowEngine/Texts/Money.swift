/// Amounts of money as the clinic shows them.
public enum Money {
    /// "15 000 ₸": tenge in whole units, thousands separated and the sign attached with
    /// U+00A0 no-break spaces so that Telegram never wraps a price across lines.
    /// Written the same in Russian and Kazakh.
    public static func format(tenge: Int) -> String {
        let digits = Array(String(tenge.magnitude).utf8)  // magnitude: Int.min has no positive Int
        var text = tenge < 0 ? "-" : ""
        text.reserveCapacity(digits.count + digits.count / 3 * 2 + 6)
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text += "\u{00A0}" }
            text.unicodeScalars.append(Unicode.Scalar(digit))
        }
        return text + "\u{00A0}₸"
    }

    /// "15 000 ₸", or "15 000,50 ₸" when there are tiyn (1 ₸ = 100 tiyn): an invoice's amount.
    /// The decimal comma is the Russian and Kazakh one (CLDR).
    public static func format(tiyn: Int64) -> String {
        let sign = tiyn < 0 ? "-" : ""
        let tenge = format(tenge: Int(tiyn.magnitude / 100))
        let rest = Int(tiyn.magnitude % 100)
        guard rest != 0 else { return sign + tenge }
        return sign + tenge.dropLast(2) + "," + (rest < 10 ? "0" : "") + String(rest) + "\u{00A0}₸"
    }
}
