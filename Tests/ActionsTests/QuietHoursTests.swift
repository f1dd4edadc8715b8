import ClinicPostgres
import FlowEngine
import Foundation
import Testing

/// Quiet hours 22:00–08:00 in Almaty (UTC+5): 22:00 local is 17:00 UTC, 08:00 local is 03:00 UTC.
@Suite("Quiet hours")
struct QuietHoursTests {
    let quiet = QuietHours()

    func at(_ text: String) -> Date { Moment.parse(text)! }

    @Test("the night is quiet in clinic time, the day is not", arguments: [
        ("2026-12-04T16:59:00Z", false), ("2026-12-04T17:00:00Z", true), ("2026-12-04T20:30:00Z", true),
        ("2026-12-05T02:59:59Z", true), ("2026-12-05T03:00:00Z", false), ("2026-12-05T08:00:00Z", false),
    ])
    func contains(moment: String, quiet expected: Bool) {
        #expect(quiet.contains(at(moment)) == expected)
    }

    @Test("a day-before reminder at 07:00 goes at 21:00 the evening before; one at 23:30 at 21:00 that evening")
    func evening() {
        // Visit 07:00 on the 6th: D-1 at 07:00 on the 5th (02:00 UTC) → 21:00 on the 4th (16:00 UTC).
        #expect(quiet.adjust(at("2026-12-05T02:00:00Z"), rule: .evening, visit: at("2026-12-06T02:00:00Z")) == at("2026-12-04T16:00:00Z"))
        // Visit 23:30 on the 6th: D-1 at 23:30 on the 5th (18:30 UTC) → 21:00 on the 5th (16:00 UTC).
        #expect(quiet.adjust(at("2026-12-05T18:30:00Z"), rule: .evening, visit: at("2026-12-06T18:30:00Z")) == at("2026-12-05T16:00:00Z"))
        // In the day: unchanged.
        #expect(quiet.adjust(at("2026-12-05T05:00:00Z"), rule: .evening, visit: at("2026-12-06T05:00:00Z")) == at("2026-12-05T05:00:00Z"))
    }

    @Test("an H-3 or H-1 in the night is skipped, unless the visit itself is in the night")
    func skip() {
        // Visit 08:30 (03:30 UTC): H-3 at 05:30 local is skipped.
        #expect(quiet.adjust(at("2026-12-05T00:30:00Z"), rule: .skip, visit: at("2026-12-05T03:30:00Z")) == nil)
        // Night visit 23:00 (18:00 UTC): its H-1 at 22:00 goes.
        #expect(quiet.adjust(at("2026-12-05T17:00:00Z"), rule: .skip, visit: at("2026-12-05T18:00:00Z")) == at("2026-12-05T17:00:00Z"))
    }

    @Test("a rating due at 23:15 goes at 08:00 the next morning; the arrival check goes whenever it is due")
    func morningAndSend() {
        #expect(quiet.adjust(at("2026-12-05T18:15:00Z"), rule: .morning, visit: at("2026-12-05T15:00:00Z")) == at("2026-12-06T03:00:00Z"))
        #expect(quiet.adjust(at("2026-12-05T18:15:00Z"), rule: .send, visit: at("2026-12-05T18:10:00Z")) == at("2026-12-05T18:15:00Z"))
    }

    @Test("quiet hours that do not wrap midnight, and none at all")
    func otherWindows() {
        let afternoon = QuietHours(start: (13, 0), end: (14, 0))
        #expect(afternoon.contains(at("2026-12-05T08:30:00Z")))  // 13:30 local
        #expect(!afternoon.contains(at("2026-12-05T09:00:00Z")))  // 14:00 local
        let none = QuietHours(start: (0, 0), end: (0, 0))
        #expect(!none.contains(at("2026-12-05T20:00:00Z")))
    }
}
