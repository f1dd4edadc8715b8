import Foundation
import Testing
@testable import FlowEngine

@Suite("PersonName")
struct InputsPersonNameTests {
    @Test("names kept as typed", arguments: [
        ("Иван", "Иван"),
        ("  Айгүл \n", "Айгүл"),
        ("Әлихан", "Әлихан"),
        ("Ғалым", "Ғалым"),
        ("Қанат", "Қанат"),
        ("Өмірзақ", "Өмірзақ"),
        ("Ұлан", "Ұлан"),
        ("Үміт", "Үміт"),
        ("Шаңқай", "Шаңқай"),
        ("Һ", "Һ"),
        ("Ілияс", "Ілияс"),
        ("ӘБІЛҚАЙЫР", "ӘБІЛҚАЙЫР"),
        ("Алёна", "Алёна"),
        ("иванов", "иванов"),
        ("Анна-Мария", "Анна-Мария"),
        ("Д'Артаньян", "Д'Артаньян"),
        ("О’Нил", "О’Нил"),
        ("John", "John"),
        ("José", "José"),
        ("Müller", "Müller"),
        ("Äsel", "Äsel"),
        ("I", "I"),
        ("Олексій", "Олексій"),
        ("Мұхтар-Әли", "Мұхтар-Әли"),
    ])
    func accepted(text: String, stored: String) throws {
        #expect(try PersonName(text).value == stored)
    }

    /// "й" and "ё" can arrive as a letter plus a combining mark; NFC makes them one letter,
    /// so they are accepted and equal to the precomposed form.
    @Test func decomposedLettersAreComposed() throws {
        let decomposed = try PersonName("Сергеи\u{0306}")
        #expect(decomposed == (try PersonName("Сергей")))
        #expect(decomposed.value.unicodeScalars.count == 6)
        #expect(try PersonName("Пётр") == PersonName("Пе\u{0308}тр"))
    }

    @Test func lengthLimit() throws {
        let fifty = String(repeating: "ә", count: 50)
        #expect(try PersonName(fifty).value == fifty)
        // 50 decomposed letters are 100 scalars but 50 after NFC.
        #expect(try PersonName(String(repeating: "и\u{0306}", count: 50)).value.count == 50)
        #expect(thrownProblem(PersonNameProblem.self) { _ = try PersonName(fifty + "а") } == .tooLong)
        #expect(thrownProblem(PersonNameProblem.self) {
            _ = try PersonName(String(repeating: "а", count: 10_000))
        } == .tooLong)
    }

    @Test("refused", arguments: [
        ("", PersonNameProblem.empty),
        ("   ", .empty),
        ("\n\t", .empty),
        ("Иван2", .characters),
        ("Иван Иванов", .characters),
        ("-Иван", .characters),
        ("Иван-", .characters),
        ("'Иван", .characters),
        ("Анна--Мария", .characters),
        ("Д''Арт", .characters),
        ("Анна-'Мария", .characters),
        ("-", .characters),
        ("😀", .characters),
        ("Иван😀", .characters),
        ("Ива\u{0}н", .characters),
        ("Ива\u{200B}н", .characters),  // zero-width space
        ("Иван.", .characters),
        ("А×Б", .characters),
        ("שלום", .characters),
        ("Ива\u{0301}н", .characters),  // a stress mark has no precomposed Cyrillic form
        ("\u{0483}", .characters),
        ("Иван\u{202E}", .characters),
    ])
    func refused(text: String, expected: PersonNameProblem) {
        #expect(thrownProblem(PersonNameProblem.self) { _ = try PersonName(text) } == expected)
    }

    @Test func codable() throws {
        let name = try PersonName(" Әлихан ")
        let data = try JSONEncoder().encode([name])
        #expect(try JSONDecoder().decode([PersonName].self, from: data) == [name])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([PersonName].self, from: Data(#"["Иван 2"]"#.utf8))
        }
    }
}
