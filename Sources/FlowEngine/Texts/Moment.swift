import Foundation

/// Moments — points in time — as flows keep them: ISO 8601 UTC strings "2026-11-25T09:00:00Z".
///
/// Parsing and formatting are done by hand on integers: ISO8601DateFormatter is a class that
/// is awkward to share under strict concurrency and slow to create per call, and the format
/// is simple. Local times use the zone's offset at that moment (`TimeZone.secondsFromGMT(for:)`),
/// which follows the zone's history, e.g. Asia/Almaty moving from UTC+6 to UTC+5 on 2024-03-01.
public enum Moment {
    /// Parses "YYYY-MM-DDTHH:MM[:SS[.fraction]]" followed by "Z" or an offset "+05:00" / "+0500" / "+05".
    /// A moment with no zone is refused: it would be read differently on different servers.
    public static func parse(_ text: String) -> Date? {
        var reader = ISOFieldReader(text)
        guard let year = reader.number(digits: 4), reader.skip("-"),
              let month = reader.number(digits: 2), reader.skip("-"),
              let day = reader.number(digits: 2),
              reader.skip("T") || reader.skip("t") || reader.skip(" "),
              let hour = reader.number(digits: 2), reader.skip(":"),
              let minute = reader.number(digits: 2),
              let date = try? CalendarDate(year: year, month: month, day: day),
              hour < 24, minute < 60
        else { return nil }

        var second = 0
        var fraction = 0.0
        if reader.skip(":") {
            guard let value = reader.number(digits: 2), value < 60 else { return nil }
            second = value
            if reader.skip(".") || reader.skip(",") {
                var scale = 0.1
                var any = false
                while let digit = reader.digit() {
                    fraction += Double(digit) * scale
                    scale /= 10
                    any = true
                }
                guard any else { return nil }
            }
        }

        let offset: Int
        if reader.skip("Z") || reader.skip("z") {
            offset = 0
        } else if let sign = reader.skip("+") ? 1 : reader.skip("-") ? -1 : nil {
            guard let hours = reader.number(digits: 2), hours < 24 else { return nil }
            var minutes = 0
            if !reader.atEnd {
                _ = reader.skip(":")
                guard let value = reader.number(digits: 2), value < 60 else { return nil }
                minutes = value
            }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard reader.atEnd else { return nil }

        let seconds = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// "2026-11-25T09:00:00Z": always UTC, whole seconds (the fraction is dropped).
    public static func format(_ date: Date) -> String {
        let seconds = wholeSeconds(date)
        let (days, secondOfDay) = divide(seconds, 86_400)
        let day = CalendarDate(daysSinceEpoch: days)
        let time = CalendarText.time(hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60)
        return day.iso + "T" + time + ":" + InputText.padded(secondOfDay % 60, width: 2) + "Z"
    }

    /// The calendar day, hour and minute that clocks in `timeZone` show at `date`.
    public static func localParts(_ date: Date, _ timeZone: TimeZone) -> (date: CalendarDate, hour: Int, minute: Int) {
        let local = wholeSeconds(date) + timeZone.secondsFromGMT(for: date)
        let (days, secondOfDay) = divide(local, 86_400)
        return (CalendarDate(daysSinceEpoch: days), secondOfDay / 3600, secondOfDay % 3600 / 60)
    }

    /// ru "5 марта 2026 г., 09:30", kk "2026 жылғы 5 наурыз, 09:30", in `timeZone`'s local time.
    public static func longDateTime(_ date: Date, _ timeZone: TimeZone, _ language: Language) -> String {
        let parts = localParts(date, timeZone)
        return CalendarText.longDate(parts.date, language) + ", "
            + CalendarText.time(hour: parts.hour, minute: parts.minute)
    }

    /// Seconds since 1970, rounded down and kept within years 1…9999 so that no Date,
    /// however odd (distantFuture, NaN), can trap the integer conversion.
    private static func wholeSeconds(_ date: Date) -> Int {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite else { return 0 }
        return Int(min(max(interval, -62_135_596_800), 253_402_300_799).rounded(.down))
    }

    /// Floor division with a non-negative remainder, for moments before 1970.
    private static func divide(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = (value % divisor + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }
}

/// Reads ASCII fields from a string's scalars, for the small fixed formats parsed here.
private struct ISOFieldReader {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    var atEnd: Bool { position == scalars.count }

    /// Consumes `expected` if it is next.
    mutating func skip(_ expected: Unicode.Scalar) -> Bool {
        guard position < scalars.count, scalars[position] == expected else { return false }
        position += 1
        return true
    }

    /// Consumes one ASCII digit if it is next.
    mutating func digit() -> Int? {
        guard position < scalars.count, let value = InputText.digit(scalars[position]) else { return nil }
        position += 1
        return value
    }

    /// Consumes exactly `digits` ASCII digits, or nothing.
    mutating func number(digits: Int) -> Int? {
        let start = position
        var value = 0
        for _ in 0..<digits {
            guard let next = digit() else {
                position = start
                return nil
            }
            value = value * 10 + next
        }
        return value
    }
}
