import AsyncHTTPClient
import FlowEngine
import Foundation
import NIOCore

/// One simulated patient registering through the webhook, as a person would: each update
/// waits for the bot's answer, and buttons are pressed from the keyboard the bot sent.
struct BenchPatient {
    enum Input {
        case command(String)
        case text(String)
        case button(Int)
    }

    let chat: Int64
    let iin: String
    let birthDate: String

    /// /start, language, names, middle name skipped, phone, birth date, sex, IIN, three consents.
    var script: [Input] {
        [.command("/start"), .button(0), .text("Айгерим"), .text("Сапарова"), .button(0), .text("8 701 \(100 + chat % 900) 45 67"),
         .text(birthDate), .button(1), .text(iin), .button(0), .button(0), .button(1)]
    }

    /// A valid IIN of a woman born on 05.03.1990 with this serial, or nil when no check digit fits.
    static func iin(serial: Int) -> String? {
        let stem = "9003054" + String(format: "%04d", serial % 10_000)
        for check in 0...9 where (try? IIN(stem + String(check))) != nil { return stem + String(check) }
        return nil
    }
}

/// Posts updates to the webhook and measures each answer.
struct BenchWebhookClient: Sendable {
    let http: HTTPClient
    let url: String
    let secret: String

    /// Returns the latency in nanoseconds and the HTTP status.
    func post(_ json: String) async throws -> (UInt64, UInt) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Telegram-Bot-Api-Secret-Token", value: secret)
        request.body = .bytes(ByteBuffer(string: json))
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await http.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 16)
        return (DispatchTime.now().uptimeNanoseconds - start, response.status.code)
    }
}

enum BenchUpdates {
    static func message(id: Int64, chat: Int64, text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return #"{"update_id":\#(id),"message":{"message_id":\#(id),"date":0,"chat":{"id":\#(chat),"type":"private"},"from":{"id":\#(chat),"is_bot":false,"first_name":"Bench","language_code":"ru"},"text":"\#(escaped)"}}"#
    }

    static func press(id: Int64, chat: Int64, messageID: Int64, data: String) -> String {
        #"{"update_id":\#(id),"callback_query":{"id":"cb\#(id)","chat_instance":"1","data":"\#(data)","from":{"id":\#(chat),"is_bot":false,"first_name":"Bench","language_code":"ru"},"message":{"message_id":\#(messageID),"date":0,"chat":{"id":\#(chat),"type":"private"}}}}"#
    }
}
