import Foundation
import Hummingbird
import NIOCore

/// A Bot API that keeps Telegram's broadcast limit, for the reminders benchmark: a message
/// beyond 30 in any one second is refused with 429 and `retry_after`, as Telegram does. It
/// counts what each chat received and when.
actor LimitedTelegramState {
    /// Messages each chat received.
    private(set) var received: [Int64: Int] = [:]
    private(set) var refused = 0
    private(set) var first: ContinuousClock.Instant?
    private(set) var last: ContinuousClock.Instant?
    /// The instants of the last `perSecond` messages accepted, oldest first.
    private var window: [ContinuousClock.Instant] = []
    let perSecond: Int

    init(perSecond: Int = 30) { self.perSecond = perSecond }

    /// True when accepted; false when it is one too many this second.
    func message(to chat: Int64) -> Bool {
        let now = ContinuousClock.now
        if window.count == perSecond, now - window[0] < .seconds(1) {
            refused += 1
            return false
        }
        if window.count == perSecond { window.removeFirst() }
        window.append(now)
        received[chat, default: 0] += 1
        if first == nil { first = now }
        last = now
        return true
    }

    var chats: Int { received.count }
    var messages: Int { received.values.reduce(0, +) }
    var repeated: Int { received.values.filter { $0 > 1 }.count }
}

enum LimitedTelegram {
    static func application(state: LimitedTelegramState, port: Int) -> some ApplicationProtocol {
        let router = Router()
        router.post("/:bot/:method") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            let body = try await request.body.collect(upTo: 1 << 22)
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            let chat = (json["chat_id"] as? NSNumber)?.int64Value ?? 0
            let answer: String
            switch method {
            case "getMe":
                answer = #"{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"Bench","username":"bench_bot"}}"#
            case "sendMessage", "sendDocument":
                guard await state.message(to: chat) else {
                    return Response(status: .tooManyRequests, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(
                        string: #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"#)))
                }
                answer = #"{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":\#(chat),"type":"private"}}}"#
            default:
                answer = #"{"ok":true,"result":true}"#
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "limited-telegram"))
    }
}
