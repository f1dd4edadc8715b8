@testable import Actions
import Testing

@Suite("Input types")
struct InputTypeTests {
    @Test("a valid IIN is accepted", arguments: (0..<20).map { _ in TestIIN.random().digits })
    func validIIN(_ digits: String) throws {
        #expect(try IIN(digits).digits == digits)
    }

    @Test("malformed IINs are refused", arguments: ["", "12345678901", "1234567890123", "90031530012a", " 900315300123", "９００３１５３００１２３"])
    func malformedIIN(_ text: String) {
        #expect(throws: InvalidInput.self) { try IIN(text) }
    }

    @Test("an IIN with a wrong check digit is refused")
    func wrongCheckDigit() throws {
        let valid = TestIIN.random().digits
        let last = Int(String(valid.last!))!
        let wrong = String(valid.dropLast()) + String((last + 1) % 10)
        #expect(throws: InvalidInput.self) { try IIN(wrong) }
    }

    @Test("the second weight set decides when the first sum is 10")
    func secondWeights() {
        // 0,0,0,0,0,0,0,0,0,1,0 → first sum 10 (weight 10); second sum 1 (weight 1).
        #expect(IIN.checkDigit([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]) == 1)
    }

    @Test("an IIN error never shows the IIN")
    func iinErrorHidesValue() {
        let digits = "12345678901x"
        do {
            _ = try IIN(digits)
            Issue.record("accepted a malformed IIN")
        } catch {
            #expect(!"\(error)".contains("12345678901"))
        }
    }

    @Test("IIN and phone masks keep only what identifies them to their owner")
    func masks() throws {
        let iin = TestIIN.random().digits
        let masked = try IIN(iin).masked
        #expect(masked == String(iin.prefix(4)) + "••••••" + String(iin.suffix(2)))
        #expect(try PhoneNumber("+77015550167").masked == "+7 701 ••• •• 67")
    }

    @Test("phone numbers must be +7 and ten digits", arguments: [
        ("+77011234567", true), ("87011234567", false), ("+7701123456", false), ("+770112345678", false),
        ("+7 701 123 45 67", false), ("+87011234567", false), ("+7701123456a", false),
    ])
    func phones(_ text: String, _ valid: Bool) {
        #expect(((try? PhoneNumber(text)) != nil) == valid)
    }

    @Test("ISO dates must be real calendar dates", arguments: [
        ("1990-03-05", true), ("2024-02-29", true), ("2023-02-29", false), ("1900-02-29", false), ("2000-02-29", true),
        ("2024-13-01", false), ("2024-04-31", false), ("2024-1-01", false), ("01.02.1990", false), ("", false),
    ])
    func dates(_ text: String, _ valid: Bool) {
        #expect((ISODate(text) != nil) == valid)
        if valid { #expect(ISODate(text)?.description == text) }
    }

    @Test("names are trimmed and limited to 50 characters of text", arguments: [
        ("  Анна-Мария ", "Анна-Мария"), ("Ерғали", "Ерғали"), ("O'Brien", "O'Brien"), (String(repeating: "Ә", count: 50), String(repeating: "Ә", count: 50)),
    ])
    func goodNames(_ raw: String, _ expected: String) throws {
        #expect(try PersonName(raw, field: "first_name").text == expected)
    }

    @Test("bad names are refused", arguments: ["", "   ", String(repeating: "а", count: 51), "Анна\nМария", "123", "Анна\u{200B}"])
    func badNames(_ raw: String) {
        #expect(throws: InvalidInput.self) { try PersonName(raw, field: "first_name") }
    }

    @Test("a draft refuses a birth date in the future and an empty middle name counts as none")
    func draftDates() throws {
        let today = ISODate("2026-01-10")!
        let iin = TestIIN.random()
        func draft(birthDate: String, middle: String?) throws -> PatientDraft {
            try PatientDraft(
                telegramUserID: 1, telegramUsername: nil, language: "ru", firstName: "Иван", lastName: "Петров",
                middleName: middle, phone: "+77011234567", birthDate: birthDate, sex: iin.sex, iin: iin.digits,
                consents: PatientConsents(personalData: true, medicalIntervention: true), today: today)
        }
        #expect(throws: InvalidInput.self) { try draft(birthDate: "2026-01-12", middle: nil) }
        #expect(throws: InvalidInput.self) { try draft(birthDate: "1899-12-31", middle: nil) }
        #expect(try draft(birthDate: "2026-01-11", middle: " ").middleName == nil)
        #expect(try draft(birthDate: "1990-01-01", middle: "Иванович").fullName == "Петров Иван Иванович")
    }
}
