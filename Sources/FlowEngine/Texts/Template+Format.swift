import Foundation

extension Template.Format {
    /// The text of `value` in this format; the display text when the value is not what the format reads.
    func write(_ value: Value, language: Language, timeZone: TimeZone) -> String {
        switch self {
        case .plain:
            return value.displayText
        case .date:
            guard let day = Self.day(value, timeZone) else { return value.displayText }
            return CalendarText.longDate(day, language)
        case .datetime:
            guard let moment = Self.moment(value) else { return value.displayText }
            return Moment.longDateTime(moment, timeZone, language)
        case .time:
            guard let moment = Self.moment(value) else { return value.displayText }
            let parts = Moment.localParts(moment, timeZone)
            return CalendarText.time(hour: parts.hour, minute: parts.minute)
        case .weekday:
            guard let day = Self.day(value, timeZone) else { return value.displayText }
            return CalendarText.weekdayName(day, language)
        case .month:
            if case .string(let text) = value, let day = CalendarDate(iso: text + "-01") {
                return CalendarText.monthYear(year: day.year, month: day.month, language)  // "YYYY-MM"
            }
            guard let day = Self.day(value, timeZone) else { return value.displayText }
            return CalendarText.monthYear(year: day.year, month: day.month, language)
        case .money:
            guard let tenge = Self.wholeNumber(value) else { return value.displayText }
            return Money.format(tenge: tenge)
        }
    }

    /// A date string, or the local day of a moment string.
    private static func day(_ value: Value, _ timeZone: TimeZone) -> CalendarDate? {
        guard case .string(let text) = value else { return nil }
        if let day = CalendarDate(iso: text) { return day }
        guard let moment = Moment.parse(text) else { return nil }
        return Moment.localParts(moment, timeZone).date
    }

    private static func moment(_ value: Value) -> Date? {
        guard case .string(let text) = value else { return nil }
        return Moment.parse(text)
    }

    private static func wholeNumber(_ value: Value) -> Int? {
        switch value {
        case .int(let number): return number
        case .double(let number) where number.isFinite && number == number.rounded() && number.magnitude < 1e15:
            return Int(number)
        case .string(let text): return Int(text)
        default: return nil
        }
    }
}
