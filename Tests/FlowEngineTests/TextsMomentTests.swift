import Foundation
import Testing
@testable import FlowEngine


@Suite("Moment")
struct TextsMomentTests {
    @Test("parsed and written back in UTC", arguments: [
        ("2026-11-25T09:00:00Z", "2026-11-25T09:00:00Z"),
        ("2026-11-25T09:00Z", "2026-11-25T09:00:00Z"),
        ("2026-11-25t09:00:00z", "2026-11-25T09:00:00Z"),
        ("2026-11-25T09:00:00.000Z", "2026-11-25T09:00:00Z"),
        ("2026-11-25T09:00:00.999999Z", "2026-11-25T09:00:00Z"),
        ("2026-11-25T14:00:00+05:00", "2026-11-25T09:00:00Z"),
        ("2026-11-25T14:00:00+0500", "2026-11-25T09:00:00Z"),
        ("2026-11-25T14:00:00+05", "2026-11-25T09:00:00Z"),
        ("2026-11-25T04:30:00-04:30", "2026-11-25T09:00:00Z"),
        ("2026-11-25T02:00:00+05:00", "2026-11-24T21:00:00Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z"),
        ("1960-06-01T12:34:56Z", "1960-06-01T12:34:56Z"),
    ])
    func roundTrip(text: String, utc: String) throws {
        let date = try #require(Moment.parse(text))
        #expect(Moment.format(date) == utc)
    }

    @Test func fractionIsKept() throws {
        let date = try #require(Moment.parse("1970-01-01T00:00:01.25Z"))
        #expect(date.timeIntervalSince1970 == 1.25)
        #expect(Moment.parse("2026-11-25T09:00:00Z")?.timeIntervalSince1970 == 1_795_597_200)
    }

    @Test("not moments", arguments: [
        "", "2026-11-25", "2026-11-25T09:00:00", "2026-11-25T09:00:00Z ", " 2026-11-25T09:00:00Z",
        "2026-11-25T24:00:00Z", "2026-11-25T09:60:00Z", "2026-11-25T09:00:60Z", "2026-02-30T09:00:00Z",
        "2026-11-25T09:00:00.Z", "2026-11-25T09:00:00+5:00", "2026-11-25T09:00:00+05:0",
        "26-11-25T09:00:00Z", "2026-11-25T9:00:00Z", "2026-11-25T09:00:00UTC", "25.11.2026 09:00",
    ])
    func refused(text: String) {
        #expect(Moment.parse(text) == nil)
    }

    @Test func hostileTextIsRefused() {
        for text in hostileInputs { #expect(Moment.parse(text) == nil) }
    }

    @Test func localPartsInAlmaty() throws {
        // Asia/Almaty is UTC+5 since 1 March 2024 (it was UTC+6 before).
        let parts = Moment.localParts(try #require(Moment.parse("2026-11-25T09:00:00Z")), almatyZone)
        #expect(parts.date == ymd(2026, 11, 25) && parts.hour == 14 && parts.minute == 0)
        let late = Moment.localParts(try #require(Moment.parse("2026-03-04T20:30:00Z")), almatyZone)
        #expect(late.date == ymd(2026, 3, 5) && late.hour == 1 && late.minute == 30)
        let before = Moment.localParts(try #require(Moment.parse("2023-06-01T09:00:00Z")), almatyZone)
        #expect(before.hour == 15)
        let utc = Moment.localParts(Date(timeIntervalSince1970: -1), TimeZone(identifier: "UTC")!)
        #expect(utc.date == ymd(1969, 12, 31) && utc.hour == 23 && utc.minute == 59)
    }

    @Test("long date and time", arguments: [
        ("2026-03-05T04:30:00Z", Language.ru, "5 марта 2026 г., 09:30"),
        ("2026-03-05T04:30:00Z", .kk, "2026 жылғы 5 наурыз, 09:30"),
        ("2026-11-25T09:00:00Z", .ru, "25 ноября 2026 г., 14:00"),
        ("2026-11-25T09:00:00Z", .kk, "2026 жылғы 25 қараша, 14:00"),
    ])
    func longDateTime(text: String, language: Language, expected: String) throws {
        let date = try #require(Moment.parse(text))
        #expect(Moment.longDateTime(date, almatyZone, language) == expected)
    }

    @Test func oddDatesDoNotTrap() {
        #expect(Moment.format(.distantFuture).hasPrefix("4001-01-01"))
        #expect(Moment.format(Date(timeIntervalSince1970: .infinity)) == "1970-01-01T00:00:00Z")
        #expect(Moment.format(Date(timeIntervalSince1970: 1e300)) == "9999-12-31T23:59:59Z")
        _ = Moment.localParts(Date(timeIntervalSince1970: .nan), almatyZone)
    }
}

/// Kazakhstan moved to a single time zone, UTC+5, on 2024-03-01: Almaty was UTC+6 before. The
/// clinic's reminders are worded in local time, so this machine's time zone data must know it.
@Suite("The clinic's time zone")
struct ClinicTimeZoneTests {
    @Test("Asia/Almaty is UTC+05:00 since 2024-03-01, and was UTC+06:00 before")
    func almatyIsUTCPlusFive() throws {
        let almaty = try #require(TimeZone(identifier: "Asia/Almaty"))
        let after = try #require(Moment.parse("2026-12-04T12:00:00Z"))
        let summer = try #require(Moment.parse("2026-07-01T12:00:00Z"))
        let before = try #require(Moment.parse("2024-02-15T12:00:00Z"))
        #expect(almaty.secondsFromGMT(for: after) == 5 * 3600)
        #expect(almaty.secondsFromGMT(for: summer) == 5 * 3600)
        #expect(almaty.secondsFromGMT(for: before) == 6 * 3600)
        #expect(TimeZone.clinicDefault.secondsFromGMT(for: after) == 5 * 3600)
    }
}
