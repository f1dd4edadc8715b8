import ClinicAPI
import FlowEngine
import Foundation

/// How the bot runs: the transport, the limits, hot reload. Read from the environment by the
/// `serve` command (see the README's table).
public struct BotConfiguration: Sendable {
    public var token: String?
    public var apiURL: String = "https://api.telegram.org"
    public var useWebhook = false
    public var webhookURL: String?
    public var webhookSecret: String?
    public var host = "127.0.0.1"
    public var port = 8080
    /// Where `/readyz` and `/metrics` are served (with `/healthz`); 0 picks a free port.
    public var adminHost = "127.0.0.1"
    public var adminPort = 9090
    /// The listeners' idle timeout and connection cap.
    public var listener = HTTPListener()
    /// Telegram's limits: about 30 messages a second overall, about one a second per chat. Under
    /// 30: at exactly 30 a message shifted by a millisecond on its way is the 31st in a second
    /// (bench-reminders: 322 refusals in 10,000 at 30; at 29.5 none in 20,000 but one in 1,000).
    /// 29.2 leaves 27 ms in every 30 messages for the machine's and the network's jitter.
    public var sendRate: Double = 29.2
    public var chatSendRate: Double = 1
    public var userRateLimit = 60
    /// A chat silent this long starts over: its session (and whatever a dialogue left in it)
    /// is gone, in Redis and in memory.
    public var sessionIdle: Duration = .seconds(7 * 86_400)
    /// nil: no hot reload.
    public var reloadInterval: Duration? = .seconds(2)
    public var flowsDirectory = "flows"
    public var localesDirectory = "locales"
    public var timeZone: TimeZone = .clinicDefault
    /// The Telegram group where staff get alerts (`STAFF_CHAT_ID`); nil: alerts wait in the database.
    public var staffChat: Int64?
    /// What download links start with (`PUBLIC_BASE_URL`, e.g. "https://bot.clinic.kz"); nil: the
    /// API answers the path alone.
    public var publicBaseURL: String?
    /// `TELEGRAM_PAYMENT_PROVIDER_TOKEN` (from @BotFather's Payments): with it invoices are sent
    /// and paid in Telegram; without it `payments.pay` offers only the bank's link.
    public var paymentProviderToken: String?
    /// How often expired documents' files are removed (`DOCUMENTS_CLEANUP_HOURS`, 6).
    public var documentsCleanupInterval: Duration = .seconds(6 * 3600)
    /// How often held visits whose prepayment did not come are given back (`payments.release_holds`).
    public var holdReleaseInterval: Duration = .seconds(30)

    public init() {}
}

/// A setting that stops the server from starting, said in one sentence.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
