/// Scalar tests and padding shared by the input parsers and text formatters.
///
/// Parsers here walk `unicodeScalars` rather than Characters: grapheme breaking is slow and
/// every rule they check is per scalar anyway. A namespace rather than extensions on
/// `Unicode.Scalar`, so these helpers cannot collide with similar ones elsewhere in the module.
enum InputText {
    /// The value 0...9 of an ASCII digit; nil for anything else (other scripts' digits included,
    /// because nobody's records are kept in them and accepting them would hide typos).
    static func digit(_ scalar: Unicode.Scalar) -> Int? {
        scalar.value >= 0x30 && scalar.value <= 0x39 ? Int(scalar.value - 0x30) : nil
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
    }

    /// Any Unicode space, including the no-break spaces that phone keyboards and copy-paste insert.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }

    /// Zero-pads a non-negative number to `width` digits: `padded(5, width: 2)` is "05".
    static func padded(_ number: Int, width: Int) -> String {
        let text = String(number)
        let missing = width - text.utf8.count
        return missing > 0 ? String(repeating: "0", count: missing) + text : text
    }
}
