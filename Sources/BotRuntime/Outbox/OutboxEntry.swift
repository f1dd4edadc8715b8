import Foundation
import Synchronization
import Telegram

/// One reply as it waits in the durable outbox: a name unique to it, a newline, the call as
/// JSON. The name is what an acknowledgement matches, so two identical messages in a row are
/// still two entries, and an acknowledgement repeated after a timeout removes nothing twice.
struct OutboxEntry: Sendable {
    let call: BotCall?
    let text: String

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()

    /// Names: this process's own prefix and a counter.
    final class Namer: Sendable {
        private let prefix = UUID().uuidString.prefix(13)
        private let counter = Atomic<Int>(0)
        func next() -> String { "\(prefix)\(counter.add(1, ordering: .relaxed).newValue)" }
    }

    static func encode(_ call: BotCall, name: String) throws -> String {
        name + "\n" + String(decoding: try encoder.encode(call), as: UTF8.self)
    }

    /// `call` is nil when the stored text is not a call this version understands (written by
    /// a newer version, or damaged): it is acknowledged and skipped, never retried forever.
    init(_ text: String) {
        self.text = text
        guard let newline = text.firstIndex(of: "\n") else { call = nil; return }
        call = try? Self.decoder.decode(BotCall.self, from: Data(text[text.index(after: newline)...].utf8))
    }
}
