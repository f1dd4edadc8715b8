import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// The Telegram Bot API over HTTP: `POST {baseURL}/bot{token}/{method}`, JSON in snake_case
/// (multipart for uploads), answers decoded from `{"ok": …, "result": …}`. Retries what is
/// worth retrying (429 after `retry_after`, 5xx and network errors with back-off) and sorts the
/// rest into `BotAPIError`.
///
/// The URL holds the bot token, so nothing here logs or throws the URL: logs name the method
/// only, and any text taken from an underlying error is scrubbed of the token.
public struct BotAPIClient: Sendable {
    let baseURL: String
    let token: String
    let httpClient: HTTPClient
    let retry: RetryPolicy
    let logger: Logger

    /// - Parameters:
    ///   - baseURL: `https://api.telegram.org`, or a local Bot API server or a test fake.
    ///   - token: the bot token from @BotFather.
    public init(baseURL: String, token: String, httpClient: HTTPClient = .shared, retry: RetryPolicy = .standard,
                logger: Logger = Logger(label: "clinic-bot.telegram")) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.token = token
        self.httpClient = httpClient
        self.retry = retry
        self.logger = logger
    }

    /// The same client with another retry policy.
    public func retrying(_ policy: RetryPolicy) -> BotAPIClient {
        BotAPIClient(baseURL: baseURL, token: token, httpClient: httpClient, retry: policy, logger: logger)
    }

    /// The retry policy in use.
    public var retryPolicy: RetryPolicy { retry }

    /// Calls `method` with `body` encoded as JSON and decodes the `result` as `Result`
    /// (`Bool` for methods that answer `true`). `timeout` bounds each attempt, not the whole.
    public func call<Result: Decodable & Sendable>(
        _ method: String, _ body: some Encodable & Sendable, as: Result.Type, timeout: Duration = .seconds(10)
    ) async throws -> Result {
        try await send(method, try RequestBody.json(body, method: method), as: Result.self, timeout: timeout, policy: retry)
    }

    /// `text` with the token blotted out: for descriptions of errors that may quote the URL.
    func scrubbed(_ text: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "<token>")
    }
}

/// An encoded request body and its Content-Type.
struct RequestBody: Sendable {
    var bytes: [UInt8]
    var contentType: String

    static func json(_ value: some Encodable, method: String) throws -> RequestBody {
        do {
            return RequestBody(bytes: Array(try TelegramJSON.encoder.encode(value)), contentType: "application/json")
        } catch {
            // Encoding errors can quote values (a person's text): name the method only.
            throw BotAPIError.badRequest("the parameters of \(method) cannot be encoded as JSON")
        }
    }

    static func multipart(_ form: MultipartForm) -> RequestBody {
        let (bytes, contentType) = form.encoded()
        return RequestBody(bytes: bytes, contentType: contentType)
    }
}
