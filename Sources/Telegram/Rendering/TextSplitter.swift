/// Telegram refuses a message over 4096 characters (counted in UTF-16 code units, after
/// entities are parsed). A longer text is sent as several messages, cut at a paragraph, a line
/// or a word where possible, never inside a character.
public enum TextSplitter {
    public static let limit = 4096

    public static func split(_ text: String, limit: Int = TextSplitter.limit) -> [String] {
        guard text.utf16.count > limit else { return [text] }
        var chunks: [String] = []
        var rest = Substring(text)
        while rest.utf16.count > limit {
            let cut = cutPoint(in: rest, limit: limit)
            let chunk = rest[..<cut].trimmingTrailingWhitespace()
            if !chunk.isEmpty { chunks.append(String(chunk)) }
            rest = rest[cut...].drop { $0 == "\n" || $0 == " " }
        }
        if !rest.isEmpty { chunks.append(String(rest)) }
        return chunks
    }

    /// The end of the longest prefix within `limit`, moved back to the last paragraph break, line
    /// break or space in its second half (a cut that would leave a tiny chunk is not worth it).
    private static func cutPoint(in text: Substring, limit: Int) -> Substring.Index {
        var end = text.startIndex
        var units = 0
        for index in text.indices {
            let width = text[index].utf16.count
            if units + width > limit { break }
            units += width
            end = text.index(after: index)
        }
        let window = text[..<end]
        let floor = text.index(text.startIndex, offsetBy: window.count / 2)
        for separator in ["\n\n", "\n", " "] {
            if let range = window.range(of: separator, options: .backwards), range.lowerBound > floor {
                return range.upperBound
            }
        }
        return end
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var result = self
        while let last = result.last, last == " " || last == "\n" { result = result.dropLast() }
        return result
    }
}
