import ClinicPostgres
import ArgumentParser
import FlowEngine
import Foundation
import Hummingbird
import PostgresNIO

/// `clinic-bot bench-reminders`: reminders for `count` patients come due at the same moment,
/// and a real `clinic-bot serve` (its scheduler, sequencer, durable outbox and limiter at the
/// default 30 messages a second) sends them to a Bot API on loopback that refuses, with 429, a
/// message beyond 30 in any second. Prints the sustained send rate, the 429s, the chats that
/// got a reminder twice or never, and the server's peak memory. scripts/bench-reminders.sh
/// builds the clinic (the million-appointment one of bench-clinic) and runs it.
struct BenchRemindersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-reminders",
        abstract: "Reminders for many patients due at once, sent by `serve` within Telegram's limits (a benchmark database).")

    @Option(help: "Patients whose reminder comes due at once.") var count = 10_000
    @Option(help: "The server's port.") var port = 18094
    @Option(help: "The limited Bot API's port.") var telegramPort = 18095
    @Option(help: "Give up after this many seconds.") var timeout = 900
    @Option(help: "The flows folder (its reminder plan is used).") var flows: String = Settings().flowsDirectory
    @Option(help: "TELEGRAM_SEND_RATE for the server (default: the server's own default).") var sendRate: Double?

    func run() async throws {
        Logs.bootstrap(fallback: .warning)
        let settings = Settings()
        guard let url = settings.databaseURL, settings.value("REDIS_URL") != nil, settings.piiKey != nil else {
            throw CommandFailure("bench-reminders needs DATABASE_URL, REDIS_URL and PII_ENCRYPTION_KEY (scripts/bench-reminders.sh sets them)")
        }
        let chosen = try await withDatabase(url: url) { client in try await prepare(client) }
        guard chosen > 0 else { throw CommandFailure("no reminder could be planned: is the bench clinic generated?") }
        FileHandle.standardOutput.write(Data("\(chosen) reminders due at once, for \(chosen) patients\n".utf8))

        let state = LimitedTelegramState()
        let telegram = LimitedTelegram.application(state: state, port: telegramPort)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await telegram.runService(gracefulShutdownSignals: []) }
            let server = try startServer()
            defer {
                if server.isRunning {
                    server.terminate()
                    server.waitUntilExit()
                }
            }
            // Until every chosen job has run and nothing more has been sent for 5 s (a reminder
            // of a visit changed meanwhile says nothing, so messages alone cannot tell the end).
            let done = try await withDatabase(url: url) { client in
                let started = ContinuousClock.now
                var lastReport = started
                var quietSince = ContinuousClock.now
                var lastCount = 0
                while ContinuousClock.now - started < .seconds(timeout), server.isRunning {
                    try await Task.sleep(for: .milliseconds(500))
                    let sent = await state.messages
                    if sent != lastCount { lastCount = sent; quietSince = .now }
                    if ContinuousClock.now - lastReport >= .seconds(30) {
                        lastReport = .now
                        // Straight to the descriptor: print's buffer would hold it until the end.
                        FileHandle.standardOutput.write(Data("  … \(sent) sent after \(Int((ContinuousClock.now - started).components.seconds)) s\n".utf8))
                    }
                    if await state.chats >= chosen || ContinuousClock.now - quietSince >= .seconds(5) {
                        let pending = try await client.query("SELECT count(*)::int FROM flow_jobs WHERE state = 'pending'")
                            .collect()[0].decode(Int.self)
                        if pending == 0 && ContinuousClock.now - quietSince >= .seconds(5) { break }
                    }
                }
                return try await client.query("SELECT count(*)::int FROM flow_jobs WHERE state = 'done' AND outcome = 'fired'")
                    .collect()[0].decode(Int.self)
            }
            let peak = BenchServe.peakMemory(of: server.processIdentifier)
            await report(state, chosen: chosen, jobsDone: done, peak: peak)
            group.cancelAll()
        }
    }

    /// Plans the reminders of the clinic's next two days, keeps one pending reminder for each
    /// of `count` patients and makes it due now; every other pending job is set aside.
    func prepare(_ client: PostgresClient) async throws -> Int {
        let set = try ShippedFlowSet.load(flows: flows, locales: Settings().localesDirectory(besides: flows), timeZone: .clinicDefault)
        _ = try await client.query("DELETE FROM flow_jobs").collect()
        // The bench clinic has 1,000 patients: enough more, each with Telegram, and the visits of
        // the coming month shared out among all of them, so `count` patients have one.
        _ = try await client.query("""
            INSERT INTO patients (first_name, last_name, birth_date, sex, iin_cipher, iin_hash, phone_cipher, phone_hash, language,
                                  consent_personal_data, consent_medical_intervention, consents_at)
            SELECT 'Пациент', 'Тестовый ' || i, '1990-01-01', 'F', '\\x00', decode(md5('iin' || i), 'hex'), '\\x00',
                   decode(md5('phone' || i), 'hex'), 'ru', true, true, now()
            FROM generate_series((SELECT count(*) FROM patients)::int + 1, \(count)) i
            """).collect()
        _ = try await client.query("""
            INSERT INTO patient_telegram_links (patient_id, telegram_user_id, language)
            SELECT id, 5000000 + id, 'ru' FROM patients p
            WHERE NOT EXISTS (SELECT 1 FROM patient_telegram_links l WHERE l.patient_id = p.id)
            """).collect()
        _ = try await client.query("""
            WITH upcoming AS (
              SELECT id, row_number() OVER (ORDER BY starts_at, id) AS n FROM appointments
              WHERE status = 'booked' AND starts_at > now() + interval '1 day' AND starts_at < now() + interval '30 days'
            ), people AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM patients)
            UPDATE appointments a SET patient_id = p.id FROM upcoming u JOIN people p ON p.n = 1 + (u.n - 1) % \(count)
            WHERE a.id = u.id
            """).collect()
        // Far enough ahead for `count` patients with a visit (two days hold about 4,000).
        try await ReminderPlanner(client: client, quiet: QuietHours(), horizon: 30 * 86_400).pass(set.plans)
        let rows = try await client.query("""
            WITH chosen AS (
              SELECT DISTINCT ON (chat_id) id FROM flow_jobs WHERE state = 'pending' AND flow = 'reminder' ORDER BY chat_id, due_at LIMIT \(count)
            ), aside AS (
              UPDATE flow_jobs SET state = 'skipped', outcome = 'bench', finished_at = now()
              WHERE state = 'pending' AND id NOT IN (SELECT id FROM chosen)
            )
            UPDATE flow_jobs SET due_at = now() + interval '5 seconds' WHERE id IN (SELECT id FROM chosen) RETURNING id
            """).collect()
        return rows.count
    }

    func report(_ state: LimitedTelegramState, chosen: Int, jobsDone: Int, peak: String) async {
        let messages = await state.messages, chats = await state.chats
        var rate = 0.0
        if let first = await state.first, let last = await state.last, messages > 1 {
            let (seconds, attoseconds) = (last - first).components
            rate = Double(messages - 1) / (Double(seconds) + Double(attoseconds) / 1e18)
        }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; server, Redis, PostgreSQL and the Bot API share them")
        print(String(format: "sent: %d messages to %d of %d chats; sustained %.2f messages/s (target ≥ 29 against the limit of 30)",
                     messages, chats, chosen, rate))
        print("429 Too Many Requests: \(await state.refused) (target 0)")
        print("chats that got their reminder twice: \(await state.repeated); never: \(chosen - chats) (target 0 and 0)")
        print("jobs fired: \(jobsDone) (a reminder of a visit changed since it was planned says nothing)")
        print("server peak memory (VmHWM): \(peak) (target < 150 MB)")
    }

    func startServer() throws -> Process {
        // Telegram's limits as the server keeps them by default: the point is to stay under them.
        try BenchServe.start(port: port, telegramPort: telegramPort, settings: [
            "TELEGRAM_SEND_RATE": sendRate.map { String($0) }, "TELEGRAM_CHAT_SEND_RATE": nil,
        ])
    }
}
