import Foundation
import Testing
@testable import FlowEngine

@Suite("CalendarDate")
struct InputsCalendarDateTests {
    @Test("typed dates people write", arguments: [
        ("05.03.1990", ymd(1990, 3, 5)),
        ("5.3.1990", ymd(1990, 3, 5)),
        ("05/03/1990", ymd(1990, 3, 5)),
        ("05-03-1990", ymd(1990, 3, 5)),
        ("05 03 1990", ymd(1990, 3, 5)),
        ("05. 03. 1990", ymd(1990, 3, 5)),
        ("5 / 3 / 1990", ymd(1990, 3, 5)),
        ("  05.03.1990 \n", ymd(1990, 3, 5)),
        ("\u{00A0}31.12.2024", ymd(2024, 12, 31)),
        ("29.02.2000", ymd(2000, 2, 29)),
        ("29.02.2024", ymd(2024, 2, 29)),
        ("01.01.0001", ymd(1, 1, 1)),
        ("31.12.9999", ymd(9999, 12, 31)),
    ])
    func typed(text: String, expected: CalendarDate) throws {
        #expect(try CalendarDate(typed: text) == expected)
    }

    @Test("typed text that is not a date", arguments: [
        "", "   ", "abc", "05.03.90", "1990-03-05", "05..03.1990", ".05.03.1990", "05.03.1990.",
        "05.03.1990 12:00", "5,3,1990", "05.03.199O", "005.03.1990", "05.03.19900", "05.03", "05.03.",
        "05-03 1990x", "05\u{2013}03\u{2013}1990", "٠٥.٠٣.١٩٩٠", "05.-03.1990",
    ])
    func typedFormat(text: String) {
        #expect(thrownProblem(DateProblem.self) { _ = try CalendarDate(typed: text) } == .format)
    }

    @Test("typed days the calendar does not have", arguments: [
        "31.02.2000", "30.02.2024", "29.02.1900", "29.02.2023", "31.04.2025", "00.01.2000",
        "01.13.2000", "01.00.2000", "01.01.0000", "32.01.2000",
    ])
    func typedNoSuchDay(text: String) {
        #expect(thrownProblem(DateProblem.self) { _ = try CalendarDate(typed: text) } == .noSuchDay)
    }

    @Test func isoRoundTrip() throws {
        let date = try #require(CalendarDate(iso: "2026-03-05"))
        #expect(date == ymd(2026, 3, 5))
        #expect(date.iso == "2026-03-05")
        #expect(ymd(7, 1, 9).iso == "0007-01-09")
        #expect(date.description == "2026-03-05")
    }

    @Test("ISO text that is refused", arguments: [
        "2026-3-05", "2026-03-05 ", "2026/03/05", "05.03.2026", "", "2026-02-30", "0000-01-01", "2026-03-0x",
    ])
    func isoRefused(text: String) {
        #expect(CalendarDate(iso: text) == nil)
    }

