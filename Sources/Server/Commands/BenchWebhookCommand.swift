import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Synchronization

/// `clinic-bot bench-webhook`: complete registrations of simulated patients posted to a real
/// `clinic-bot serve` (webhook mode, sessions in Redis, PostgreSQL), with a Bot API on loopback
/// that answers at once. Prints updates/s, webhook latency percentiles and the server's peak
/// memory. scripts/bench-webhook.sh starts PostgreSQL and Redis and runs it.
struct BenchWebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-webhook",
        abstract: "Load-test `serve` through its webhook (needs DATABASE_URL, REDIS_URL, PII_ENCRYPTION_KEY).")

    @Option(help: "Simulated patients, each a complete registration (12 updates).") var patients = 1000
    @Option(help: "Patients registering at the same time.") var concurrency = 128
    @Option(help: "The server's port.") var port = 18090
    @Option(help: "The fake Bot API's port.") var telegramPort = 18091

    func run() async throws {
        let settings = Settings()
        guard settings.databaseURL != nil, settings.value("REDIS_URL") != nil, settings.piiKey != nil else {
            throw CommandFailure("bench-webhook needs DATABASE_URL, REDIS_URL and PII_ENCRYPTION_KEY (scripts/bench-webhook.sh sets them)")
        }
        let state = BenchTelegramState()
        let telegram = BenchTelegram.application(state: state, port: telegramPort)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await telegram.runService(gracefulShutdownSignals: []) }
            let server = try startServer()
            // The server stops before the fake Bot API, so its last replies still get answers.
            func stopServer() {
                guard server.isRunning else { return }
                server.terminate()
                server.waitUntilExit()
            }
            defer { stopServer() }
            let http = HTTPClient(configuration: .init(connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)))
            do {
                try await waitUntilHealthy(http)
                let client = BenchWebhookClient(http: http, url: "http://127.0.0.1:\(port)/api/bot/webhook", secret: Self.secret)
                let iins = (1...9_999).lazy.compactMap(BenchPatient.iin(serial:))
                var pool = Array(iins.prefix(patients + 50))
                guard pool.count >= patients + 50 else { throw CommandFailure("not enough distinct IINs for \(patients) patients") }
                let warmUp = Array(pool.prefix(50)); pool.removeFirst(50)
                _ = try await drive(warmUp, firstChat: 7_000_000_000, client: client, state: state)
                let before = (server: CPUTime.of(pid: server.processIdentifier), me: CPUTime.ofSelf())
                let measured = try await drive(Array(pool.prefix(patients)), firstChat: 8_000_000_000, client: client, state: state)
                report(measured, serverPID: server.processIdentifier)
                let serverCPU = CPUTime.of(pid: server.processIdentifier) - before.server, ownCPU = CPUTime.ofSelf() - before.me
                print(String(format: "CPU during the run: server %.2f s (%.0f µs per update), load generator with its fake Bot API %.2f s, of %.2f s × %d cores",
                             serverCPU, serverCPU / Double(measured.latencies.count) * 1e6, ownCPU, measured.seconds,
                             ProcessInfo.processInfo.activeProcessorCount))
            } catch {
                try? await http.shutdown()
                stopServer()
                throw error
            }
            try await http.shutdown()
            stopServer()
            group.cancelAll()
        }
    }

    static let secret = BenchServe.secret

    struct Figures {
        var latencies: [UInt64] = []
        var failures = 0
        var seconds = 0.0
    }

    func drive(_ iins: [String], firstChat: Int64, client: BenchWebhookClient, state: BenchTelegramState) async throws -> Figures {
        let nextUpdate = UpdateIDs(start: firstChat)
        let start = DispatchTime.now().uptimeNanoseconds
        var figures = Figures()
        try await withThrowingTaskGroup(of: Figures.self) { group in
            var launched = 0
            func launch() {
                let patient = BenchPatient(chat: firstChat + Int64(launched), iin: iins[launched], birthDate: "05.03.1990")
                launched += 1
                group.addTask { try await register(patient, client: client, state: state, updates: nextUpdate) }
            }
            while launched < min(concurrency, iins.count) { launch() }
            while let one = try await group.next() {
                figures.latencies += one.latencies
                figures.failures += one.failures
                if launched < iins.count { launch() }
            }
        }
        figures.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return figures
    }

    func register(_ patient: BenchPatient, client: BenchWebhookClient, state: BenchTelegramState, updates: UpdateIDs) async throws -> Figures {
        var figures = Figures()
        var question: BenchTelegramState.Sent?
        let script = patient.script
        for (index, input) in script.enumerated() {
            let id = updates.next()
            let json: String
            switch input {
            case .command(let text), .text(let text):
                json = BenchUpdates.message(id: id, chat: patient.chat, text: text)
            case .button(let n):
                guard let question, n < question.tokens.count else { throw CommandFailure("patient \(patient.chat): no button \(n) at step \(index)") }
                json = BenchUpdates.press(id: id, chat: patient.chat, messageID: question.messageID, data: question.tokens[n])
            }
            let before = await state.sequence(of: patient.chat)
            let (nanoseconds, status) = try await client.post(json)
            figures.latencies.append(nanoseconds)
            if status != 200 { figures.failures += 1 }
            // Every answer in registration ends with a question that has inline buttons (Back
            // at least), except the last, the main menu: wait for it like a person would.
            let last = index == script.count - 1
            question = await state.message(to: patient.chat, after: before, inline: !last)
        }
        await state.forget(patient.chat)
        return figures
    }

    func report(_ figures: Figures, serverPID: Int32) {
        let sorted = figures.latencies.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
        }
        let peak = BenchServe.peakMemory(of: serverPID)
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; server, Redis, PostgreSQL and this load generator share them")
        print(String(format: "%d patients, %d updates in %.2f s = %.0f updates/s (target ≥ 3000), %d not 200",
                     patients, sorted.count, figures.seconds, Double(sorted.count) / figures.seconds, figures.failures))
        print(String(format: "webhook latency: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 < 20 ms)",
                     percentile(0.5), percentile(0.9), percentile(0.99), percentile(1.0)))
        print("server peak memory (VmHWM): \(peak) (target < 150 MB)")
    }

    func startServer() throws -> Process {
        // A local Bot API server has no message limits; Telegram's own would throttle the replies.
        try BenchServe.start(port: port, telegramPort: telegramPort, settings: [
            "TELEGRAM_SEND_RATE": "100000", "TELEGRAM_CHAT_SEND_RATE": "100000", "USER_RATE_LIMIT": "1000",
        ])
    }

    func waitUntilHealthy(_ http: HTTPClient) async throws {
        for _ in 0..<300 {
            if let response = try? await http.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(1)),
               response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandFailure("the server did not become ready on port \(port)")
    }
}

/// Update ids for the simulated patients: unique and increasing, like Telegram's.
final class UpdateIDs: Sendable {
    private let counter: Atomic<Int64>
    init(start: Int64) { counter = Atomic(start) }
    func next() -> Int64 { counter.add(1, ordering: .relaxed).newValue }
}

/// CPU seconds (user + system) of a process, from /proc.
enum CPUTime {
    static func of(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name: state is field 3; utime and stime are 14 and 15.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func ofSelf() -> Double { of(pid: getpid()) }

    /// CPU seconds the whole machine has been busy (every core: not idle, not waiting on I/O).
    static func machine() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ") else { return 0 }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return 0 }
        // user nice system idle iowait irq softirq steal …
        let busy = ticks.enumerated().filter { $0.offset != 3 && $0.offset != 4 && $0.offset < 8 }.reduce(0) { $0 + $1.element }
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
