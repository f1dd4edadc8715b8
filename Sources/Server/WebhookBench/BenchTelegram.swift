import Foundation
import Hummingbird
import NIOCore

/// A Bot API that answers at once, for the webhook benchmark: like a local Bot API server with
/// no limits. It remembers, per chat, the inline keyboard of the newest message, so simulated
/// patients can press the buttons the bot really sent.
actor BenchTelegramState {
    struct Sent {
        let sequence: Int
        let messageID: Int64
        /// callback_data of the inline buttons; empty when the message has none.
        let tokens: [String]
    }

    private var sequences: [Int64: Int] = [:]
    private var lastQuestion: [Int64: Sent] = [:]
    private var lastAny: [Int64: Sent] = [:]
    private var waiters: [Int64: [(after: Int, inline: Bool, continuation: CheckedContinuation<Sent, Never>)]] = [:]
    private var nextMessageID: Int64 = 1
    private(set) var calls = 0

    func sequence(of chat: Int64) -> Int { sequences[chat, default: 0] }

    /// Records a call; a sendMessage is numbered within its chat. Returns the message id.
    func received(chat: Int64?, tokens: [String]) -> Int64 {
        calls += 1
        nextMessageID += 1
        guard let chat else { return nextMessageID }
        let sequence = sequences[chat, default: 0] + 1
        sequences[chat] = sequence
        let sent = Sent(sequence: sequence, messageID: nextMessageID, tokens: tokens)
        lastAny[chat] = sent
        if !tokens.isEmpty { lastQuestion[chat] = sent }
        var waiting = waiters.removeValue(forKey: chat) ?? []
        waiting.removeAll { waiter in
            guard waiter.after < sequence, !waiter.inline || !tokens.isEmpty else { return false }
            waiter.continuation.resume(returning: sent)
            return true
        }
        if !waiting.isEmpty { waiters[chat] = waiting }
        return nextMessageID
    }

    /// The first message to `chat` after number `after` (with inline buttons, if `inline`).
    func message(to chat: Int64, after: Int, inline: Bool) async -> Sent {
        if let sent = inline ? lastQuestion[chat] : lastAny[chat], sent.sequence > after { return sent }
        return await withCheckedContinuation { waiters[chat, default: []].append((after, inline, $0)) }
    }

    func forget(_ chat: Int64) {
        sequences[chat] = nil
        lastQuestion[chat] = nil
        lastAny[chat] = nil
    }
}

enum BenchTelegram {
    static func application(state: BenchTelegramState, port: Int) -> some ApplicationProtocol {
        let router = Router()
        router.post("/:bot/:method") { request, context -> Response in
            let method = context.parameters.get("method") ?? ""
            let body = try await request.body.collect(upTo: 1 << 22)
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            let chat = (json["chat_id"] as? NSNumber)?.int64Value
            var tokens: [String] = []
            if let markup = json["reply_markup"] as? [String: Any], let rows = markup["inline_keyboard"] as? [[[String: Any]]] {
                tokens = rows.flatMap { $0.compactMap { $0["callback_data"] as? String } }
            }
            let result: String
            switch method {
            case "getMe":
                result = #"{"id":1,"is_bot":true,"first_name":"Bench","username":"bench_bot"}"#
            case "sendMessage", "editMessageText", "sendDocument":
                let id = await state.received(chat: method == "sendMessage" ? chat : nil, tokens: method == "sendMessage" ? tokens : [])
                result = #"{"message_id":\#(id),"date":0,"chat":{"id":\#(chat ?? 0),"type":"private"}}"#
            default:
                _ = await state.received(chat: nil, tokens: [])
                result = "true"
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"ok":true,"result":\#(result)}"#)))
        }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bench-telegram"))
    }
}
