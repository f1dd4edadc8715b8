import ClinicPostgres
import ArgumentParser
import BotRuntime
import FlowEngine
import Foundation
import Logging
import Metrics
import Prometheus
import RedisStore

/// `clinic-bot serve`: the bot on Telegram (webhook or long polling) with the clinic REST API,
/// health and metrics on HOST:PORT. Sessions in Redis with REDIS_URL, in memory without.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the bot: Telegram transport, /api/bot/, /healthz; /readyz and /metrics on ADMIN_PORT (needs DATABASE_URL, PII_ENCRYPTION_KEY).",
        discussion: "Without TELEGRAM_BOT_TOKEN only the HTTP routes run. USE_WEBHOOK=true takes updates on POST /api/bot/webhook; otherwise long polling. SIGTERM stops it gracefully.")

    func run() async throws {
        Logs.bootstrap(fallback: .info)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "clinic-bot")
        let settings = Settings()
        let bot = try settings.botConfiguration()
        let quiet = try settings.quietHours(timeZone: bot.timeZone)
        let set = try ShippedFlowSet.load(flows: bot.flowsDirectory, locales: bot.localesDirectory, timeZone: bot.timeZone)
        guard let url = settings.databaseURL else { throw CommandFailure("DATABASE_URL is not set") }
        guard let key = settings.piiKey else { throw CommandFailure("PII_ENCRYPTION_KEY is not set") }
        let cipher = try PIICipher(base64Key: key)
        let connected = try settings.redisURL().map { try settings.redisClient($0, connections: 8, logger: logger) }
        let redis = connected?.client
        defer {
            redis?.close()
            connected?.tunnel?.close()
        }
        if let redis { try await redis.ping() }

        try await settings.withPaymentProvider { bank in try await withDatabase(url: url) { client in
            try await Migrator(client: client).migrate()
            try await PIIKeyGuard.verify(cipher, client: client)
            let policy = try settings.bookingPolicy(takesPayments: bank != nil || bot.paymentProviderToken != nil)
            let remote = try settings.remoteClinic().map { RemoteClinic(baseURL: $0.url, secret: $0.token) }
            let actions = ClinicActions.registry(client: client, cipher: cipher, policy: policy, remote: remote, bank: bank,
                                                 publicBaseURL: bot.publicBaseURL, telegramPayments: bot.paymentProviderToken != nil)
            var parts = BotServer.Parts(
                set: set, actions: ActionGateway(registry: actions),
                clinic: LocalClinic(client: client, policy: policy), patients: PatientStore(client: client, cipher: cipher),
                apiSecret: try settings.botAPISecret(), redis: redis,
                databasePing: { _ = try await client.query("SELECT 1") }, registry: registry,
                jobs: PostgresFlowJobStore(client: client, logger: logger))
            // Reminders are planned from this database's appointments; a remote clinic's are not
            // (its API has no listing of every patient's appointments).
            parts.staffAlerts = StaffAlertStore(client: client, logger: logger)
            parts.feedback = FeedbackStore(client: client, logger: logger)
            parts.documents = DocumentStore(client: client, cipher: cipher, defaultRetention: try settings.documentsRetention(), logger: logger)
            parts.cipher = cipher
            parts.payments = PaymentService(store: PaymentStore(client: client, logger: logger), redirect: bank, publicBaseURL: bot.publicBaseURL)
            parts.authenticateShared = { cipher.authenticate($0) }
            if remote == nil { parts.planner = ReminderPlanner(client: client, quiet: quiet, logger: logger) }
            try await BotServer(configuration: bot, parts: parts, logger: logger).run()
        } }
    }
}
