import Foundation
import Testing
@testable import FlowEngine

/// Moments and dates: ISO strings shifted by durations, subtracted, and read in the clinic's zone.
@Suite("Expression moments and dates")
struct ExpressionTimeTests {
    @Test("moment and date arithmetic", arguments: [
        ("'2026-11-26T09:00:00Z' - 24h == '2026-11-25T09:00:00Z'", Value.bool(true)),
        ("'2026-11-26T09:00:00Z' - 24h", "2026-11-25T09:00:00Z"),
        ("params.start - 24h", "2026-11-25T09:00:00Z"),
        ("params.start + 90m", "2026-11-26T10:30:00Z"),
        ("24h + '2026-11-25T09:00:00Z'", "2026-11-26T09:00:00Z"),
        ("'2026-12-31T23:59:59Z' + 1s", "2027-01-01T00:00:00Z"),
        ("'1969-12-31T23:59:59Z' + 1s", "1970-01-01T00:00:00Z"),
        ("'1960-06-15T12:00:00Z' - 7d", "1960-06-08T12:00:00Z"),
        ("'2024-02-28T12:00:00Z' + 1d", "2024-02-29T12:00:00Z"),
        ("'2026-11-25T14:00:00+05:00' + 0", "2026-11-25T09:00:00Z"),
        ("'2026-11-25T09:00:00+0500' + 0", "2026-11-25T04:00:00Z"),
        ("'2026-11-25T09:00:00-03' + 0", "2026-11-25T12:00:00Z"),
        ("'2026-11-25t09:00:00z' + 0", "2026-11-25T09:00:00Z"),
        ("'2026-11-25T09:00Z' + 0", "2026-11-25T09:00:00Z"),
        ("'2026-11-25T09:00:00.750Z' + 1s", "2026-11-25T09:00:01Z"),
        ("'2026-11-25T09:00:00.5Z' + 0.5s", "2026-11-25T09:00:01Z"),
        ("'2026-11-25T09:00:00.123456789+05:00' + 1h", "2026-11-25T05:00:00Z"),
        ("'2026-11-25T09:00:00Z' + 1.5", "2026-11-25T09:00:01Z"),
        ("'2026-11-25T09:00:00Z' - '2026-11-24T09:00:00Z'", 86400),
        ("'2026-11-25T09:00:00Z' - '2026-11-25T14:00:00+05:00'", 0),
        ("'2026-11-25T09:00:00Z' - '2026-11-25T09:00:00.5Z'", .double(-0.5)),
        ("('2026-11-26T09:00:00Z' - '2026-11-25T09:00:00Z') / 1h", 24),
        ("'2026-11-25' + 7d", "2026-12-02"),
        ("'2026-12-28' + 7d", "2027-01-04"),
        ("'2024-02-28' + 1d", "2024-02-29"),
        ("'2026-03-01' - 1d", "2026-02-28"),
        ("'2026-11-25' + 2 * 7d", "2026-12-09"),
        ("'2026-11-25' - '2026-11-20'", 432_000),
        ("params.start > now()", true),
        ("params.start - 24h <= now()", true),
    ])
    func arithmetic(source: String, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source) == expected)
    }

    @Test("impossible moment and date arithmetic gives null", arguments: [
        "'2026-11-25' + 12h",
        "'2026-11-25' + 1.5d",
        "'2026-11-25' + 0.5s",
        "'2026-13-01' + 1d",
        "'2026-02-29' + 1d",
        "'2026-11-31' + 1d",
        "'9999-12-31' + 1d",
        "'0000-01-01' - 1d",
        "'9999-12-31T23:59:59Z' + 1s",
        "'2026-11-25T09:00:00Z' + big",
        "'2026-11-25T09:00:00Z' - big",
        "'2026-11-25T09:00:00Z' + 1e",
        "'2026-11-25T09:00:00' + 0",
        "'2026-11-25T24:00:00Z' + 0",
        "'2026-11-25T09:60:00Z' + 0",
        "'2026-11-25T09:00:00+24:00' + 0",
        "'2026-11-25T09:00:00.Z' + 0",
        "'2026-11-25T09:00:00Zjunk' + 0",
        "'2026-1-25' + 1d",
        "'hello' + 1",
        "'hello' - 1h",
        "'2026-11-25' - '2026-11-25T00:00:00Z'",
        "'2026-11-25T00:00:00Z' - '2026-11-25'",
        "'2026-11-25T09:00:00Z' + null",
        "'2026-11-25T09:00:00Z' + true",
        "1h - '2026-11-25T09:00:00Z'",
    ])
    func impossible(source: String) throws {
        // `1e` is not valid syntax, so that one must fail to parse rather than evaluate.
        guard let expression = try? Expression.parse(source) else { return }
        #expect(expression.evaluate(in: ExpressionFixture.context()) == nil)
    }

    @Test("clock functions read the context's clock and zone", arguments: [
        ("now()", ExpressionFixture.almaty, Value.string("2026-11-25T21:30:00Z")),
        ("today()", ExpressionFixture.almaty, "2026-11-26"),
        ("today()", ExpressionFixture.utc, "2026-11-25"),
        ("date(now())", ExpressionFixture.almaty, "2026-11-26"),
        ("date('2026-11-25T18:59:59Z')", ExpressionFixture.almaty, "2026-11-25"),
        ("date('2026-11-25T19:00:00Z')", ExpressionFixture.almaty, "2026-11-26"),
        ("date('2026-11-25T19:00:00Z')", ExpressionFixture.utc, "2026-11-25"),
        ("date('2026-11-25')", ExpressionFixture.almaty, "2026-11-25"),
        ("date(5)", ExpressionFixture.almaty, nil),
        ("date('soon')", ExpressionFixture.almaty, nil),
        ("age('1990-03-05')", ExpressionFixture.almaty, 36),
        ("age('2008-11-26')", ExpressionFixture.almaty, 18),
        ("age('2008-11-26')", ExpressionFixture.utc, 17),
        ("age('2008-11-27')", ExpressionFixture.almaty, 17),
        ("age('2000-02-29')", ExpressionFixture.almaty, 26),
        ("age('2026-11-26')", ExpressionFixture.almaty, 0),
        ("age('2030-01-01')", ExpressionFixture.almaty, nil),
        ("age('2008-11-25T19:00:00Z')", ExpressionFixture.almaty, 18),
        ("age('x')", ExpressionFixture.almaty, nil),
        ("age(null) >= 18", ExpressionFixture.almaty, false),
        ("today() + 1d", ExpressionFixture.almaty, "2026-11-27"),
    ])
    func clock(source: String, zone: TimeZone, expected: Value) throws {
        #expect(try ExpressionFixture.evaluate(source, in: ExpressionFixture.context(timeZone: zone)) == expected)
    }

    @Test func leapDayBirthdayCountsOnFirstOfMarchInCommonYears() throws {
        let age = try Expression.parse("age('2008-02-29')")
        let feb28 = ExpressionFixture.context(now: ExpressionFixture.moment("2026-02-28T12:00:00Z"), timeZone: ExpressionFixture.utc)
        let mar1 = ExpressionFixture.context(now: ExpressionFixture.moment("2026-03-01T12:00:00Z"), timeZone: ExpressionFixture.utc)
        #expect(age.evaluate(in: feb28) == 17)
        #expect(age.evaluate(in: mar1) == 18)
    }

    @Test func fractionalNowIsWrittenInWholeSeconds() throws {
        let context = ExpressionFixture.context(now: Date(timeIntervalSince1970: 1_795_000_000.9))
        #expect(try ExpressionFixture.evaluate("now()", in: context) == "2026-11-18T11:06:40Z")
    }

    @Test func calendarArithmeticRoundTripsEveryDayOfFourCenturies() {
        // 0000-03-01 … 0400-03-01 covers every leap-year rule; then a sample up to 9999.
        let first = ExpressionTime.days(year: 0, month: 3, day: 1)
        for day in stride(from: first, to: first + 146_097, by: 1) {
            let (y, m, d) = ExpressionTime.civil(days: day)
            #expect(ExpressionTime.days(year: y, month: m, day: d) == day)
            #expect(d >= 1 && d <= ExpressionTime.daysIn(month: m, year: y))
        }
        #expect(ExpressionTime.days(year: 1970, month: 1, day: 1) == 0)
        #expect(ExpressionTime.formatDate(days: ExpressionTime.days(year: 9999, month: 12, day: 31)) == "9999-12-31")
        #expect(ExpressionTime.formatMoment(seconds: -1) == "1969-12-31T23:59:59Z")
        #expect(ExpressionTime.formatMoment(seconds: .max) == nil)
        #expect(ExpressionTime.formatMoment(seconds: .min) == nil)
    }

    @Test func formattingMatchesFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = ExpressionFixture.utc
        for seconds in stride(from: -2_000_000_000, to: 4_000_000_000, by: 7_777_777) {
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(ExpressionTime.formatMoment(seconds: seconds) == expected)
            #expect(ExpressionTime.parseMoment(expected)?.seconds == seconds)
        }
    }
}
