import ClinicPostgres
import AsyncHTTPClient
import BotRuntime
import ClinicAPI
import Foundation
import Logging
import RedisStore

/// The environment the bot runs in (see the README's table of variables).
struct Settings {
    let environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    func value(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    var flowsDirectory: String { value("FLOWS_DIR") ?? "flows" }
    var localesDirectory: String { value("LOCALES_DIR") ?? "locales" }
    var databaseURL: String? { value("DATABASE_URL") }
    var piiKey: String? { value("PII_ENCRYPTION_KEY") }
    /// Shared secrets shorter than this are refused at start: short ones can be guessed.
    static let minimumSecretLength = 32

    /// A shared secret from the environment, refused when it is too short to resist guessing.
    func secret(_ name: String) throws -> String? {
        guard let text = value(name) else { return nil }
        guard text.count >= Self.minimumSecretLength else {
            throw CommandFailure(
                "\(name) is \(text.count) characters; a shared secret must have at least \(Self.minimumSecretLength) "
                    + "(make one with: openssl rand -hex 24)")
        }
        return text
    }

    /// The bearer token clients of this bot's REST API must send.
    func botAPISecret() throws -> String? { try secret("TELEGRAM_BOT_API_SECRET") }

    /// The clinic REST API the scheduling actions call instead of the local database, and the
    /// token this bot sends it — its own, never the secret of the bot's API, which would hand
    /// that secret to whoever runs the clinic's server. A clinic that is not on this machine is
    /// reached over https only: the token and the patients' data cross the network.
    func remoteClinic() throws -> (url: String, token: String?)? {
        guard let url = value("CLINIC_API_URL") else { return nil }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty else {
            throw CommandFailure("CLINIC_API_URL must be an http(s) URL, like https://clinic.example.kz/")
        }
        if scheme == "http", !Self.isLoopback(host) {
            throw CommandFailure("CLINIC_API_URL must use https for a clinic on another machine (\(host)): the token and patients' data would cross the network in clear")
        }
        return (url, try secret("CLINIC_API_TOKEN"))
    }

    static func isLoopback(_ host: String) -> Bool { DatabaseURL.isLoopback(host) }

    /// The bank patients pay at (`PAYMENT_PROVIDER_URL`, https unless on this machine), with
    /// the secret its callbacks are signed with (`PAYMENT_PROVIDER_SECRET`) and the token of its
    /// status calls (`PAYMENT_PROVIDER_TOKEN`); `PAYMENT_PROVIDER_NAME` names it in the records
    /// ("bank"). nil: no bank; invoices are paid in Telegram. Its status calls go through `http`.
    func paymentProvider(http: HTTPClient = .shared) throws -> RedirectProvider? {
        guard let url = value("PAYMENT_PROVIDER_URL") else { return nil }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty, components.query == nil else {
            throw CommandFailure("PAYMENT_PROVIDER_URL must be an http(s) URL without a query, like https://pay.bank.kz/merchant")
        }
        if scheme == "http", !Self.isLoopback(host) {
            throw CommandFailure("PAYMENT_PROVIDER_URL must use https for a bank on another machine (\(host))")
        }
        guard let callbackSecret = try secret("PAYMENT_PROVIDER_SECRET"), let token = try secret("PAYMENT_PROVIDER_TOKEN") else {
            throw CommandFailure("PAYMENT_PROVIDER_URL needs PAYMENT_PROVIDER_SECRET (callbacks' signatures) and PAYMENT_PROVIDER_TOKEN (status calls)")
        }
        let name = value("PAYMENT_PROVIDER_NAME") ?? "bank"
        guard (1...32).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
              name != TelegramPayments.providerName else {
            throw CommandFailure("PAYMENT_PROVIDER_NAME must be 1 to 32 letters, digits or _, and not 'telegram'")
        }
        return RedirectProvider(name: name, baseURL: url, secret: callbackSecret, token: token, http: http)
    }

    /// The bank (`paymentProvider`) with an HTTP client of its own, shut down when `body`
    /// returns: every callback waits for a status call, and the shared client's 8 connections
    /// to a host would queue them behind each other at a busy hour.
    /// `PAYMENT_PROVIDER_CONNECTIONS` (32) bounds the connections kept open to the bank.
    func withPaymentProvider<T: Sendable>(_ body: (RedirectProvider?) async throws -> T) async throws -> T {
        guard value("PAYMENT_PROVIDER_URL") != nil else { return try await body(nil) }
        let connections = try number("PAYMENT_PROVIDER_CONNECTIONS", in: 1...1024).map { Int($0) } ?? 32
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result: T
        do {
            result = try await body(try paymentProvider(http: http))
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return result
    }

    /// The HTTP listeners' limits: `HTTP_IDLE_TIMEOUT_SECONDS` (30), `HTTP_MAX_CONNECTIONS` (1000).
    func listener() throws -> HTTPListener {
        var listener = HTTPListener()
        if let seconds = try number("HTTP_IDLE_TIMEOUT_SECONDS", in: 0.1...3600) { listener.idleTimeout = .milliseconds(Int(seconds * 1000)) }
        if let count = try number("HTTP_MAX_CONNECTIONS", in: 1...1_000_000) { listener.maxConnections = Int(count) }
        return listener
    }

    /// The clinic's booking rules: its time zone, `MAX_UPCOMING_APPOINTMENTS` (3) and
    /// `PREPAYMENT_HOLD_MINUTES` (15: how long a prepaid service's time waits for the money).
    /// `takesPayments`: whether the bot can be paid at all (a bank or Telegram Payments); if
    /// not, prepaid services are booked to be paid at the desk, without a hold.
    func bookingPolicy(takesPayments: Bool = false) throws -> BookingPolicy {
        var policy = BookingPolicy(timeZone: try timeZone())
        if let limit = try number("MAX_UPCOMING_APPOINTMENTS", in: 1...1000) { policy.maxUpcoming = Int(limit) }
        let minutes = try number("PREPAYMENT_HOLD_MINUTES", in: 1...1440) ?? 15
        policy.prepaymentHold = takesPayments ? .seconds(Int(minutes * 60)) : nil
        return policy
    }

    /// `CLINIC_TIMEZONE`; a name the system does not know is an error, not a silent default.
    func timeZone() throws -> TimeZone {
        guard let name = value("CLINIC_TIMEZONE") else { return .clinicDefault }
        guard let zone = TimeZone(identifier: name) else {
            throw CommandFailure("CLINIC_TIMEZONE '\(name)' is not a time zone name (for example Asia/Almaty)")
        }
        return zone
    }

    /// The locales folder for a flows folder given on the command line: `LOCALES_DIR`, else the
    /// `locales` folder beside the flows folder.
    func localesDirectory(besides flows: String) -> String {
        if let explicit = value("LOCALES_DIR") { return explicit }
        let parent = (flows as NSString).deletingLastPathComponent
        return parent.isEmpty ? "locales" : (parent as NSString).appendingPathComponent("locales")
    }
}

/// A failure the command line reports in one sentence, with a non-zero exit.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Settings {
    /// `REDIS_URL`, checked: a value that is not a redis:// URL stops the start.
    func redisURL() throws -> RedisURL? {
        guard let text = value("REDIS_URL") else { return nil }
        guard let url = RedisURL(string: text) else {
            throw CommandFailure("REDIS_URL must look like redis://[:password@]host:port/db (rediss:// for TLS)")
        }
        return url
    }

    /// A client for `url`; for `rediss://` through a TLS tunnel verified against the system's
    /// roots or `REDIS_TLS_CA_FILE`. The tunnel, if any, must be closed after the client.
    func redisClient(_ url: RedisURL, connections: Int, logger: Logger) throws -> (client: RedisClient, tunnel: RedisTLSTunnel?) {
        guard url.tls else { return (RedisClient.withOwnThreadPool(url: url, connections: connections, logger: logger), nil) }
        let tunnel = try RedisTLSTunnel(host: url.host, port: url.port, caFile: value("REDIS_TLS_CA_FILE"))
        return (RedisClient.withOwnThreadPool(url: url.through(tunnel), connections: connections, logger: logger), tunnel)
    }

    /// The transport and its limits, from the environment.
    func botConfiguration() throws -> BotConfiguration {
        var bot = BotConfiguration()
        bot.token = value("TELEGRAM_BOT_TOKEN")
        bot.apiURL = value("TELEGRAM_API_URL") ?? bot.apiURL
        bot.useWebhook = try flag("USE_WEBHOOK") ?? false
        bot.webhookURL = value("TELEGRAM_WEBHOOK_URL")
        bot.webhookSecret = try secret("TELEGRAM_WEBHOOK_SECRET")
        bot.host = value("HOST") ?? bot.host
        bot.port = try number("PORT", in: 0...65_535).map(Int.init) ?? bot.port
        bot.adminHost = value("ADMIN_HOST") ?? bot.adminHost
        bot.adminPort = try number("ADMIN_PORT", in: 0...65_535).map(Int.init) ?? bot.adminPort
        bot.listener = try listener()
        bot.sendRate = try number("TELEGRAM_SEND_RATE", in: 0.1...100_000) ?? bot.sendRate
        bot.chatSendRate = try number("TELEGRAM_CHAT_SEND_RATE", in: 0.01...100_000) ?? bot.chatSendRate
        bot.userRateLimit = try number("USER_RATE_LIMIT", in: 1...1_000_000).map(Int.init) ?? bot.userRateLimit
        if let days = try number("SESSION_IDLE_DAYS", in: 0.001...365) { bot.sessionIdle = .seconds(Int(days * 86_400)) }
        if let seconds = try number("FLOWS_RELOAD_SECONDS", in: 0...86_400) {
            bot.reloadInterval = seconds == 0 ? nil : .milliseconds(Int(seconds * 1000))
        }
        bot.flowsDirectory = flowsDirectory
        bot.localesDirectory = localesDirectory
        bot.timeZone = try timeZone()
        if let chat = value("STAFF_CHAT_ID") {
            guard let id = Int64(chat) else { throw CommandFailure("STAFF_CHAT_ID must be a Telegram chat id (a group's is negative)") }
            bot.staffChat = id
        }
        bot.publicBaseURL = try publicBaseURL()
        bot.paymentProviderToken = value("TELEGRAM_PAYMENT_PROVIDER_TOKEN")
        if let hours = try number("DOCUMENTS_CLEANUP_HOURS", in: 0.01...720) { bot.documentsCleanupInterval = .seconds(Int(hours * 3600)) }
        if bot.useWebhook, bot.token != nil, bot.webhookSecret == nil {
            throw CommandFailure("USE_WEBHOOK=true needs TELEGRAM_WEBHOOK_SECRET (the webhook refuses to start without it)")
        }
        return bot
    }

    /// `PUBLIC_BASE_URL`: https (http only on loopback, for trying it out), no path, no query.
    func publicBaseURL() throws -> String? {
        guard let text = value("PUBLIC_BASE_URL") else { return nil }
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), let host = url.host, !host.isEmpty, url.query == nil, url.path.isEmpty || url.path == "/",
              url.scheme == "https" || (url.scheme == "http" && Self.isLoopback(host))
        else { throw CommandFailure("PUBLIC_BASE_URL must look like https://bot.clinic.kz (the address patients open download links at)") }
        return trimmed
    }

