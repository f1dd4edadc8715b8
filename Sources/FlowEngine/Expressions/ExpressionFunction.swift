extension Expression {
    /// The fixed set of functions an expression may call. Flows cannot define their own,
    /// so the validator knows everything an expression can do.
    public enum Function: String, Sendable, Hashable, CaseIterable {
        case len, empty, now, today, date, age, lower, upper, first, last
        case contains, coalesce, t, str, int, wording

        /// How many arguments the function takes; `nil` as the upper bound means "any number".
        var arity: (min: Int, max: Int?) {
            switch self {
            case .now, .today: return (0, 0)
            case .contains: return (2, 2)
            case .coalesce: return (1, nil)
            default: return (1, 1)
            }
        }

        /// Whether the result can differ between evaluations with the same arguments
        /// (it reads the clock, the time zone or the locale texts).
        var dependsOnContext: Bool {
            switch self {
            case .now, .today, .date, .age, .t, .wording: return true
            default: return false
            }
        }

        /// Known names, alphabetically, for error messages.
        static let knownNames: [String] = allCases.map(\.rawValue).sorted()

        /// The known name a misspelt one was probably meant to be: within edit distance 1 for
        /// short names and 2 for longer ones (so `foo` does not suggest `now`), or else a known
        /// name the typed one starts with (`lenght`, `length` → `len`; `lowercase` → `lower`).
        static func suggestion(for name: String) -> String? {
            let typed = Array(name.lowercased().unicodeScalars)
            let limit = typed.count <= 4 ? 1 : 2
            var best: (name: String, distance: Int)?
            for known in knownNames {
                let distance = editDistance(typed, Array(known.unicodeScalars))
                // Replacing every letter of a one-letter name is not a typo.
                if distance <= limit, distance < typed.count, distance < (best?.distance ?? .max) {
                    best = (known, distance)
                }
            }
            if let best { return best.name }
            let lowered = name.lowercased()
            return knownNames.filter { $0.count >= 3 && lowered.hasPrefix($0) }.max { $0.count < $1.count }
        }

        /// Edit distance counting a swap of neighbours as one edit (`lne` → `len`); names are
        /// short and this only runs when reporting an error.
        private static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
            if a.isEmpty { return b.count }
            if b.isEmpty { return a.count }
            var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { d[i][0] = i }
            for j in 0...b.count { d[0][j] = j }
            for i in 1...a.count {
                for j in 1...b.count {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                        d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                    }
                }
            }
            return d[a.count][b.count]
        }
    }
}
