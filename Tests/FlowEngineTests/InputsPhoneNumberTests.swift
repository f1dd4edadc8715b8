import Foundation
import Testing
@testable import FlowEngine

@Suite("PhoneNumber")
struct InputsPhoneNumberTests {
    @Test("Kazakhstan numbers as people type them", arguments: [
        ("+7 701 123 45 67", "+77011234567"),
        ("+77011234567", "+77011234567"),
        ("87011234567", "+77011234567"),
        ("77011234567", "+77011234567"),
        ("7011234567", "+77011234567"),
        ("8 (701) 123-45-67", "+77011234567"),
        ("+7(701)123.45.67", "+77011234567"),
        ("  +7 701 123 45 67\n", "+77011234567"),
        ("+7\u{00A0}701\u{00A0}123\u{00A0}45\u{00A0}67", "+77011234567"),
        ("+7 747 000 00 00", "+77470000000"),
        ("8 (7272) 58-00-00", "+77272580000"),  // Almaty city number
        ("8-777-999-88-77", "+77779998877"),
    ])
    func accepted(text: String, e164: String) throws {
        #expect(try PhoneNumber(text).e164 == e164)
    }

    @Test("other countries", arguments: [
        "+7 916 123 45 67", "89161234567", "79161234567", "9161234567", "+7 495 123 45 67",
        "+380 44 123 4567", "+996 555 123 456", "+1 202 555 0100",
    ])
    func notKazakhstan(text: String) {
        #expect(thrownProblem(PhoneNumberProblem.self) { _ = try PhoneNumber(text) } == .notKazakhstan)
    }

    @Test("not a phone number", arguments: [
        "", "+", "12345", "+7 701 123 45 6", "+7 701 123 45 678", "8701123456a", "7 701 123 45 67 +",
        "++77011234567", "0123456789", "+7 012 345 67 89", "87011234567 доб. 5", "+77011234567#",
        "97011234567", "+7 701 123 45 67 / 68", "семь ноль один",
    ])
    func format(text: String) {
        #expect(thrownProblem(PhoneNumberProblem.self) { _ = try PhoneNumber(text) } == .format)
    }

    @Test func maskedFormattedDescription() throws {
        let phone = try PhoneNumber("87011234567")
        #expect(phone.masked == "+7 701 ••• •• 67")
        #expect(phone.formatted == "+7 701 123 45 67")
        #expect("\(phone)" == "+7 701 ••• •• 67")
    }

    @Test func codableAsE164() throws {
        let phone = try PhoneNumber("8 701 123 45 67")
        let data = try JSONEncoder().encode([phone])
        #expect(String(decoding: data, as: UTF8.self) == #"["+77011234567"]"#)
        #expect(try JSONDecoder().decode([PhoneNumber].self, from: data) == [phone])
    }
}
