import FlowEngine
import Foundation

/// A doctor's working hours on one weekday at one branch, in the clinic's local minutes.
public struct WeeklyWindow: Sendable, Hashable {
    public var branchID: Int64
    public var weekday: Int
    /// Minutes since local midnight.
    public var start: Int
    public var end: Int
    public var breaks: [ClosedOpen]

    public init(branchID: Int64, weekday: Int, start: Int, end: Int, breaks: [ClosedOpen] = []) {
        self.branchID = branchID
        self.weekday = weekday
        self.start = start
        self.end = end
        self.breaks = breaks
    }
}

/// `[start, end)` in local minutes.
public struct ClosedOpen: Sendable, Hashable {
    public var start: Int
    public var end: Int
    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }
}

/// A day off, a vacation or a shortened day, over a range of dates.
public struct ScheduleException: Sendable, Hashable {
    public enum Kind: String, Sendable { case dayOff = "day_off", vacation, shortened }
    public var from: CalendarDate
    public var to: CalendarDate
    public var kind: Kind
    /// For a shortened day: the hours still worked.
    public var hours: ClosedOpen?

    public init(from: CalendarDate, to: CalendarDate, kind: Kind, hours: ClosedOpen? = nil) {
        self.from = from
        self.to = to
        self.kind = kind
        self.hours = hours
    }
}

/// A time the doctor is already taken: a visit and the minimum gap after it.
public struct BusyRange: Sendable, Hashable {
    public var start: Date
    public var end: Date
    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}

/// Free slots from schedules, breaks, exceptions, the doctor's step, the visit's duration and the
/// appointments already made. Pure: the database only supplies the inputs.
///
/// A slot `[t, t + duration)` is offered when it lies inside a working window (never across its
/// end, so never across midnight), touches no break, starts on the window's step grid, starts
/// no sooner than `earliest` (now plus the lead time), and `[t, t + duration + gap)` overlaps no
/// busy range — the same rule the database's exclusion constraint enforces.
public struct SlotCalculator: Sendable {
    public var windows: [WeeklyWindow]
    public var exceptions: [ScheduleException]
    public var stepMinutes: Int
    public var gapMinutes: Int
    public var timeZone: TimeZone

    public init(windows: [WeeklyWindow], exceptions: [ScheduleException], stepMinutes: Int, gapMinutes: Int, timeZone: TimeZone) {
        self.windows = windows
        self.exceptions = exceptions
        self.stepMinutes = max(1, stepMinutes)
        self.gapMinutes = max(0, gapMinutes)
        self.timeZone = timeZone
    }

    /// The working windows of one date, after exceptions (breaks kept).
    public func windows(on date: CalendarDate, branchID: Int64?) -> [WeeklyWindow] {
        var day = windows.filter { $0.weekday == date.weekday && (branchID == nil || $0.branchID == branchID) }
        for exception in exceptions where exception.from <= date && date <= exception.to {
            switch exception.kind {
            case .dayOff, .vacation:
                return []
            case .shortened:
                guard let hours = exception.hours else { return [] }
                day = day.compactMap { window in
                    var cut = window
                    cut.start = max(window.start, hours.start)
                    cut.end = min(window.end, hours.end)
                    return cut.start < cut.end ? cut : nil
                }
            }
        }
        return day
    }

    /// Free slots of `date`, sorted by start.
    public func slots(
        on date: CalendarDate, durationMinutes: Int, branchID: Int64?, busy: [BusyRange], earliest: Date, doctorID: Int64
    ) -> [Slot] {
        let duration = TimeInterval(durationMinutes * 60), gap = TimeInterval(gapMinutes * 60)
        var result: [Slot] = []
        for window in windows(on: date, branchID: branchID) {
            var minute = window.start
            while minute + durationMinutes <= window.end {
                defer { minute += stepMinutes }
                if window.breaks.contains(where: { minute < $0.end && minute + durationMinutes > $0.start }) { continue }
                let start = moment(date, minute)
                if start < earliest { continue }
                let blockedUntil = start.addingTimeInterval(duration + gap)
                if busy.contains(where: { start < $0.end && blockedUntil > $0.start }) { continue }
                result.append(Slot(doctorID: doctorID, branchID: window.branchID, start: start, end: start.addingTimeInterval(duration)))
            }
        }
        return result.sorted { $0.start < $1.start }
    }

    /// The UTC moment of a local date and minute of the day.
    public func moment(_ date: CalendarDate, _ minute: Int) -> Date {
        let localSeconds = TimeInterval(date.daysSinceEpoch * 86_400 + minute * 60)
        // The offset at that moment; asked twice so a daylight-saving change on that day lands right.
        let guess = Date(timeIntervalSince1970: localSeconds - TimeInterval(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: localSeconds))))
        return Date(timeIntervalSince1970: localSeconds - TimeInterval(timeZone.secondsFromGMT(for: guess)))
    }
}