    /// `DOCUMENTS_RETENTION_DAYS` (365): how long a document's file is kept when the clinic does not say.
    func documentsRetention() throws -> TimeInterval {
        (try number("DOCUMENTS_RETENTION_DAYS", in: 1...36_500) ?? 365) * 86_400
    }

    /// `QUIET_HOURS`, "22:00-08:00" by default: when the clinic sends nothing it started itself.
    func quietHours(timeZone: TimeZone) throws -> QuietHours {
        guard let text = value("QUIET_HOURS") else { return QuietHours(timeZone: timeZone) }
        let times = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces).split(separator: ":").compactMap { Int($0) } }
        guard times.count == 2, times.allSatisfy({ $0.count == 2 && (0..<24).contains($0[0]) && (0..<60).contains($0[1]) }) else {
            throw CommandFailure("QUIET_HOURS must look like 22:00-08:00 (clinic time; equal times: no quiet hours)")
        }
        return QuietHours(start: (times[0][0], times[0][1]), end: (times[1][0], times[1][1]), timeZone: timeZone)
    }

    private func flag(_ name: String) throws -> Bool? {
        guard let text = value(name)?.lowercased() else { return nil }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw CommandFailure("\(name) must be true or false")
        }
    }

    private func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let text = value(name) else { return nil }
        guard let number = Double(text), range.contains(number) else {
            throw CommandFailure("\(name) must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
