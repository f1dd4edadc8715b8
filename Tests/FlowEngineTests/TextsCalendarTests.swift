import Testing
@testable import FlowEngine

@Suite("CalendarText")
struct TextsCalendarTests {
    @Test func monthNames() {
        #expect((1...12).map { CalendarText.monthName($0, .kk) } == [
            "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
            "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
        ])
        #expect((1...12).map { CalendarText.monthName($0, .ru) } == [
            "январь", "февраль", "март", "апрель", "май", "июнь",
            "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
        ])
        #expect((1...12).map { CalendarText.monthName($0, .ru, genitive: true) } == [
            "января", "февраля", "марта", "апреля", "мая", "июня",
            "июля", "августа", "сентября", "октября", "ноября", "декабря",
        ])
        #expect(CalendarText.monthName(13, .ru) == "13")
        #expect(CalendarText.monthName(0, .kk) == "0")
    }

    /// 2 March 2026 is a Monday; the week runs to Sunday 8 March.
    @Test func weekdayNames() {
        let week = (0..<7).map { ymd(2026, 3, 2).adding(days: $0) }
        #expect(week.map { CalendarText.weekdayName($0, .ru) }
            == ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"])
        #expect(week.map { CalendarText.weekdayName($0, .kk) }
            == ["дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі"])
        #expect(week.map { CalendarText.weekdayName($0, .ru, short: true) }
            == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"])
        #expect(week.map { CalendarText.weekdayName($0, .kk, short: true) }
            == ["Дс", "Сс", "Ср", "Бс", "Жм", "Сб", "Жс"])
        #expect(CalendarText.weekdayName(ymd(2026, 3, 5), .kk) == "бейсенбі")
        #expect(CalendarText.weekdayName(ymd(2026, 3, 5), .ru) == "четверг")
    }

    @Test("long dates", arguments: [
        (ymd(2026, 3, 5), Language.ru, "5 марта 2026 г."),
        (ymd(2026, 3, 5), .kk, "2026 жылғы 5 наурыз"),
        (ymd(1990, 12, 31), .ru, "31 декабря 1990 г."),
        (ymd(1990, 12, 31), .kk, "1990 жылғы 31 желтоқсан"),
        (ymd(2024, 5, 1), .ru, "1 мая 2024 г."),
        (ymd(2024, 9, 1), .kk, "2024 жылғы 1 қыркүйек"),
    ])
    func longDate(date: CalendarDate, language: Language, expected: String) {
        #expect(CalendarText.longDate(date, language) == expected)
    }

    @Test func shortDateMonthYearTime() {
        #expect(CalendarText.shortDate(ymd(2026, 3, 5)) == "05.03.2026")
        #expect(CalendarText.shortDate(ymd(1990, 12, 31)) == "31.12.1990")
        #expect(CalendarText.monthYear(year: 2026, month: 3, .ru) == "Март 2026")
        #expect(CalendarText.monthYear(year: 2026, month: 3, .kk) == "Наурыз 2026")
        #expect(CalendarText.monthYear(year: 2026, month: 4, .kk) == "Сәуір 2026")
        #expect(CalendarText.monthYear(year: 2026, month: 10, .kk) == "Қазан 2026")
        #expect(CalendarText.time(hour: 9, minute: 30) == "09:30")
        #expect(CalendarText.time(hour: 23, minute: 5) == "23:05")
        #expect(CalendarText.time(hour: 0, minute: 0) == "00:00")
    }
}
