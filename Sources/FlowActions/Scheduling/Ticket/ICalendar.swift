import ClinicContract
import Foundation

/// A calendar file (RFC 5545) for one appointment, written by hand because the format is
/// small and its details matter: CRLF line ends, lines folded at 75 octets without cutting a
/// UTF-8 character in two, `\`, `;`, `,` and line breaks escaped in text values, times in UTC.
struct ICalendar {
    struct Event {
        var uid: String
        var stamp: Date
        var start: Date
        var end: Date
        var summary: String
        var location: String
        var description: String
        /// How long before the start the calendar reminds the person.
        var alarmBefore: Duration
        var alarmText: String
    }

    static func file(for event: Event) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//clinic-bot//appointment ticket//RU",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            "UID:" + text(event.uid),
            "DTSTAMP:" + utc(event.stamp),
            "DTSTART:" + utc(event.start),
            "DTEND:" + utc(event.end),
            "SUMMARY:" + text(event.summary),
            "LOCATION:" + text(event.location),
            "DESCRIPTION:" + text(event.description),
            "STATUS:CONFIRMED",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            "TRIGGER:-PT\(Int(event.alarmBefore.components.seconds / 60))M",
            "DESCRIPTION:" + text(event.alarmText),
            "END:VALARM",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        lines = lines.map(fold)
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11).
    static func text(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(character)
            }
        }
        return out
    }

    /// A moment as a UTC DATE-TIME: `20261127T040000Z`.
    static func utc(_ moment: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: moment)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// Folds a content line: at most 75 octets a line, continuation lines start with a space,
    /// and a cut never falls inside a UTF-8 character (Cyrillic and Kazakh letters are 2 octets).
    static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for character in line {
            let width = String(character).utf8.count
            if octets + width > 75 {
                out += "\r\n "
                octets = 1
            }
            out.append(character)
            octets += width
        }
        return out
    }
}
