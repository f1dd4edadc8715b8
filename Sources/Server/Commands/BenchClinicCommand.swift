import ArgumentParser
import ClinicPostgres
import FlowEngine
import Foundation
import PostgresNIO

/// `clinic-bot bench-clinic`: scheduling latencies on a large clinic (see scripts/bench-clinic.sh,
/// which builds one with a million appointments, and docs/benchmarks.md).
struct BenchClinicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-clinic",
        abstract: "Measure slot, calendar and booking latencies against DATABASE_URL (a benchmark database, not a real clinic's).")

    @Option(help: "Slot look-ups to time.") var slots = 2000
    @Option(help: "Month calendars to time.") var months = 300
    @Option(help: "Bookings to time.") var bookings = 1000
    @Option(help: "The flows folder (its reminder plan is timed).") var flows: String = Settings().flowsDirectory

    func run() async throws {
        Logs.bootstrap(fallback: .warning)
        guard let url = Settings().databaseURL else { throw CommandFailure("DATABASE_URL is not set") }
        try await withDatabase(url: url) { client in
            let clinic = LocalClinic(client: client)
            let doctors = try await client.query("SELECT id FROM doctors ORDER BY id").collect().map { try $0.decode(Int64.self) }
            let patients = try await client.query("SELECT telegram_user_id FROM patient_telegram_links WHERE is_active").collect().map { try $0.decode(Int64.self) }
            let appointments = try await client.query("SELECT count(*) FROM appointments").collect()[0].decode(Int.self)
            guard !doctors.isEmpty, !patients.isEmpty else { throw CommandFailure("the database has no doctors or patients: run scripts/bench-clinic.sh") }
            let today = Moment.localParts(Date(), .clinicDefault).date
            print("database: \(appointments) appointments, \(doctors.count) doctors, \(patients.count) patients")

            var samples: [Double] = []
            for _ in 0..<slots {
                let doctor = doctors.randomElement()!, day = today.adding(days: Int.random(in: 1...40))
                samples.append(try await Self.time { _ = try await clinic.slots(doctorID: doctor, serviceID: nil, date: day) })
            }
            Self.report("slots for one doctor and day", samples, target: "p99 < 5 ms")

            samples = []
            for _ in 0..<months {
                let doctor = doctors.randomElement()!
                samples.append(try await Self.time { _ = try await clinic.bookableDays(doctorID: doctor, serviceID: nil, from: today, to: today.adding(days: 30)) })
            }
            Self.report("bookable days of a month", samples, target: "p99 < 20 ms")

            samples = []
            var refused = 0
            for _ in 0..<bookings {
                let doctor = doctors.randomElement()!, day = today.adding(days: Int.random(in: 1...40))
                let service = try await client.query("SELECT min(service_id) FROM doctor_services WHERE doctor_id = \(doctor)").collect()[0].decode(Int64.self)
                guard let slot = try await clinic.slots(doctorID: doctor, serviceID: service, date: day).randomElement() else { continue }
                let patient = patients.randomElement()!
                samples.append(try await Self.time {
                    do { _ = try await clinic.book(telegramUserID: patient, doctorID: doctor, serviceID: service, start: slot.start, source: "api") }
                    catch is ClinicRefusal { refused += 1 }
                })
            }
            Self.report("creating an appointment (\(refused) refused)", samples, target: "p99 < 10 ms")

            try await Self.planning(client, flows: flows)
        }
    }

    /// The reminder planner over every upcoming appointment (the bench clinic's patients all have
    /// Telegram): a pass with the shipped horizon, the steady pass after it, and one pass over
    /// all upcoming appointments at once.
    static func planning(_ client: PostgresClient, flows: String) async throws {
        let settings = Settings()
        let set = try ShippedFlowSet.load(flows: flows, locales: settings.localesDirectory(besides: flows), timeZone: .clinicDefault)
        let upcoming = try await client.query("""
            SELECT count(*)::int FROM appointments WHERE status IN ('booked', 'confirmed') AND starts_at > now()
            """).collect()[0].decode(Int.self)
        let entries = set.plans.flatMap(\.entries).count
        print("reminder planning: \(upcoming) upcoming appointments, \(entries) plan entries")
        for (name, horizon) in [("horizon 2 days, first pass", 2.0 * 86_400), ("horizon 2 days, steady pass", 2.0 * 86_400),
                                ("all upcoming (horizon 60 days), first pass", 60.0 * 86_400),
                                ("all upcoming (horizon 60 days), steady pass", 60.0 * 86_400)] {
            let planner = ReminderPlanner(client: client, quiet: QuietHours(), horizon: horizon)
            var pass = ReminderPlanner.Pass()
            let milliseconds = try await time { pass = try await planner.pass(set.plans) }
            // One SELECT, one UPDATE of changed jobs, and one INSERT per 5,000 jobs.
            let statements = 2 + (pass.planned + 4_999) / 5_000
            print(String(format: "  %@: %d appointments, %d jobs offered, %.0f ms, %d statements", name, pass.appointments, pass.planned,
                         milliseconds, statements))
        }
    }

    static func time(_ body: () async throws -> Void) async throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    }

    static func report(_ what: String, _ samples: [Double], target: String) {
        guard !samples.isEmpty else { return print("\(what): no samples") }
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(String(format: "%@: n=%d p50 %.2f ms, p99 %.2f ms, max %.2f ms (%@)", what, sorted.count, percentile(0.5), percentile(0.99), sorted.last!, target))
    }
}
