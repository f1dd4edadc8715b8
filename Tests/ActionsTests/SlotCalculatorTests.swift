import ClinicPostgres
import FlowEngine
import Foundation
import Testing

@Suite("Free slots")
struct SlotCalculatorTests {
    static let almaty = TimeZone(identifier: "Asia/Almaty")!
    /// Monday 30 November 2026.
    static let monday = CalendarDate(iso: "2026-11-30")!

    static func calculator(step: Int = 30, gap: Int = 0, breaks: [ClosedOpen] = [], exceptions: [ScheduleException] = [],
                           zone: TimeZone = almaty) -> SlotCalculator {
        SlotCalculator(windows: [WeeklyWindow(branchID: 1, weekday: 1, start: 9 * 60, end: 12 * 60, breaks: breaks)],
                       exceptions: exceptions, stepMinutes: step, gapMinutes: gap, timeZone: zone)
    }

    static func times(_ slots: [Slot], zone: TimeZone = almaty) -> [String] {
        slots.map { let p = Moment.localParts($0.start, zone); return CalendarText.time(hour: p.hour, minute: p.minute) }
    }

    static let longAgo = Date(timeIntervalSince1970: 0)

    @Test("a window is cut into steps of the doctor's grid, none crossing its end")
    func grid() {
        let slots = Self.calculator().slots(on: Self.monday, durationMinutes: 45, branchID: 1, busy: [], earliest: Self.longAgo, doctorID: 7)
        #expect(Self.times(slots) == ["09:00", "09:30", "10:00", "10:30", "11:00"])
        #expect(slots.allSatisfy { $0.end.timeIntervalSince($0.start) == 45 * 60 && $0.doctorID == 7 && $0.branchID == 1 })
    }

    @Test("local hours are the clinic's: 09:00 in Almaty is 04:00 UTC")
    func timeZones() {
        let slots = Self.calculator().slots(on: Self.monday, durationMinutes: 30, branchID: nil, busy: [], earliest: Self.longAgo, doctorID: 1)
        #expect(Moment.format(slots[0].start) == "2026-11-30T04:00:00Z")
        let utc = Self.calculator(zone: TimeZone(identifier: "UTC")!).slots(on: Self.monday, durationMinutes: 30, branchID: nil, busy: [], earliest: Self.longAgo, doctorID: 1)
        #expect(Moment.format(utc[0].start) == "2026-11-30T09:00:00Z")
    }

    @Test("no slot touches a break")
    func breaks() {
        let slots = Self.calculator(breaks: [ClosedOpen(10 * 60, 11 * 60)])
            .slots(on: Self.monday, durationMinutes: 45, branchID: 1, busy: [], earliest: Self.longAgo, doctorID: 1)
        #expect(Self.times(slots) == ["09:00", "11:00"])
    }

    @Test("a booked visit and the doctor's gap after it are not offered again")
    func busyAndGap() {
        let calculator = Self.calculator(gap: 10)
        // Booked 10:00–10:30, so busy until 10:40.
        let busy = [BusyRange(start: calculator.moment(Self.monday, 600), end: calculator.moment(Self.monday, 640))]
        let slots = calculator.slots(on: Self.monday, durationMinutes: 30, branchID: 1, busy: busy, earliest: Self.longAgo, doctorID: 1)
        // 09:30 would run (with its own gap) into 10:00; 10:00 and 10:30 overlap the busy range.
        #expect(Self.times(slots) == ["09:00", "11:00", "11:30"])
    }

    @Test("nothing sooner than now plus the lead time")
    func leadTime() {
        let calculator = Self.calculator()
        let earliest = calculator.moment(Self.monday, 10 * 60 + 15)
        let slots = calculator.slots(on: Self.monday, durationMinutes: 30, branchID: 1, busy: [], earliest: earliest, doctorID: 1)
        #expect(Self.times(slots) == ["10:30", "11:00", "11:30"])
    }

    @Test("a vacation or a day off empties the day; a shortened day cuts the window", arguments: [
        (ScheduleException(from: CalendarDate(iso: "2026-11-23")!, to: CalendarDate(iso: "2026-12-06")!, kind: .vacation), [String]()),
        (ScheduleException(from: monday, to: monday, kind: .dayOff), []),
        (ScheduleException(from: monday, to: monday, kind: .shortened, hours: ClosedOpen(9 * 60, 10 * 60 + 30)), ["09:00", "09:30", "10:00"]),
        (ScheduleException(from: monday.adding(days: 1), to: monday.adding(days: 1), kind: .dayOff), ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]),
    ])
    func exceptions(exception: ScheduleException, expected: [String]) {
        let slots = Self.calculator(exceptions: [exception]).slots(on: Self.monday, durationMinutes: 30, branchID: 1, busy: [], earliest: Self.longAgo, doctorID: 1)
        #expect(Self.times(slots) == expected)
    }

    @Test("a day the doctor does not work, or another branch, has no slots")
    func otherDays() {
        let calculator = Self.calculator()
        #expect(calculator.slots(on: Self.monday.adding(days: 1), durationMinutes: 30, branchID: 1, busy: [], earliest: Self.longAgo, doctorID: 1).isEmpty)
        #expect(calculator.slots(on: Self.monday, durationMinutes: 30, branchID: 2, busy: [], earliest: Self.longAgo, doctorID: 1).isEmpty)
    }
}
