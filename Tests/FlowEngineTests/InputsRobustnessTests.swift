import Foundation
import Testing
@testable import FlowEngine

/// Every parser must refuse hostile text with a problem, never trap or hang.
@Suite("Inputs on hostile text")
struct InputsRobustnessTests {
    @Test(arguments: hostileInputs)
    func calendarDate(text: String) {
        #expect(thrownProblem(DateProblem.self) { _ = try CalendarDate(typed: text) } != nil)
        #expect(CalendarDate(iso: text) == nil)
        #expect(thrownProblem(BirthDateProblem.self) {
            _ = try CalendarDate.birthDate(typed: text, today: ymd(2026, 3, 5))
        } != nil)
    }

    @Test(arguments: hostileInputs)
    func iin(text: String) {
        #expect(thrownProblem(IINProblem.self) { _ = try IIN(text) } != nil)
    }

    @Test(arguments: hostileInputs)
    func phoneNumber(text: String) {
        #expect(thrownProblem(PhoneNumberProblem.self) { _ = try PhoneNumber(text) } != nil)
    }

    /// The repeated "e" + acute composes to 5,000 letters "é": refused for length, not characters.
    @Test(arguments: hostileInputs)
    func personName(text: String) {
        #expect(thrownProblem(PersonNameProblem.self) { _ = try PersonName(text) } != nil)
    }

    @Test func problemsAreLocaleKeys() {
        func keys<P: TypedInputProblem>(_ type: P.Type) -> [String] { P.allCases.map(\.localeKey) }
        let all = keys(DateProblem.self) + keys(BirthDateProblem.self) + keys(IINProblem.self)
            + keys(IINMismatch.self) + keys(PhoneNumberProblem.self) + keys(PersonNameProblem.self)
        for key in all {
            #expect(key.wholeMatch(of: /errors\.[a-z_]+\.[a-z_]+/) != nil, "\(key)")
        }
        #expect(IINProblem.checksum.localeKey == "errors.iin.checksum")
        #expect(DateProblem.noSuchDay.localeKey == "errors.date.no_such_day")
        #expect(BirthDateProblem.tooOld.localeKey == "errors.birth_date.too_old")
        #expect(IINMismatch.sexMismatch.localeKey == "errors.iin.sex_mismatch")
        #expect(PhoneNumberProblem.notKazakhstan.localeKey == "errors.phone.not_kazakhstan")
        #expect(PersonNameProblem.tooLong.localeKey == "errors.name.too_long")
        #expect(Set(all).count == all.count)
    }
}
