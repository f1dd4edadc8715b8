import FlowEngine
import Foundation

/// The hours of the night when the clinic sends nothing it started itself (22:00–08:00 clinic
/// time unless configured), and what each kind of message does when its moment falls inside.
public struct QuietHours: Sendable, Hashable {
    /// Local minutes after midnight; `start > end` wraps past midnight (22:00–08:00).
    public let startMinute: Int
    public let endMinute: Int
    public let timeZone: TimeZone
    /// A message moved out of the night to the evening before goes this long before the quiet
    /// hours begin (21:00 for 22:00), not at their last minute.
    public let eveningLead: TimeInterval

    /// What a message whose moment falls in the quiet hours does (the plan file says).
    public typealias Rule = ReminderPlan.Quiet

    public init(start: (hour: Int, minute: Int) = (22, 0), end: (hour: Int, minute: Int) = (8, 0),
                timeZone: TimeZone = .clinicDefault, eveningLead: TimeInterval = 3600) {
        startMinute = start.hour * 60 + start.minute
        endMinute = end.hour * 60 + end.minute
        self.timeZone = timeZone
        self.eveningLead = eveningLead
    }

    /// Whether `moment` is in the quiet hours, in clinic time.
    public func contains(_ moment: Date) -> Bool {
        guard startMinute != endMinute else { return false }
        let minute = localMinute(moment)
        return startMinute < endMinute
            ? (startMinute <= minute && minute < endMinute)
            : (minute >= startMinute || minute < endMinute)
    }

    /// When a message due at `moment` goes under `rule`; nil: it is not sent. `visit` is the
    /// appointment's start, for `.skip`.
    public func adjust(_ moment: Date, rule: Rule, visit: Date) -> Date? {
        guard contains(moment) else { return moment }
        switch rule {
        case .send:
            return moment
        case .skip:
            return contains(visit) ? moment : nil
        case .evening:
            return quietStart(containing: moment).addingTimeInterval(-eveningLead)
        case .morning:
            return quietStart(containing: moment).addingTimeInterval(Double(quietLength) * 60)
        }
    }

    /// Minutes the quiet hours last.
    var quietLength: Int { (endMinute - startMinute + 24 * 60) % (24 * 60) }

    /// The moment the quiet hours that hold `moment` began.
    func quietStart(containing moment: Date) -> Date {
        let sinceStart = (localSeconds(moment) - Double(startMinute * 60)).truncatingRemainder(dividingBy: 86_400)
        return moment.addingTimeInterval(-(sinceStart < 0 ? sinceStart + 86_400 : sinceStart))
    }

    private func localMinute(_ moment: Date) -> Int { Int(localSeconds(moment) / 60) }

    /// Seconds since local midnight (clinic time zones are whole minutes from UTC, with no
    /// daylight saving in Kazakhstan, so the offset of the moment itself is the one to use).
    private func localSeconds(_ moment: Date) -> Double {
        let local = moment.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: moment))
        let seconds = local.truncatingRemainder(dividingBy: 86_400)
        return seconds < 0 ? seconds + 86_400 : seconds
    }
}
