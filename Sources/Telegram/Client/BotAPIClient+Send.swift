import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore

/// The retry loop: one HTTP attempt after another until an answer is final.
extension BotAPIClient {
    /// Answers larger than this are not the Bot API's (100 updates are well under 1 MiB).
    static let maxResponseBytes = 16 * 1024 * 1024

    func send<Result: Decodable & Sendable>(
        _ method: String, _ body: RequestBody, as: Result.Type, timeout: Duration, policy: RetryPolicy
    ) async throws -> Result {
        var request = HTTPClientRequest(url: "\(baseURL)/bot\(token)/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: body.contentType)
        request.body = .bytes(ByteBuffer(bytes: body.bytes))

        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            Counter(label: "telegram_api_calls_total", dimensions: [("method", method)]).increment()
            let outcome: Outcome<Result> = try await self.attempt(request, method: method, timeout: timeout)
            switch outcome {
            case .success(let result):
                return result

            case .failure(let error):
                // "message is not modified" is a success to the caller; it is no error to count.
                if error.isNotModified {
                    logger.debug("Bot API: nothing to modify", metadata: ["method": "\(method)"])
                } else {
                    countError(method, code: Self.metricCode(error))
                    logger.log(level: Self.logLevel(error), "Bot API call failed",
                               metadata: ["method": "\(method)", "attempt": "\(attempt)", "error": "\(error)"])
                }
                throw error

            case .rateLimited(let seconds):
                countError(method, code: "429")
                let wait = Duration.seconds(max(seconds, 0))
                if wait > policy.maxRetryAfter || attempt >= policy.attempts {
                    logger.warning("Bot API rate limit: giving up",
                                   metadata: ["method": "\(method)", "attempt": "\(attempt)", "retry_after": "\(seconds)"])
                    throw BotAPIError.rateLimited(retryAfter: seconds)
                }
                logger.warning("Bot API rate limit: waiting before the retry",
                               metadata: ["method": "\(method)", "attempt": "\(attempt)", "retry_after": "\(seconds)"])
                try await Task.sleep(for: wait)

            case .transient(let reason, let code):
                countError(method, code: code)
                if attempt >= policy.attempts {
                    logger.error("Bot API unavailable: giving up",
                                 metadata: ["method": "\(method)", "attempt": "\(attempt)", "error": "\(reason)"])
                    throw BotAPIError.unavailable(reason)
                }
                let delay = policy.backoff(after: attempt)
                logger.warning("Bot API unavailable: retrying",
                               metadata: ["method": "\(method)", "attempt": "\(attempt)", "error": "\(reason)", "delay": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    /// What one attempt came to.
    enum Outcome<Result> {
        case success(Result)
        /// 429: worth a retry after this many seconds.
        case rateLimited(Int)
        /// 5xx, connection error, timeout: worth a retry after a back-off. `code` is the metric's.
        case transient(String, code: String)
        /// Final: retrying cannot help.
        case failure(BotAPIError)
    }

    private func attempt<Result: Decodable & Sendable>(
        _ request: HTTPClientRequest, method: String, timeout: Duration
    ) async throws -> Outcome<Result> {
        let status: Int
        let bytes: ByteBuffer
        do {
            // No logger passed on purpose: AsyncHTTPClient's own debug logs carry the URL.
            let response = try await httpClient.execute(request, deadline: .now() + TimeAmount(timeout))
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .transient(scrubbed(String(describing: error)), code: Self.isTimeout(error) ? "timeout" : "network")
        }
        return Self.classify(status: status, body: Data(bytes.readableBytesView), as: Result.self)
    }

    /// Sorts an HTTP answer into the outcome of the attempt.
    static func classify<Result: Decodable & Sendable>(status: Int, body: Data, as: Result.Type) -> Outcome<Result> {
        let decoder = TelegramJSON.decoder
        guard let envelope = try? decoder.decode(BotAPIResponse<Ignored>.self, from: body) else {
            // A proxy's HTML error page in front of the API is as transient as a 5xx of its own.
            if status >= 500 { return .transient("HTTP \(status)", code: "5xx") }
            return .failure(.invalidResponse("HTTP \(status), not Bot API JSON"))
        }
        if envelope.ok {
            do {
                guard let result = try decoder.decode(BotAPIResponse<Result>.self, from: body).result else {
                    return .failure(.invalidResponse("ok without a result"))
                }
                return .success(result)
            } catch {
                return .failure(.invalidResponse("the result is not a \(Result.self)"))
            }
        }
        guard let code = envelope.errorCode ?? (status == 200 ? nil : status) else {
            return .failure(.invalidResponse("ok: false without an error code"))
        }
        let text = envelope.description ?? "HTTP \(code)"
        switch code {
        case 429: return .rateLimited(envelope.parameters?.retryAfter ?? 1)
        case 500...: return .transient(text, code: "5xx")
        case 403: return .failure(.blocked(text))
        case 401, 404: return .failure(.unauthorized)
        default: return .failure(.badRequest(text))
        }
    }

    private func countError(_ method: String, code: String) {
        Counter(label: "telegram_api_errors_total", dimensions: [("method", method), ("code", code)]).increment()
    }

    static func metricCode(_ error: BotAPIError) -> String {
        switch error {
        case .blocked: return "403"
        case .badRequest: return "400"
        case .unauthorized: return "401"
        case .rateLimited: return "429"
        case .unavailable: return "5xx"
        case .invalidResponse: return "invalid"
        }
    }

    /// A blocked person or a refused edit is routine, the caller deals with it; a wrong token
    /// or an API that answers nonsense needs someone to look.
    static func logLevel(_ error: BotAPIError) -> Logger.Level {
        switch error {
        case .blocked, .badRequest: return .info
        case .rateLimited: return .warning
        case .unauthorized, .unavailable, .invalidResponse: return .error
        }
    }

    static func isTimeout(_ error: any Error) -> Bool {
        guard let error = error as? HTTPClientError else { return false }
        return [.deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .getConnectionFromPoolTimeout].contains(error)
    }
}

/// Decodes any JSON value and keeps nothing: to read the envelope of an answer whose result
/// does not concern the check.
struct Ignored: Decodable, Sendable {
    init(from decoder: any Decoder) throws {}
}

extension TimeAmount {
    /// A Swift `Duration` as NIO's nanoseconds, saturating instead of overflowing.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self = overflow ? .nanoseconds(.max) : .nanoseconds(nanos.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue)
    }
}
