import Foundation

/// A download link's proof: which document, for which patient, until when — signed, so any
/// instance checks it without a row per link, and nothing in it can be changed or moved to
/// another document or patient. The token is
/// `base64url(version(1) ‖ document(8) ‖ patient(8) ‖ expiry seconds(8) ‖ HMAC-SHA256(32))`,
/// the MAC under the PII key's link subkey (`PIICipher.signLink`).
public struct DocumentLink: Sendable, Hashable {
    public static let lifetime: TimeInterval = 48 * 3600
    static let version: UInt8 = 1
    static let byteCount = 1 + 8 + 8 + 8 + 32

    public let documentID: Int64
    public let patientID: Int64
    /// Whole seconds: the token carries no more.
    public let expires: Date

    public init(documentID: Int64, patientID: Int64, expires: Date) {
        self.documentID = documentID
        self.patientID = patientID
        self.expires = Date(timeIntervalSince1970: expires.timeIntervalSince1970.rounded(.down))
    }

    /// A link valid for `lifetime` from `now`.
    public static func issue(documentID: Int64, patientID: Int64, now: Date = Date()) -> DocumentLink {
        DocumentLink(documentID: documentID, patientID: patientID, expires: now.addingTimeInterval(lifetime))
    }

    public func token(_ cipher: PIICipher) -> String {
        let fields = self.fields
        return Self.base64url(fields + cipher.signLink(Data(fields)))
    }

    /// What a token proves.
    public enum Check: Sendable, Hashable {
        case valid(DocumentLink)
        /// Signed by us, for this document, but out of date.
        case expired
        /// Not ours, altered, or for another document: nothing more is said.
        case invalid
    }

    /// Checks `token` for the document of the path it came with. The MAC is checked before
    /// anything it covers is believed, and in constant time.
    public static func check(_ token: String, documentID: Int64, cipher: PIICipher, now: Date = Date()) -> Check {
        guard token.utf8.count <= 128, let bytes = Self.bytes(base64url: token), bytes.count == byteCount, bytes[0] == version else {
            return .invalid
        }
        let fields = Array(bytes[0..<(byteCount - 32)])
        guard constantTimeEquals(bytes[(byteCount - 32)...], cipher.signLink(Data(fields))) else { return .invalid }
        let link = DocumentLink(
            documentID: Int64(bigEndian: fields[1..<9]), patientID: Int64(bigEndian: fields[9..<17]),
            expires: Date(timeIntervalSince1970: TimeInterval(Int64(bigEndian: fields[17..<25]))))
        guard link.documentID == documentID else { return .invalid }
        return now < link.expires ? .valid(link) : .expired
    }

    private var fields: [UInt8] {
        [Self.version] + Self.bigEndian(documentID) + Self.bigEndian(patientID) + Self.bigEndian(Int64(expires.timeIntervalSince1970))
    }

    private static func bigEndian(_ value: Int64) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func bytes(base64url text: String) -> [UInt8]? {
        guard text.utf8.allSatisfy({ $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }
}

extension Int64 {
    init(bigEndian bytes: ArraySlice<UInt8>) {
        self = bytes.reduce(0) { $0 << 8 | Int64($1) }
    }
}
