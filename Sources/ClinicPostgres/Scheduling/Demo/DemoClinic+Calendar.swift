import FlowEngine

extension DemoClinic {
    /// A day the clinic is closed and why.
    struct ClosedDays: Sendable, Hashable {
        let from: CalendarDate
        let to: CalendarDate
        let note: String
    }

    /// The public holidays from `today` through a year ahead.
    static func holidays(from today: CalendarDate) -> [ClosedDays] {
        let last = today.adding(days: 365)
        return [today.year, today.year + 1].flatMap { year in
            holidays.compactMap { holiday -> ClosedDays? in
                guard let from = try? CalendarDate(year: year, month: holiday.month, day: holiday.from),
                      let to = try? CalendarDate(year: year, month: holiday.month, day: holiday.to),
                      to >= today, from <= last
                else { return nil }
                return ClosedDays(from: from, to: to, note: holiday.note)
            }
        }
    }
}

extension DemoClinic.DoctorEntry {
    /// The local working hours on a weekday, if the doctor works then.
    func shift(on weekday: Int) -> DemoClinic.Shift? { week.first { $0.weekdays.contains(weekday) } }

    /// The first day from `day` on that the doctor works, Monday to Friday, that is no holiday.
    func workday(from day: CalendarDate, holidays: [DemoClinic.ClosedDays]) -> CalendarDate {
        var day = day
        // Every demo doctor works some weekday, so a fortnight always finds one.
        for _ in 0..<14 {
            if day.weekday <= 5, shift(on: day.weekday) != nil, !holidays.contains(where: { $0.from <= day && day <= $0.to }) { return day }
            day = day.adding(days: 1)
        }
        return day
    }

    /// An absence as a `schedule_exceptions` row: dates, kind and, for a shortened day, the hours worked.
    func exception(_ absence: DemoClinic.Absence, today: CalendarDate, holidays: [DemoClinic.ClosedDays])
        -> (from: CalendarDate, to: CalendarDate, kind: ScheduleException.Kind, hours: ClosedOpen?, note: String)
    {
        switch absence {
        case .vacation(let weeksAhead, let weeks, let note):
            var monday = today.adding(days: 7 * weeksAhead)
            while monday.weekday != 1 { monday = monday.adding(days: 1) }
            return (monday, monday.adding(days: 7 * weeks - 1), .vacation, nil, note)
        case .shortened(let daysAhead, let until, let note):
            let day = workday(from: today.adding(days: daysAhead), holidays: holidays)
            let start = shift(on: day.weekday)?.start ?? DemoClinic.at(9)
            return (day, day, .shortened, ClosedOpen(start, until), note)
        case .dayOff(let daysAhead, let note):
            let day = workday(from: today.adding(days: daysAhead), holidays: holidays)
            return (day, day, .dayOff, nil, note)
        }
    }
}
