/// A day in the Gregorian calendar with no time and no time zone: a birth date, an appointment day.
///
/// Only real days can be made (no 31 February), so code holding a `CalendarDate` need not check it.
/// Encodes as the ISO string "YYYY-MM-DD", the same form flows keep in `Value.string`.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Makes the date if it exists; years run 1...9999 so that ISO text always has four digits.
    public init(year: Int, month: Int, day: Int) throws(DateProblem) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { throw .noSuchDay }
        self.init(unchecked: year, month, day)
    }

    /// For arithmetic whose result is known to be a real day.
    init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// "YYYY-MM-DD".
    public var iso: String {
        InputText.padded(year, width: 4) + "-" + InputText.padded(month, width: 2) + "-"
            + InputText.padded(day, width: 2)
    }

    public var description: String { iso }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// Why a typed or stored date was refused; locale keys `errors.date.*`.
public enum DateProblem: String, TypedInputProblem {
    /// Not of the form DD.MM.YYYY.
    case format
    /// Well formed, but the calendar has no such day: 31.02.2000, 00.13.2000.
    case noSuchDay = "no_such_day"

    public static var domain: String { "date" }
}

extension CalendarDate: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a real date in YYYY-MM-DD form: \(text)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
