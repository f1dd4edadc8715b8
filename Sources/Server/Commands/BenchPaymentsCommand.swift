import ClinicPostgres
import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import PaymentFakes
import PostgresNIO

/// `clinic-bot bench-payments`: the bank's callbacks against a real `clinic-bot api` on
/// PostgreSQL. A bank on loopback (`FakeBank`, the tests' own) pays `invoices` invoices; their
/// signed callbacks are posted `concurrency` at a time, then a tenth of them again (a bank's
/// retries). Each callback is checked (signature, window), confirmed by the bank's status call
/// and recorded at most once. Prints callbacks per second, p50/p99, what became of them, the
/// payments in the database and the server's peak memory. scripts/bench-payments.sh runs it.
struct BenchPaymentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-payments",
        abstract: "Bank callbacks per second and p99 against `clinic-bot api` on DATABASE_URL (a benchmark database).")

    @Option(help: "Invoices paid, one callback each.") var invoices = 5000
    @Option(help: "Callbacks in flight at once.") var concurrency = 32
    @Option(help: "The API's port.") var port = 18096

    static let secret = "bench-bank-callback-secret-0123456789"
    static let token = "bench-bank-status-token-0123456789ab"

    func run() async throws {
        Logs.bootstrap(fallback: .warning)
        let settings = Settings()
        guard let url = settings.databaseURL, let key = settings.piiKey else {
            throw CommandFailure("bench-payments needs DATABASE_URL and PII_ENCRYPTION_KEY (scripts/bench-payments.sh sets them)")
        }
        let cipher = try PIICipher(base64Key: key)
        let bank = FakeBank(secret: Self.secret, token: Self.token)
        try await FakeBank.serve(bank) { bank, bankURL in
            let made = try await withDatabase(url: url) { client in try await Self.prepare(client, cipher: cipher, count: invoices) }
            let server = try startAPI(bankURL: bankURL)
            defer {
                if server.isRunning {
                    server.terminate()
                    server.waitUntilExit()
                }
            }
            try await waitUntilUp()
            var callbacks: [FakeBank.Callback] = []
            for invoice in made { callbacks.append(await bank.settle(order: invoice.reference, amount: invoice.amountTiyn)) }
            let retries = Array(callbacks.shuffled().prefix(callbacks.count / 10))

            let first = try await post(callbacks, server: server.processIdentifier)
            let again = try await post(retries, server: server.processIdentifier)
            let peak = BenchServe.peakMemory(of: server.processIdentifier)
            let recorded = try await withDatabase(url: url) { client in
                try await client.query("SELECT count(*)::int FROM bot_payments").collect()[0].decode(Int.self)
            }
            let statusCalls = await bank.statusCalls
            print("\(callbacks.count) bank callbacks, \(concurrency) at a time, then \(retries.count) of them again")
            Self.report("first delivery", first)
            Self.report("repeated delivery", again)
            print("payments in the database: \(recorded) (expected \(callbacks.count)); status calls to the bank: \(statusCalls)")
            print("server peak memory (VmHWM): \(peak) (target < 150 MB)")
            if recorded != callbacks.count { throw CommandFailure("a payment was recorded \(recorded > callbacks.count ? "twice" : "never")") }
        }
    }

    /// A clean slate of invoices for the demo clinic's patients, each for its own amount.
    static func prepare(_ client: PostgresClient, cipher: PIICipher, count: Int) async throws -> [Invoice] {
        _ = try await DemoSeeder(client: client, cipher: cipher).seed()
        try await client.query("TRUNCATE bot_payments, bot_payment_anomalies")
        try await client.query("DELETE FROM flow_jobs WHERE origin LIKE 'payment:%'")
        let store = PaymentStore(client: client)
        let patients = try await client.query("SELECT telegram_user_id FROM patient_telegram_links WHERE is_active ORDER BY 1")
            .collect().map { try $0.decode(Int64.self) }
        guard !patients.isEmpty else { throw CommandFailure("no patient is linked to Telegram") }
        var made: [Invoice] = []
        for index in 0..<count {
            let request = InvoiceRequest(amountTiyn: Int64(100_000 + index), description: "Приём \(index)")
            guard let invoice = try await store.createInvoice(request, telegramUserID: patients[index % patients.count], provider: "bank", actor: .api)
            else { throw CommandFailure("the demo patients are not linked") }
            made.append(invoice)
        }
        return made
    }

    func startAPI(bankURL: String) throws -> Process {
        try BenchServe.run("api", settings: [
            "PORT": String(port), "TELEGRAM_BOT_API_SECRET": BenchServe.secret,
            "PAYMENT_PROVIDER_URL": bankURL, "PAYMENT_PROVIDER_SECRET": Self.secret, "PAYMENT_PROVIDER_TOKEN": Self.token,
        ])
    }

    func waitUntilUp() async throws {
        for _ in 0..<200 {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/bot/branches/")
            request.headers.add(name: "Authorization", value: "Bearer \(BenchServe.secret)")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)), response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CommandFailure("clinic-bot api did not come up on port \(port)")
    }

    struct Run {
        var seconds: Double
        var latencies: [Double]
        var results: [String: Int]
        /// CPU seconds spent meanwhile: by the server, by this process (the bank and its
        /// callers), by the whole machine (the rest is mostly PostgreSQL).
        var serverCPU = 0.0, benchCPU = 0.0, machineCPU = 0.0
    }

    /// Posts every callback, `concurrency` at a time; latencies in milliseconds.
    func post(_ callbacks: [FakeBank.Callback], server: Int32) async throws -> Run {
        let cpu = (server: CPUTime.of(pid: server), bench: CPUTime.ofSelf(), machine: CPUTime.machine())
        let started = ContinuousClock.now
        let target = "http://127.0.0.1:\(port)/api/bot/payments/callback/"
        // A client of its own: the shared one opens at most 8 connections to a host.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let lanes: ([Double], [String: Int])
        do {
            lanes = try await lanesOfCallbacks(callbacks, target: target, http: http)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        let elapsed = ContinuousClock.now - started
        return Run(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                   latencies: lanes.0.sorted(), results: lanes.1,
                   serverCPU: CPUTime.of(pid: server) - cpu.server, benchCPU: CPUTime.ofSelf() - cpu.bench, machineCPU: CPUTime.machine() - cpu.machine)
    }

    private func lanesOfCallbacks(_ callbacks: [FakeBank.Callback], target: String, http: HTTPClient) async throws -> ([Double], [String: Int]) {
        try await withThrowingTaskGroup(of: ([Double], [String: Int]).self) { group throws in
            for lane in 0..<concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    var results: [String: Int] = [:]
                    for index in stride(from: lane, to: callbacks.count, by: concurrency) {
                        let callback = callbacks[index]
                        var request = HTTPClientRequest(url: target)
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.headers.add(name: PaymentSignature.timestampHeader, value: callback.timestamp)
                        request.headers.add(name: PaymentSignature.signatureHeader, value: callback.signature)
                        request.body = .bytes(ByteBuffer(bytes: callback.body))
                        let start = ContinuousClock.now
                        let response = try await http.execute(request, timeout: .seconds(30))
                        let body = try await response.body.collect(upTo: 64 * 1024)
                        let elapsed = ContinuousClock.now - start
                        latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                        let result = (try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any])?["result"] as? String
                        results[result ?? "HTTP \(response.status.code)", default: 0] += 1
                    }
                    return (latencies, results)
                }
            }
            var all: ([Double], [String: Int]) = ([], [:])
            for try await (latencies, results) in group {
                all.0 += latencies
                all.1.merge(results, uniquingKeysWith: +)
            }
            return all
        }
    }

    static func report(_ name: String, _ run: Run) {
        guard !run.latencies.isEmpty else { return }
        func quantile(_ q: Double) -> String { String(format: "%.1f", run.latencies[min(run.latencies.count - 1, Int(Double(run.latencies.count) * q))]) }
        let results = run.results.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(String(format: "%@: = %.0f callbacks/s, ", name, Double(run.latencies.count) / run.seconds)
              + "p50 \(quantile(0.5)) ms, p99 \(quantile(0.99)) ms (target ≥ 1,000/s, p99 < 20 ms); \(results)")
        let count = Double(run.latencies.count)
        print(String(format: "  CPU per callback: server %.0f µs, bank and callers %.0f µs, the rest (PostgreSQL) %.0f µs",
                     run.serverCPU / count * 1e6, run.benchCPU / count * 1e6, (run.machineCPU - run.serverCPU - run.benchCPU) / count * 1e6))
    }
}
