import FlowEngine
import Foundation

// Body fields that are checked while they are decoded, so a handler never sees an unchecked one.

/// A database id or Telegram user id: an integer from 1 to 2^63−1.
struct PositiveID: Decodable, Sendable, Hashable {
    let value: Int64

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let value = try? container.decode(Int64.self) else {
            throw container.refuse("must be an integer from 1 to 9223372036854775807")
        }
        guard value > 0 else { throw container.refuse("must be an integer from 1 to 9223372036854775807") }
        self.value = value
    }

    /// Parses a path or query value: ASCII digits only.
    static func parse(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let value = Int64(text), value > 0
        else { return nil }
        return value
    }
}

/// A moment with its time zone: "2026-03-05T09:00:00+05:00", "2026-03-05T04:00:00Z".
struct ZonedMoment: Decodable, Sendable, Hashable {
    let date: Date

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self), let date = Moment.parse(text) else {
            throw container.refuse("must be an ISO 8601 date and time with a time zone, e.g. 2026-03-05T09:00:00+05:00")
        }
        self.date = date
    }
}

/// A day "YYYY-MM-DD".
struct ISODate: Decodable, Sendable, Hashable {
    let date: CalendarDate

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self), let date = CalendarDate(iso: text) else {
            throw container.refuse("must be a date YYYY-MM-DD")
        }
        self.date = date
    }
}
