/// Hand-written reading and writing of ISO 8601 dates ("2026-11-25") and moments
/// ("2026-11-25T09:00:00Z").
///
/// Foundation's formatters are neither cheap nor `Sendable`; these functions are pure, allocate
/// nothing while parsing, and only cover what flows store: years 0000–9999, UTC offsets, optional
/// seconds and fractions.
enum ExpressionTime {
    static let secondsPerDay = 86_400

    /// A moment as whole seconds since 1970-01-01T00:00:00Z plus the fraction of a second (0 ≤ f < 1).
    struct Moment: Equatable {
        let seconds: Int
        let fraction: Double
    }

    // MARK: Parsing

    /// Days since 1970-01-01 of a "YYYY-MM-DD" string, or nil if it is not exactly a valid date.
    static func parseDate(_ text: String) -> Int? {
        guard text.utf8.count == 10 else { return nil }
        var text = text
        return text.withUTF8 { bytes in date(in: bytes) }
    }

    /// The moment a string such as "2026-11-25T14:00:00.250+05:00" names; a zone is required,
    /// because a moment without one is ambiguous.
    static func parseMoment(_ text: String) -> Moment? {
        let count = text.utf8.count
        guard count >= 17, count <= 64 else { return nil }
        var text = text
        return text.withUTF8 { bytes in moment(in: bytes) }
    }

    private static func moment(in b: UnsafeBufferPointer<UInt8>) -> Moment? {
        guard let days = date(in: b) else { return nil }
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " ") else { return nil }
        guard let hour = twoDigits(b, 11), b[13] == UInt8(ascii: ":"), let minute = twoDigits(b, 14),
            hour <= 23, minute <= 59
        else { return nil }
        var i = 16
        var second = 0
        if i < b.count, b[i] == UInt8(ascii: ":") {
            // Leap second 60 is accepted and simply rolls into the next minute.
            guard let s = twoDigits(b, i + 1), s <= 60 else { return nil }
            second = s
            i += 3
        }
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, let d = digit(b[i]) {
                fraction += Double(d) * scale
                scale *= 0.1
                i += 1
            }
            guard i > start else { return nil }
            // Many digits can round up to exactly 1.0; a fraction must stay below a whole second.
            fraction = min(fraction, 0.999_999_999)
        }
        guard i < b.count else { return nil }
        var offset = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard let hours = twoDigits(b, i + 1), hours <= 23 else { return nil }
            i += 3
            var minutes = 0
            if i < b.count {
                if b[i] == UInt8(ascii: ":") { i += 1 }
                guard let m = twoDigits(b, i), m <= 59 else { return nil }
                minutes = m
                i += 2
            }
            offset = sign * (hours * 3600 + minutes * 60)
        default:
            return nil
        }
        guard i == b.count else { return nil }
        let seconds = days * secondsPerDay + hour * 3600 + minute * 60 + second - offset
        return Moment(seconds: seconds, fraction: fraction)
    }

    /// Reads "YYYY-MM-DD" at the start of the buffer.
    private static func date(in b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard b.count >= 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            let high = twoDigits(b, 0), let low = twoDigits(b, 2),
            let month = twoDigits(b, 5), let day = twoDigits(b, 8)
        else { return nil }
        let year = high * 100 + low
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        return days(year: year, month: month, day: day)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }

    private static func twoDigits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i + 1 < b.count, let tens = digit(b[i]), let ones = digit(b[i + 1]) else { return nil }
        return tens * 10 + ones
    }

    // MARK: Writing

    /// "YYYY-MM-DDTHH:MM:SSZ", or nil outside years 0000–9999.
    static func formatMoment(seconds: Int) -> String? {
        let (days, secondOfDay) = floorDivision(seconds, secondsPerDay)
        let (year, month, day) = civil(days: days)
        guard (0...9999).contains(year) else { return nil }
        return String(unsafeUninitializedCapacity: 20) { buffer in
            writeDate(year, month, day, into: buffer)
            buffer[10] = UInt8(ascii: "T")
            write(secondOfDay / 3600, at: 11, into: buffer)
            buffer[13] = UInt8(ascii: ":")
            write(secondOfDay / 60 % 60, at: 14, into: buffer)
            buffer[16] = UInt8(ascii: ":")
            write(secondOfDay % 60, at: 17, into: buffer)
            buffer[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// "YYYY-MM-DD", or nil outside years 0000–9999.
    static func formatDate(days: Int) -> String? {
        let (year, month, day) = civil(days: days)
        guard (0...9999).contains(year) else { return nil }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            writeDate(year, month, day, into: buffer)
            return 10
        }
    }

    private static func writeDate(_ year: Int, _ month: Int, _ day: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        write(year / 100, at: 0, into: buffer)
        write(year % 100, at: 2, into: buffer)
        buffer[4] = UInt8(ascii: "-")
        write(month, at: 5, into: buffer)
        buffer[7] = UInt8(ascii: "-")
        write(day, at: 8, into: buffer)
    }

    private static func write(_ twoDigitValue: Int, at i: Int, into buffer: UnsafeMutableBufferPointer<UInt8>) {
        buffer[i] = UInt8(0x30 + twoDigitValue / 10)
        buffer[i + 1] = UInt8(0x30 + twoDigitValue % 10)
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, after Howard Hinnant's algorithms)

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day number; callers reject years outside 0–9999 before formatting.
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        // Clamp far-away day numbers so the arithmetic below cannot overflow; they fail the year check anyway.
        let z = min(max(days, -1_000_000_000), 1_000_000_000) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Division rounding towards minus infinity, so moments before 1970 land on the right day.
    static func floorDivision(_ a: Int, _ b: Int) -> (quotient: Int, remainder: Int) {
        let q = a / b, r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
