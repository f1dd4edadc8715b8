/// The calendar date picker: a month grid in the person's language, only bookable days
/// pressable, month navigation within the allowed range.
///
/// `input: { type: date, calendar: true, days: LIST, min: DATE, max: DATE }` — `days` lists the
/// pressable ISO dates (all days when absent); `min` defaults to today, `max` to a year later.
extension Run {
    /// An empty calendar cell. Telegram refuses a button whose text is empty or only spaces;
    /// U+2800 (a blank Braille pattern) is not whitespace and shows as nothing.
    static let blank = "\u{2800}"

    /// Calendar bounds and bookable days, as the question's options say.
    struct CalendarRange {
        let first: CalendarDate
        let last: CalendarDate
        let days: Set<String>?

        func allows(_ date: CalendarDate) -> Bool {
            date >= first && date <= last && (days?.contains(date.iso) ?? true)
        }

        /// Months from the first month to the last.
        var monthSpan: Int { (last.year - first.year) * 12 + last.month - first.month }
    }

    func calendarRange(_ input: InputSpec) -> CalendarRange {
        let today = Moment.localParts(now, locales.timeZone).date
        let first = input.options["min"].flatMap { evaluate($0).stringValue }.flatMap { CalendarDate(iso: $0) } ?? today
        var last = input.options["max"].flatMap { evaluate($0).stringValue }.flatMap { CalendarDate(iso: $0) } ?? first.adding(days: 365)
        if last < first { last = first }
        let days = input.options["days"].flatMap { evaluate($0).listValue }.map { Set($0.compactMap(\.stringValue)) }
        return CalendarRange(first: first, last: last, days: days)
    }

    mutating func addCalendar(for input: InputSpec, to grid: inout ButtonGrid) {
        let range = calendarRange(input)
        let offset = min(max(session.view, 0), range.monthSpan)
        session.view = offset
        let monthIndex = range.first.month - 1 + offset
        let year = range.first.year + monthIndex / 12, month = monthIndex % 12 + 1

        grid.add(CalendarText.monthYear(year: year, month: month, language), .inert)
        grid.endRow()
        // 2024-01-01 was a Monday: its week gives the weekday headers in order.
        for weekday in 0..<7 {
            grid.add(CalendarText.weekdayName(CalendarDate(unchecked: 2024, 1, 1 + weekday), language, short: true), .inert)
        }
        grid.endRow()
        let firstDay = CalendarDate(unchecked: year, month, 1)
        for _ in 1..<firstDay.weekday { grid.add(Self.blank, .inert) }
        for day in 1...firstDay.daysInMonth {
            let date = CalendarDate(unchecked: year, month, day)
            if range.allows(date) {
                grid.add(String(day), .answer(value: .string(date.iso), label: CalendarText.longDate(date, language), next: nil))
            } else {
                grid.add("·", .inert)
            }
            if date.weekday == 7 { grid.endRow() }
        }
        let lastDay = CalendarDate(unchecked: year, month, firstDay.daysInMonth)
        if lastDay.weekday < 7 { for _ in lastDay.weekday..<7 { grid.add(Self.blank, .inert) } }
        grid.endRow()
        grid.add(offset > 0 ? "◀" : Self.blank, offset > 0 ? .page(offset - 1) : .inert)
        grid.add(offset < range.monthSpan ? "▶" : Self.blank, offset < range.monthSpan ? .page(offset + 1) : .inert)
        grid.endRow()
    }
}
