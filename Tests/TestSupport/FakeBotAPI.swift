import Foundation
import Hummingbird
import Logging
import LoopbackServer
import NIOCore
import Telegram

/// What the fake answers instead of success, for the next calls of a method.
public enum FakeAnswer: Sendable {
    case tooManyRequests(retryAfter: Int)
    case serverError
    case blocked
    case notModified
    case cannotEdit
    case unauthorized
    /// Waits, then answers as usual: for timeouts and slow chats.
    case delay(Duration)
    /// Anything at all, JSON or not.
    case raw(status: Int, body: String)
}

/// One call the fake received, as it arrived.
public struct RecordedCall: Sendable {
    public var method: String
    public var token: String
    public var contentType: String
    public var body: [UInt8]
    public var at: ContinuousClock.Instant
    public var chatId: Int64?

    /// The JSON body as Foundation objects (for checking the exact keys sent).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    public var text: String? { json["text"] as? String }

    /// The multipart/form-data fields by name.
    public var fields: [String: MultipartField] { MultipartField.parse(body, contentType: contentType) }
}

public struct MultipartField: Sendable, Equatable {
    public var bytes: [UInt8]
    public var fileName: String?
    public var contentType: String?
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// A small RFC 7578 reader, independent of the client's writer so it checks it.
    public static func parse(_ body: [UInt8], contentType: String) -> [String: MultipartField] {
        guard contentType.hasPrefix("multipart/form-data"),
              let range = contentType.range(of: "boundary=") else { return [:] }
        let delimiter = Array("--\(contentType[range.upperBound...])".utf8)
        var fields: [String: MultipartField] = [:]
        var starts: [Int] = []
        var index = 0
        while index + delimiter.count <= body.count {
            if body[index..<index + delimiter.count].elementsEqual(delimiter) {
                starts.append(index)
                index += delimiter.count
            } else {
                index += 1
            }
        }
        for (start, end) in zip(starts, starts.dropFirst()) {
            // "--boundary\r\n" headers "\r\n\r\n" content "\r\n" (before the next delimiter)
            let part = Array(body[(start + delimiter.count + 2)..<(end - 2)])
            guard let split = find([13, 10, 13, 10], in: part) else { continue }
            let headers = String(decoding: part[..<split], as: UTF8.self)
            let content = Array(part[(split + 4)...])
            var name: String?
            var field = MultipartField(bytes: content)
            for line in headers.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = parameter("name", in: line)
                    field.fileName = parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    field.contentType = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            if let name { fields[name] = field }
        }
        return fields
    }

    private static func parameter(_ key: String, in line: String) -> String? {
        guard let range = line.range(of: "; \(key)=\"") else { return nil }
        let rest = line[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}

/// An in-process Bot API on 127.0.0.1 that records every call and answers as scripted.
public actor FakeBotAPI {
    public static let token = "123456789:AAF-secret-test-token_xyz"

    public private(set) var calls: [RecordedCall] = []
    private var script: [(method: String, chat: Int64?, answer: FakeAnswer)] = []
    private var nextMessageId: Int64 = 100
    /// The `result` of getUpdates, as JSON.
    public var updatesJSON = "[]"

    public func calls(_ method: String) -> [RecordedCall] { calls.filter { $0.method == method } }

    /// The next `times` calls of `method` (of `chat` only, if given) get `answer`.
    public func answer(_ method: String, with answer: FakeAnswer, times: Int = 1, chat: Int64? = nil) {
        script += Array(repeating: (method, chat, answer), count: times)
    }

    public func setUpdates(_ json: String) { updatesJSON = json }

    private func handle(_ call: RecordedCall) async -> (status: Int, body: String) {
        calls.append(call)
        if let index = script.firstIndex(where: { $0.method == call.method && ($0.chat == nil || $0.chat == call.chatId) }) {
            let answer = script.remove(at: index).answer
            switch answer {
            case .tooManyRequests(let seconds):
                return (429, #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after \#(seconds)","parameters":{"retry_after":\#(seconds)}}"#)
            case .serverError:
                return (500, #"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#)
            case .blocked:
                return (403, #"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#)
            case .notModified:
                return (400, #"{"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"}"#)
            case .cannotEdit:
                return (400, #"{"ok":false,"error_code":400,"description":"Bad Request: message can't be edited"}"#)
            case .unauthorized:
                return (401, #"{"ok":false,"error_code":401,"description":"Unauthorized"}"#)
            case .raw(let status, let body):
                return (status, body)
            case .delay(let duration):
                try? await Task.sleep(for: duration)
            }
        }
        return (200, #"{"ok":true,"result":\#(result(for: call))}"#)
    }

    private func result(for call: RecordedCall) -> String {
        switch call.method {
        case "sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument":
            let id: Int64
            if call.method.hasPrefix("edit"), let edited = (call.json["message_id"] as? NSNumber)?.int64Value {
                id = edited
            } else {
                nextMessageId += 1
                id = nextMessageId
            }
            return #"{"message_id":\#(id),"date":1732500000,"chat":{"id":\#(call.chatId ?? 0),"type":"private"},"from":{"id":42,"is_bot":true,"first_name":"Clinic"}}"#
        case "getMe":
            return #"{"id":42,"is_bot":true,"first_name":"Clinic","username":"clinic_test_bot","can_join_groups":false}"#
        case "getUpdates":
            return updatesJSON
        default:
            return "true"
        }
    }

    /// Runs `body` against a fake served on 127.0.0.1 at a free port; `baseURL` has no token.
    public static func serve<T: Sendable>(_ body: @Sendable (_ fake: FakeBotAPI, _ baseURL: String) async throws -> T) async throws -> T {
        let fake = FakeBotAPI()
        let router = Router()
        router.post("**") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 64 << 20)
            // "/bot<token>/<method>"
            let segments = request.uri.path.split(separator: "/")
            let token = segments.first.map { String($0.dropFirst(3)) } ?? ""
            let method = segments.count > 1 ? String(segments[1]) : ""
            let contentType = request.headers[.contentType] ?? ""
            var call = RecordedCall(method: method, token: token, contentType: contentType, body: Array(bytes.readableBytesView), at: .now)
            call.chatId = (call.json["chat_id"] as? NSNumber)?.int64Value ?? call.fields["chat_id"].flatMap { Int64($0.text) }
            let (status, json) = await fake.handle(call)
            return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        return try await LoopbackServer.serve(router, name: "fake-bot-api") { port in
            try await body(fake, "http://127.0.0.1:\(port)")
        }
    }
}

extension RetryPolicy {
    /// Retries quickly, so failure tests stay short.
    public static let fast = RetryPolicy(attempts: 3, baseDelay: .milliseconds(200), maxDelay: .milliseconds(400), maxRetryAfter: .seconds(5))
}

extension BotAPIClient {
    public static func fake(_ baseURL: String, retry: RetryPolicy = .fast, logger: Logger = Logger(label: "test.telegram")) -> BotAPIClient {
        BotAPIClient(baseURL: baseURL, token: FakeBotAPI.token, retry: retry, logger: logger)
    }
}
