import ClinicPostgres
import AsyncHTTPClient
import ClinicAPI
import FlowEngine
import Foundation
import Hummingbird
import Logging
import Prometheus
import RedisStore
import ServiceLifecycle
import Synchronization
import Telegram

/// The bot as one service: the HTTP server (webhook, health, metrics, the clinic REST API),
/// long polling when there is no webhook, hot reload, and the outbox to Telegram. Runs until
/// SIGTERM or SIGINT, then stops taking updates, finishes those in flight, sends what is
/// queued and returns (the caller closes the pools).
public struct BotServer: Sendable {
    public struct Parts: Sendable {
        public var set: FlowSet
        public var actions: ActionGateway
        public var clinic: any Clinic
        public var patients: any PatientDirectory
        public var apiSecret: String?
        public var redis: RedisClient?
        public var databasePing: (@Sendable () async throws -> Void)?
        public var registry: PrometheusCollectorRegistry?
        /// Where sleeping flows wait (PostgreSQL in `serve`); nil: a flow that sleeps is dropped.
        public var jobs: (any FlowJobStore)?
        public var schedulerTiming = JobScheduler.Timing()
        /// Plans the reminders of upcoming appointments (with a job store); nil: none.
        public var planner: ReminderPlanner?
        public var planningInterval: Duration = .seconds(60)
        /// Alerts for the staff chat (low ratings); sent when there is a token and `staffChat`.
        public var staffAlerts: StaffAlertStore?
        /// The ratings the API stores and lists (`/api/bot/feedback/`); nil: no such routes.
        public var feedback: (any FeedbackDirectory)?
        /// The patients' documents (`/api/bot/documents/`, the expired files' cleanup); nil: none.
        public var documents: DocumentStore?
        /// Invoices, balances and the bank's callbacks (`/api/bot/payments/`); nil: none.
        public var payments: PaymentService?
        /// Seals download links; with `documents`.
        public var cipher: PIICipher?
        /// MACs the flow set the instances share through Redis; nil: instances do not share it.
        public var authenticateShared: (@Sendable (Data) -> [UInt8])?

        public init(set: FlowSet, actions: ActionGateway, clinic: any Clinic, patients: any PatientDirectory, apiSecret: String?,
                    redis: RedisClient?, databasePing: (@Sendable () async throws -> Void)?, registry: PrometheusCollectorRegistry?,
                    jobs: (any FlowJobStore)? = nil) {
            self.set = set
            self.actions = actions
            self.clinic = clinic
            self.patients = patients
            self.apiSecret = apiSecret
            self.redis = redis
            self.databasePing = databasePing
            self.registry = registry
            self.jobs = jobs
        }
    }

    public let configuration: BotConfiguration
    public let parts: Parts
    public let logger: Logger

    public init(configuration: BotConfiguration, parts: Parts, logger: Logger) {
        self.configuration = configuration
        self.parts = parts
        self.logger = logger
    }

