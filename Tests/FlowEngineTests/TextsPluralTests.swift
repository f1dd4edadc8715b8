import Testing
@testable import FlowEngine

@Suite("PluralRules")
struct TextsPluralTests {
    @Test("Russian integers", arguments: [
        (0, PluralCategory.many), (1, .one), (2, .few), (3, .few), (4, .few), (5, .many), (11, .many),
        (12, .many), (14, .many), (20, .many), (21, .one), (22, .few), (25, .many), (101, .one),
        (104, .few), (111, .many), (112, .many), (1000, .many), (1001, .one), (-1, .one), (-22, .few),
        (Int.min, .many), (Int.max, .many),
    ])
    func russian(n: Int, expected: PluralCategory) {
        #expect(PluralRules.category(for: n, in: .ru) == expected)
    }

    @Test("Kazakh integers", arguments: [
        (1, PluralCategory.one), (0, .other), (2, .other), (5, .other), (11, .other), (21, .other), (-1, .one),
    ])
    func kazakh(n: Int, expected: PluralCategory) {
        #expect(PluralRules.category(for: n, in: .kk) == expected)
    }

    @Test("non-integers", arguments: [
        (1.5, Language.ru, PluralCategory.other), (0.1, .ru, .other), (21.0, .ru, .one), (2.0, .ru, .few),
        (5.0, .ru, .many), (Double.nan, .ru, .other), (Double.infinity, .ru, .other),
        (1.0, .kk, .one), (1.5, .kk, .other), (0.0, .kk, .other), (2.5, .kk, .other),
    ])
    func doubles(n: Double, language: Language, expected: PluralCategory) {
        #expect(PluralRules.category(for: n, in: language) == expected)
    }

    @Test func requiredCategories() {
        #expect(PluralRules.required(for: .ru) == [.one, .few, .many, .other])
        #expect(PluralRules.required(for: .kk) == [.one, .other])
        // Every category a rule can produce for an integer is one a locale must give.
        for language in Language.allCases {
            for n in 0...300 {
                #expect(PluralRules.required(for: language).contains(PluralRules.category(for: n, in: language)))
            }
        }
    }

    @Test func rawValues() {
        #expect(PluralCategory.allCases.map(\.rawValue) == ["zero", "one", "two", "few", "many", "other"])
        #expect(Language.allCases.map(\.rawValue) == ["ru", "kk"])
    }
}
