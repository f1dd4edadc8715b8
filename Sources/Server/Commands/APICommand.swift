import ArgumentParser
import ClinicPostgres
import ClinicAPI
import FlowEngine
import Foundation
import Hummingbird
import Logging

/// `clinic-bot api`: only the clinic REST API (`/api/bot/`, see openapi.yaml) on HOST:PORT,
/// over the local database. `serve` runs it together with the bot.
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Serve the clinic REST API /api/bot/ (needs DATABASE_URL, PII_ENCRYPTION_KEY, TELEGRAM_BOT_API_SECRET).",
        discussion: "Listens on HOST:PORT (default 127.0.0.1:8080). Migrates the database first. Without TELEGRAM_BOT_API_SECRET every call is answered 401.")

    func run() async throws {
        Logs.bootstrap(fallback: .info)
        let settings = Settings()
        let host = settings.value("HOST") ?? "127.0.0.1"
        let portText = settings.value("PORT") ?? "8080"
        guard let port = Int(portText), (0...65_535).contains(port) else { throw CommandFailure("PORT must be a number from 0 to 65535") }
        guard let url = settings.databaseURL else { throw CommandFailure("DATABASE_URL is not set") }
        guard let key = settings.piiKey else { throw CommandFailure("PII_ENCRYPTION_KEY is not set") }
        let cipher = try PIICipher(base64Key: key)
        let policy = try settings.bookingPolicy()
        let secret = try settings.botAPISecret()
        let listener = try settings.listener()
        let logger = Logger(label: "clinic-bot.api")
        // The documents are worded in the shipped texts (`documents.pdf.*`), read once at start.
        let locales = try ShippedFlowSet.load(flows: settings.flowsDirectory, locales: settings.localesDirectory, timeZone: policy.timeZone).locales
        let publicBaseURL = try settings.publicBaseURL()
        let retention = try settings.documentsRetention()
        if secret == nil { logger.warning("TELEGRAM_BOT_API_SECRET is not set: every API call will be refused with 401") }

        // The PostgresClient runs for as long as the server does: `withDatabase` keeps its
        // `run()` going until the body returns, and the body returns when the server stops
        // (SIGINT or SIGTERM, handled by `runService`).
        try await settings.withPaymentProvider { bank in try await withDatabase(url: url) { client in
            try await Migrator(client: client).migrate()
            try await PIIKeyGuard.verify(cipher, client: client)
            let app = APIServer.application(
                clinic: LocalClinic(client: client, policy: policy),
                patients: PatientStore(client: client, cipher: cipher),
                feedback: FeedbackStore(client: client, logger: logger),
                documents: DocumentService(
                    store: DocumentStore(client: client, cipher: cipher, defaultRetention: retention, logger: logger),
                    composer: DocumentComposer(timeZone: policy.timeZone) { locales }, cipher: cipher),
                payments: PaymentService(store: PaymentStore(client: client, logger: logger), redirect: bank, publicBaseURL: publicBaseURL),
                publicBaseURL: publicBaseURL,
                secret: secret, host: host, port: port, listener: listener, logger: logger, describeError: LoggableError.describe)
            try await app.runService()
        } }
    }
}