    /// `onServerRunning` gets the bound port (tests listen on port 0).
    public func run(onServerRunning: (@Sendable (Int) async -> Void)? = nil) async throws {
        let configuration = self.configuration
        let logger = self.logger
        let holder = FlowSetHolder(parts.set)
        let telegram = configuration.token.map { BotAPIClient(baseURL: configuration.apiURL, token: $0, logger: logger) }
        // The outbox learns of blocked chats; the sequencer, made after it, keeps the mark.
        let sequencerSlot = SequencerSlot()
        let onBlocked: @Sendable (Int64) async -> Void = { chat in
            BotMetrics.blocked.increment()
            do { try await sequencerSlot.sequencer?.markBlocked(chat: chat) } catch {
                logger.warning("a blocked chat could not be marked", metadata: ["error": "\(type(of: error))"])
            }
        }
        let outbox = telegram.map { client in
            Outbox(client: client, limiter: OutboundLimiter(messagesPerSecond: configuration.sendRate, perChatPerSecond: configuration.chatSendRate),
                   logger: logger, onBlocked: onBlocked)
        }
        // With Redis, replies are recorded with the session and survive a crash; the in-memory
        // outbox (sharing its limiter) keeps only what needs no record: answers to button
        // presses and the "slow down" notice.
        let durable: DurableOutbox? = parts.redis.flatMap { redis in
            outbox.map { DurableOutbox(redis: redis, sender: $0.sender, logger: logger, onBlocked: onBlocked) }
        }
        let handler = UpdateHandler(flows: holder, actions: parts.actions, paymentProviderToken: configuration.paymentProviderToken, answerButton: { answer in
            guard let outbox else { return }
            Task { await outbox.sendNow(.answerCallbackQuery(answer)) }
        })
        let jobs = parts.jobs
        let work = UpdateWork(handler: handler, deliver: { processed in
            guard let outbox, !processed.calls.isEmpty else { return }
            outbox.enqueue(processed.calls, chat: processed.chat)
        }, jobs: jobs, logger: logger)
        let limit = RateLimit(perMinute: configuration.userRateLimit)
        let idleSeconds = Int(configuration.sessionIdle.components.seconds)
        let sequencer: any UpdateSequencer = parts.redis.map {
            RedisSequencer(redis: $0, work: work, limit: limit, sessionTTL: idleSeconds, outbox: durable)
        } ?? LocalSequencer(store: InMemorySessionStore(idle: configuration.sessionIdle), work: work, limit: limit)
        sequencerSlot.sequencer = sequencer

        // Telegram Payments: with a provider token and the payments' store.
        let paymentGate: TelegramPaymentGate? = telegram.flatMap { client in
            guard configuration.paymentProviderToken != nil, let payments = parts.payments else { return nil }
            return TelegramPaymentGate(store: payments.store, answer: { try await client.answerPreCheckoutQuery($0) },
                                       wording: { key, language in holder.interpreter.set.locales.plain(key, in: language) }, logger: logger)
        }
        let router = Router()
        if let telegram, configuration.useWebhook {
            guard let secret = configuration.webhookSecret, !secret.isEmpty else {
                throw ConfigurationError("USE_WEBHOOK=true needs TELEGRAM_WEBHOOK_SECRET")
            }
            guard let url = configuration.webhookURL, !url.isEmpty else {
                throw ConfigurationError("USE_WEBHOOK=true needs TELEGRAM_WEBHOOK_URL")
            }
            WebhookRoute(secret: secret, sequencer: sequencer, payments: paymentGate, logger: logger).add(to: router)
            try await prepare(telegram, set: parts.set, webhook: SetWebhook(url: url, secretToken: secret, allowedUpdates: handledUpdateTypes))
        } else if let telegram {
            try await prepare(telegram, set: parts.set, webhook: nil)
        }
        var checks: [(name: String, probe: @Sendable () async throws -> Void)] = []
        if let ping = parts.databasePing { checks.append(("postgresql", ping)) }
        if parts.redis != nil { checks.append(("redis", { try await sequencer.ping() })) }
        HealthRoutes.addLiveness(to: router)
        let documents = parts.documents.flatMap { store in
            parts.cipher.map { cipher in
                DocumentService(store: store, composer: DocumentComposer(timeZone: configuration.timeZone) { holder.interpreter.set.locales },
                                cipher: cipher)
            }
        }
        ClinicAPI.routes(on: router, clinic: parts.clinic, patients: parts.patients, feedback: parts.feedback, documents: documents, payments: parts.payments,
                         publicBaseURL: configuration.publicBaseURL, secret: parts.apiSecret, logger: logger,
                         describeError: LoggableError.describe)
        let adminRouter = Router()
        HealthRoutes(checks: checks, registry: parts.registry).add(to: adminRouter)

        let listener = configuration.listener
        let app = Application(
            router: router, server: listener.server,
            configuration: listener.configuration(host: configuration.host, port: configuration.port),
            onServerRunning: { channel in await onServerRunning?(channel.localAddress?.port ?? 0) },
            logger: logger)
        let admin = Application(
            router: adminRouter, server: listener.server,
            configuration: listener.configuration(host: configuration.adminHost, port: configuration.adminPort, name: "clinic-bot-admin"),
            logger: logger)
        // Services stop in reverse order: the outbox last, after updates stopped coming in.
        var services: [any ServiceLifecycle.Service] = durable.map { [$0] } ?? []
        services.append(admin)
        services.append(app)
        if let telegram, !configuration.useWebhook {
            services.append(Poller(client: telegram, sequencer: sequencer, payments: paymentGate, logger: logger))
        }
        if let jobs {
            var timing = parts.schedulerTiming
            timing.maxBacklog = max(10, Int(configuration.sendRate * 2))
            var tasks: [ScheduledTask] = []
            if let documents = parts.documents {
                tasks.append(ScheduledTask(name: "documents.cleanup", every: configuration.documentsCleanupInterval) {
                    let removed = try await documents.removeExpired()
                    if removed > 0 { logger.info("expired documents removed", metadata: ["count": "\(removed)"]) }
                })
            }
            if let payments = parts.payments {
                tasks.append(ScheduledTask(name: "payments.release_holds", every: configuration.holdReleaseInterval) {
                    let released = try await payments.store.releaseExpiredHolds()
                    if released > 0 { logger.info("unpaid holds released", metadata: ["count": "\(released)"]) }
                })
            }
            services.append(JobScheduler(store: jobs, sequencer: sequencer, timing: timing, backlog: {
                durable?.sendingChats ?? outbox?.pending ?? 0
            }, tasks: tasks, logger: logger))
            if let planner = parts.planner {
                services.append(ReminderPlanning(planner: planner, flows: holder, interval: parts.planningInterval, logger: logger))
            }
        }
        if let store = parts.staffAlerts, let telegram, let chat = configuration.staffChat {
            services.append(StaffAlertSender(store: store, flows: holder, timeZone: configuration.timeZone, logger: logger) { text in
                _ = try await telegram.perform(.sendMessage(SendMessage(chatId: chat, text: HTML.escape(text))))
            })
        }
        if let interval = configuration.reloadInterval {
            services.append(FlowWatcher(
                holder: holder, flowsDirectory: configuration.flowsDirectory, localesDirectory: configuration.localesDirectory,
                signatures: parts.actions.signatures, timeZone: configuration.timeZone, interval: interval,
                board: parts.redis.flatMap { redis in parts.authenticateShared.map { RedisFlowSetBoard(redis: redis, authenticate: $0) } },
                logger: logger))
        }
        let group = ServiceGroup(configuration: .init(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.notice("clinic-bot serving", metadata: [
            "address": "\(configuration.host):\(configuration.port)",
            "transport": "\(telegram == nil ? "none (no TELEGRAM_BOT_TOKEN)" : configuration.useWebhook ? "webhook" : "polling")",
            "sessions": "\(parts.redis == nil ? "memory" : "redis")",
            "replies": "\(durable == nil ? "in memory" : "durable (redis)")",
            "sleeping flows": "\(jobs == nil ? "dropped (no job store)" : "stored")",
        ])
        try await group.run()
        // Updates in flight have finished: what they queued for Telegram still goes out.
        await outbox?.flush()
        logger.notice("clinic-bot stopped")
    }

    /// Checks the token, sets the command menus and the webhook (or removes it for polling).
    func prepare(_ telegram: BotAPIClient, set: FlowSet, webhook: SetWebhook?) async throws {
        let me = try await telegram.getMe()
        logger.notice("Telegram bot", metadata: ["username": "\(me.username ?? "?")"])
        for menu in BotCommands.menus(for: set) {
            do { try await telegram.setMyCommands(menu) } catch {
                logger.warning("setMyCommands failed", metadata: ["language": "\(menu.languageCode ?? "default")", "error": "\(error)"])
            }
        }
        if let webhook {
            try await telegram.setWebhook(webhook)
        } else {
            try await telegram.deleteWebhook(DeleteWebhook())
        }
    }
}

/// The sequencer, once made: the outbox is made before it and reports blocked chats to it.
final class SequencerSlot: Sendable {
    private let slot = Mutex<(any UpdateSequencer)?>(nil)
    var sequencer: (any UpdateSequencer)? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}
