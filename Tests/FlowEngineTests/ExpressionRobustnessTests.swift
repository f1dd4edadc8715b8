import Foundation
import Testing
@testable import FlowEngine

/// Arbitrary input must give a value or an `ExpressionError` pointing inside the source, never a crash.
@Suite("Expression robustness")
struct ExpressionRobustnessTests {
    /// Deterministic so a failure can be reproduced (SplitMix64).
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let garbage: [String] = [
        String(repeating: "🙂", count: 10_000),
        String(repeating: "a", count: 10_000),
        String(repeating: "(", count: 10_000),
        String(repeating: "(", count: 1999) + "1",
        String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000),
        String(repeating: "not ", count: 499) + "x",
        String(repeating: "-", count: 1999) + "1",
        String(repeating: "a.", count: 999) + "a",
        String(repeating: "a[0]", count: 499),
        String(repeating: "f(", count: 999),
        String(repeating: "len(", count: 499),
        String(repeating: "x or ", count: 399) + "x",
        String(repeating: "'", count: 1999),
        String(repeating: "\\", count: 1999),
        "\u{0}", "\u{1}\u{2}\u{3}", "\r\n\t", "\u{FEFF}x", "x\u{0}== 1", "\u{202E}abc",
        "e\u{301} == 'é'", "🇰🇿", "👨‍👩‍👧 + 1", "\u{1F600}(", "'\u{0}'", "\u{D7FF}",
        "1.", ".5", "1..2", "1.2.3", "--", "+", "*", "[,]", "(,)", "a[]", "a()", "len(,)", ".a",
        "'2026-11-25T09:00:00Z", "0s", "00000000000000000000000000001", "1" + String(repeating: "0", count: 400) + ".5",
    ]

    @Test("hand-picked garbage", arguments: garbage)
    func garbageNeverCrashes(source: String) {
        check(source)
    }

    @Test func allControlCharactersAlone() {
        for value in 0..<0x20 { check(String(Unicode.Scalar(UInt8(value)))) }
        check("\u{7F}")
    }

    @Test func randomCharacters() {
        var random = SeededGenerator(state: 42)
        let pool = Array("abcxyz_019 .,()[]'\"\\=!<>+-*/%&|#\n\t🙂йқ\u{0}\u{300}smhd".unicodeScalars)
        for _ in 0..<3000 {
            let length = Int.random(in: 0...60, using: &random)
            var scalars = String.UnicodeScalarView()
            for _ in 0..<length { scalars.append(pool.randomElement(using: &random)!) }
            check(String(scalars))
        }
    }

    /// Soup of valid tokens: most of it parses, which exercises evaluation on odd combinations.
    @Test func randomTokens() {
        var random = SeededGenerator(state: 7)
        let tokens = [
            "a", "items", "form.age", "patient", "big", "half", "none", "1", "0", "2.5", "-", "+", "*", "/", "%",
            "(", ")", "[", "]", ",", "and", "or", "not", "in", "==", "!=", "<", ">=", "'x'", "''", "null", "true",
            "'2026-11-25T09:00:00Z'", "'2026-11-25'", "24h", "7d", "0.5s", "len(", "coalesce(", "first(", "int(",
            "age(", "date(", "str(", "lower(", "contains(", "now()", "today()", "t('greeting')", ".", "name", "[0]",
        ]
        var parsed = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 1...12, using: &random)
            let source = (0..<count).map { _ in tokens.randomElement(using: &random)! }.joined(separator: " ")
            if check(source) { parsed += 1 }
        }
        #expect(parsed > 500)
    }

    /// Parses, and evaluates when that works; returns whether it parsed.
    @discardableResult
    private func check(_ source: String) -> Bool {
        do {
            let expression = try Expression.parse(source)
            _ = expression.evaluate(in: ExpressionFixture.context())
            _ = expression.evaluate(in: ExpressionFixture.context(variables: [:]))
            _ = (expression.paths, expression.textKeys, expression.isConstant)
            return true
        } catch {
            #expect(error.offset >= 0 && error.offset <= source.unicodeScalars.count, "\(source): \(error)")
            #expect(!error.message.isEmpty)
            return false
        }
    }
}
