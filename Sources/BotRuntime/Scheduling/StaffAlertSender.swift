import ClinicPostgres
import FlowEngine
import Foundation
import Logging
import ServiceLifecycle

/// Sends the staff alerts (a low rating) to the clinic's staff chat (`STAFF_CHAT_ID`), in the
/// words of `staff.low_rating` in Russian when the locales have it.
public struct StaffAlertSender: ServiceLifecycle.Service {
    let store: StaffAlertStore
    let flows: FlowSetHolder
    let timeZone: TimeZone
    let interval: Duration
    let send: @Sendable (String) async throws -> Void
    let logger: Logger

    public init(store: StaffAlertStore, flows: FlowSetHolder, timeZone: TimeZone, interval: Duration = .seconds(2),
                logger: Logger, send: @escaping @Sendable (String) async throws -> Void) {
        self.store = store
        self.flows = flows
        self.timeZone = timeZone
        self.interval = interval
        self.send = send
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sendPending()
            } catch {
                logger.warning("staff alerts could not be read; trying again", metadata: ["error": "\(type(of: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One round: every pending alert, worded and sent.
    public func sendPending() async throws {
        let locales = flows.interpreter.set.locales
        let timeZone = self.timeZone
        let send = self.send
        try await store.sendPending { alert in
            try await send(Self.text(of: alert, locales: locales, timeZone: timeZone))
            BotMetrics.staffAlerts.increment()
        }
    }

    /// The alert in the staff's language (Russian): the editors' wording, or the server's own.
    static func text(of alert: StaffAlertStore.Alert, locales: Locales, timeZone: TimeZone) -> String {
        var values = alert.details
        if let start = alert.details["start"]?.stringValue.flatMap(Moment.parse) {
            let local = Moment.localParts(start, timeZone)
            values["date"] = .string(CalendarText.longDate(local.date, .ru))
            values["time"] = .string(CalendarText.time(hour: local.hour, minute: local.minute))
        }
        if let tiyn = alert.details["amount_tiyn"]?.intValue {
            values["amount"] = .string(Money.format(tiyn: Int64(tiyn)))
        }
        let key = "staff.\(alert.kind)"
        if locales.entry(key, in: .ru) != nil {
            return locales.render(key, in: .ru) { values[$0] ?? .null }
        }
        let words = values.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.stringValue ?? String(describing: $0.value))" }
        return "⚠️ \(alert.kind)\n" + words.joined(separator: "\n")
    }
}
