import Crypto
import Foundation

/// The signature a redirect provider puts on its callbacks (and we on our payment links):
/// `X-Signature: sha256=<hex HMAC-SHA256(secret, "<X-Signature-Timestamp>.<raw body>")>`, the
/// timestamp in Unix seconds. Checked over the raw bytes before anything is parsed, in constant
/// time; a timestamp outside the window is refused, so a recorded callback cannot be replayed
/// later (and within the window a replay changes nothing: payments are idempotent).
public struct PaymentSignature: Sendable {
    // Bytes, not `SymmetricKey` (not `Sendable` in swift-crypto 3); rebuilt per use.
    private let key: [UInt8]
    /// How far a callback's timestamp may be from our clock, either way.
    public let window: TimeInterval

    public static let timestampHeader = "X-Signature-Timestamp"
    public static let signatureHeader = "X-Signature"

    public init(secret: String, window: TimeInterval = 300) {
        key = Array(secret.utf8)
        self.window = window
    }

    public enum Check: Sendable, Equatable {
        case valid
        /// No signature, a malformed one, or one that does not match.
        case invalid
        /// Signed, but too old (or from too far in the future).
        case stale
    }

    /// The header value for `body` sent at `timestamp`.
    public func sign(_ body: some Collection<UInt8>, timestamp: Int64) -> String {
        "sha256=" + Hex.encode(mac(body, timestamp: timestamp))
    }

    public func check(_ body: some Collection<UInt8>, timestamp header: String?, signature: String?, now: Date = Date()) -> Check {
        guard let header, let timestamp = Int64(header), header.utf8.count <= 12,
              let signature, signature.hasPrefix("sha256="),
              let given = Hex.decode(String(signature.dropFirst("sha256=".count))), given.count == SHA256.byteCount
        else { return .invalid }
        // The MAC first: an unsigned request learns nothing, not even whether its time was right.
        guard constantTimeEquals(given, mac(body, timestamp: timestamp)) else { return .invalid }
        return abs(now.timeIntervalSince1970 - Double(timestamp)) <= window ? .valid : .stale
    }

    private func mac(_ body: some Collection<UInt8>, timestamp: Int64) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: key))
        hmac.update(data: Array("\(timestamp).".utf8))
        hmac.update(data: Array(body))
        return Array(hmac.finalize())
    }
}
