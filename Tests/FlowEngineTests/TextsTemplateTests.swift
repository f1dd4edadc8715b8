import Foundation
import Testing
@testable import FlowEngine

@Suite("Template")
struct TextsTemplateTests {
    let values: [String: Value] = [
        "name": "Айгүл",
        "day": "2026-03-05",
        "at": "2026-11-25T09:00:00Z",
        "month": "2026-03",
        "price": 15000,
        "count": 3,
        "nothing": .null,
        "junk": "завтра",
    ]

    func render(_ text: String, _ language: Language = .ru) throws -> String {
        try Template.parse(text).render(language: language, timeZone: almatyZone) { values[$0] ?? .null }
    }

    @Test("every format in both languages", arguments: [
        ("{name}", Language.ru, "Айгүл"),
        ("{name:plain}", .kk, "Айгүл"),
        ("{count}", .ru, "3"),
        ("{day:date}", .ru, "5 марта 2026 г."),
        ("{day:date}", .kk, "2026 жылғы 5 наурыз"),
        ("{at:date}", .ru, "25 ноября 2026 г."),
        ("{at:datetime}", .ru, "25 ноября 2026 г., 14:00"),
        ("{at:datetime}", .kk, "2026 жылғы 25 қараша, 14:00"),
        ("{at:time}", .ru, "14:00"),
        ("{at:time}", .kk, "14:00"),
        ("{day:weekday}", .ru, "четверг"),
        ("{day:weekday}", .kk, "бейсенбі"),
        ("{at:weekday}", .kk, "сәрсенбі"),
        ("{day:month}", .ru, "Март 2026"),
        ("{month:month}", .kk, "Наурыз 2026"),
        ("{at:month}", .kk, "Қараша 2026"),
        ("{price:money}", .ru, "15\u{00A0}000\u{00A0}₸"),
        ("{price:money}", .kk, "15\u{00A0}000\u{00A0}₸"),
    ])
    func formats(text: String, language: Language, expected: String) throws {
        #expect(try render(text, language) == expected)
    }

    @Test func messageWithLiterals() throws {
        #expect(try render("{name}, вы записаны на {at:datetime} ({at:weekday}). Стоимость: {price:money}.")
            == "Айгүл, вы записаны на 25 ноября 2026 г., 14:00 (среда). Стоимость: 15\u{00A0}000\u{00A0}₸.")
        #expect(try render("{{name}} is {name}; }}{{") == "{name} is Айгүл; }{")
        #expect(try render("") == "")
        #expect(try render("без подстановок") == "без подстановок")
        #expect(try render("{{{name}}}") == "{Айгүл}")
    }

    @Test("unreadable values fall back to their text", arguments: [
        ("{junk:date}", "завтра"), ("{junk:datetime}", "завтра"), ("{junk:time}", "завтра"),
        ("{junk:weekday}", "завтра"), ("{junk:month}", "завтра"), ("{junk:money}", "завтра"),
        ("{count:date}", "3"), ("{day:datetime}", "2026-03-05"), ("{nothing:money}", ""),
        ("{missing}", ""), ("[{nothing}]", "[]"),
    ])
    func fallbacks(text: String, expected: String) throws {
        #expect(try render(text) == expected)
    }

    @Test func moneyAcceptsWholeNumbersInAnyForm() throws {
        let template = try Template.parse("{p:money}")
        let write = { (value: Value) in template.render(language: .kk, timeZone: almatyZone) { _ in value } }
        #expect(write(.double(2500)) == "2\u{00A0}500\u{00A0}₸")
        #expect(write(.string("2500")) == "2\u{00A0}500\u{00A0}₸")
        #expect(write(.double(2500.5)) == "2500.5")
        #expect(write(.double(.nan)) == "nan")
    }

    @Test func placeholdersInOrderOnce() throws {
        let template = try Template.parse("{b} {a:date} {b:time} {{c}} {_x1}")
        #expect(template.placeholders == ["b", "a", "_x1"])
        #expect(try Template.parse("текст").placeholders.isEmpty)
    }

    @Test("parse errors point at the problem", arguments: [
        ("Hello {name", 6, "not closed"),
        ("{", 0, "not closed"),
        ("ab{name:date", 2, "not closed"),
        ("ab{name:", 2, "not closed"),
        ("a}b", 1, "stray '}'"),
        ("{{x}", 3, "stray '}'"),
        ("}}}", 2, "stray '}'"),
        ("x {} y", 3, "empty placeholder name"),
        ("{:date}", 1, "empty placeholder name"),
        ("{1abc}", 1, "starts with a digit"),
        ("{na-me}", 3, "'-' cannot be in a placeholder name"),
        ("{ name}", 1, "U+0020 cannot be in a placeholder name"),
        ("Привет, {имя}", 9, "'и' cannot be in a placeholder name"),
        ("Сәлем {name, welcome}", 11, "',' cannot be in a placeholder name"),
        ("{a:dat}", 3, "unknown format 'dat': valid formats are date, datetime, time, weekday, month, money, plain"),
        ("é{a:Date}", 4, "unknown format 'Date'"),
        ("{a:}", 3, "missing format"),
        ("{a:date x}", 7, "expected '}' after the format"),
        ("{a:date:time}", 7, "expected '}' after the format"),
    ])
    func parseErrors(text: String, offset: Int, message: String) {
        do {
            _ = try Template.parse(text)
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.offset == offset)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    /// Offsets count Unicode scalars, so a decomposed letter before the error counts twice.
    @Test func offsetsCountScalars() {
        #expect(thrownProblem(TemplateError.self) { _ = try Template.parse("e\u{301}}") }?.offset == 2)
        #expect(thrownProblem(TemplateError.self) { _ = try Template.parse("👩‍⚕️ {") }?.offset == 5)
    }

    @Test func hostileTextDoesNotTrap() {
        for text in hostileInputs {
            _ = try? Template.parse(text).render(language: .ru, timeZone: almatyZone) { _ in .null }
        }
        let long = try? Template.parse(String(repeating: "{a:money} ", count: 10_000))
        #expect(long?.render(language: .kk, timeZone: almatyZone) { _ in 1 }.count == 40_000)
    }
}
