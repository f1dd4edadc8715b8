/// Splits a SQL script into statements.
///
/// PostgresNIO sends every query with the extended protocol, which takes one statement at a
/// time, while migrations are easier to read as one script. Semicolons inside quotes,
/// quoted identifiers, `$tag$` bodies and comments do not split.
enum SQLScript {
    static func statements(in script: String) -> [String] {
        let s = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var i = 0
        var hasCode = false  // a chunk of only comments is no statement

        func flush() {
            if hasCode { statements.append(String(current).trimmingSpaces()) }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        // Copies s[i...] up to and including `end`, or to the end of the script.
        func copy(through end: [Unicode.Scalar], from start: Int) -> Int {
            var j = start
            while j < s.count {
                if j + end.count <= s.count, Array(s[j..<j + end.count]) == end {
                    current.append(contentsOf: s[j..<j + end.count])
                    return j + end.count
                }
                current.append(s[j])
                j += 1
            }
            return j
        }

        while i < s.count {
            let c = s[i]
            let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
            switch c {
            case ";":
                flush()
                i += 1
            case "'", "\"":
                hasCode = true
                current.append(c)
                i = copy(through: [c], from: i + 1)  // '' inside a string reads as close + open: same result
            case "-" where next == "-":
                i = copy(through: ["\n"], from: i)
            case "/" where next == "*":
                current.append(contentsOf: [c, "*"])
                i = copy(through: ["*", "/"], from: i + 2)
            case "$":
                // `$tag$` (tag may be empty) opens a dollar-quoted body; `$1` is a parameter.
                var j = i + 1
                while j < s.count, s[j].properties.isAlphabetic || s[j] == "_" || (j > i + 1 && ("0"..."9").contains(s[j])) {
                    j += 1
                }
                hasCode = true
                if j < s.count, s[j] == "$" {
                    let tag = Array(s[i...j])
                    current.append(contentsOf: tag)
                    i = copy(through: tag, from: j + 1)
                } else {
                    current.append(c)
                    i += 1
                }
            default:
                if !c.properties.isWhitespace { hasCode = true }
                current.append(c)
                i += 1
            }
        }
        flush()
        return statements
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