    @Test func codableAsISOString() throws {
        let data = try JSONEncoder().encode([ymd(2026, 3, 5)])
        #expect(String(decoding: data, as: UTF8.self) == #"["2026-03-05"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: data) == [ymd(2026, 3, 5)])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CalendarDate].self, from: Data(#"["2026-02-30"]"#.utf8))
        }
    }

    @Test("full years", arguments: [
        (ymd(1990, 3, 5), ymd(2026, 3, 4), 35),
        (ymd(1990, 3, 5), ymd(2026, 3, 5), 36),
        (ymd(1990, 3, 5), ymd(1990, 3, 5), 0),
        (ymd(1990, 12, 31), ymd(1991, 12, 30), 0),
        (ymd(2000, 2, 29), ymd(2023, 2, 28), 22),
        (ymd(2000, 2, 29), ymd(2023, 3, 1), 23),
        (ymd(2000, 2, 29), ymd(2024, 2, 29), 24),
    ])
    func age(birth: CalendarDate, on: CalendarDate, expected: Int) {
        #expect(birth.age(on: on) == expected)
    }

    @Test("ISO weekday", arguments: [
        (ymd(2026, 3, 5), 4), (ymd(1970, 1, 1), 4), (ymd(2000, 1, 1), 6), (ymd(2024, 2, 29), 4),
        (ymd(1900, 1, 1), 1), (ymd(2026, 3, 8), 7), (ymd(1, 1, 1), 1),
    ])
    func weekday(date: CalendarDate, expected: Int) {
        #expect(date.weekday == expected)
    }

    @Test("adding days", arguments: [
        (ymd(2026, 3, 5), 1, ymd(2026, 3, 6)),
        (ymd(2026, 2, 28), 1, ymd(2026, 3, 1)),
        (ymd(2024, 2, 28), 1, ymd(2024, 2, 29)),
        (ymd(2025, 12, 31), 1, ymd(2026, 1, 1)),
        (ymd(2026, 1, 1), -1, ymd(2025, 12, 31)),
        (ymd(2026, 3, 5), 0, ymd(2026, 3, 5)),
        (ymd(1969, 12, 31), 1, ymd(1970, 1, 1)),
        (ymd(2000, 1, 1), 366, ymd(2001, 1, 1)),
        (ymd(1900, 3, 1), -1, ymd(1900, 2, 28)),
    ])
    func adding(date: CalendarDate, days: Int, expected: CalendarDate) {
        #expect(date.adding(days: days) == expected)
    }

    /// Walks day by day through three centuries and checks each step against Foundation's calendar.
    @Test func arithmeticAgreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var date = ymd(1899, 12, 25)
        var components = DateComponents(year: 1899, month: 12, day: 25)
        var foundationDate = try #require(calendar.date(from: components))
        while date.year < 2101 {
            components = calendar.dateComponents([.year, .month, .day, .weekday], from: foundationDate)
            #expect(date.year == components.year && date.month == components.month && date.day == components.day)
            #expect(date.weekday == (components.weekday! + 5) % 7 + 1)  // Foundation: 1 is Sunday
            date = date.adding(days: 1)
            foundationDate = try #require(calendar.date(byAdding: .day, value: 1, to: foundationDate))
            if date.day != 1 && date.day != 15 { continue }  // fast-forward, checking twice a month
            let jump = date.day == 1 ? 14 : date.daysInMonth - 15
            date = date.adding(days: jump)
            foundationDate = try #require(calendar.date(byAdding: .day, value: jump, to: foundationDate))
        }
    }

    @Test("days in month", arguments: [
        (ymd(2026, 1, 1), 31), (ymd(2026, 2, 1), 28), (ymd(2024, 2, 1), 29), (ymd(2000, 2, 1), 29),
        (ymd(1900, 2, 1), 28), (ymd(2026, 4, 1), 30), (ymd(2026, 12, 1), 31),
    ])
    func daysInMonth(date: CalendarDate, expected: Int) {
        #expect(date.daysInMonth == expected)
    }

    @Test func ordering() {
        #expect(ymd(2026, 3, 5) < ymd(2026, 3, 6))
        #expect(ymd(2025, 12, 31) < ymd(2026, 1, 1))
        #expect(ymd(2026, 2, 28) < ymd(2026, 3, 1))
        #expect([ymd(2026, 3, 5), ymd(1990, 1, 1), ymd(2026, 1, 9)].sorted()
            == [ymd(1990, 1, 1), ymd(2026, 1, 9), ymd(2026, 3, 5)])
    }

    @Test("birth dates", arguments: [
        ("05.03.1990", BirthDateProblem?.none),
        ("05.03.2026", nil),  // born today
        ("06.03.2026", .future),
        ("01.01.2100", .future),
        ("05.03.1906", nil),  // 120 today
        ("06.03.1905", nil),  // 120, turns 121 tomorrow
        ("05.03.1905", .tooOld),  // 121 today
        ("01.01.1900", .tooOld),
        ("31.02.1990", .noSuchDay),
        ("1990", .format),
    ])
    func birthDate(text: String, expected: BirthDateProblem?) {
        let today = ymd(2026, 3, 5)
        let result = thrownProblem(BirthDateProblem.self) {
            _ = try CalendarDate.birthDate(typed: text, today: today)
        }
        #expect(result == expected)
    }

    @Test func birthDateValueAndMaxAge() throws {
        let today = ymd(2026, 3, 5)
        #expect(try CalendarDate.birthDate(typed: "5.3.1990", today: today) == ymd(1990, 3, 5))
        #expect(thrownProblem(BirthDateProblem.self) {
            _ = try CalendarDate.birthDate(typed: "05.03.1955", today: today, maxAge: 70)
        } == .tooOld)
        #expect(try CalendarDate.birthDate(typed: "06.03.1955", today: today, maxAge: 70) == ymd(1955, 3, 6))
    }
}
