import Crypto
import Foundation

/// What a lookup hash is computed for; each kind has its own key, so equal strings of two
/// kinds never hash alike.
public enum PIIKind: String, Sendable, Hashable, CaseIterable {
    case iin
    case phone
    /// A one-time code the registry gives a patient to link their card in the bot.
    case linkCode = "link_code"
}

/// Encrypts IINs and phone numbers at rest and computes keyed hashes to find them again.
///
/// Subkeys are derived from the master key with HKDF-SHA256, one per purpose, so the
/// master key itself never keys a cipher or a MAC. Sealed values are
/// `version(1) ‖ nonce(12) ‖ ciphertext ‖ tag(16)`; the version byte leaves room to rotate the
/// key or the algorithm without guessing how an old row was written.
public struct PIICipher: Sendable {
    public static let environmentVariable = "PII_ENCRYPTION_KEY"
    public static let keyByteCount = 32
    static let formatVersion: UInt8 = 1
    static let overhead = 1 + 12 + 16

    // Raw bytes, not `SymmetricKey`: that type is not `Sendable` in swift-crypto 3, and a
    // cipher is shared by every request. A `SymmetricKey` is rebuilt per use, which is cheap.
    private let sealingKey: [UInt8]
    private let lookupKeys: [PIIKind: [UInt8]]
    /// Names the key without revealing it: an HMAC of a fixed label under a subkey of its own.
    /// Stored in the database (`PIIKeyGuard`) so a server started with another key is caught.
    public let fingerprint: [UInt8]
    /// Keys the MAC over state the instances share through Redis (the flow set): whoever can
    /// write to Redis but holds no PII key cannot make the instances run flows of their own.
    private let sharingKey: [UInt8]
    /// Keys the MAC of download links (`DocumentLink`): a link proves itself to any instance
    /// without a row per link, and no other MAC of this key can pass for one.
    private let linkKey: [UInt8]

    /// - Parameter variable: the name shown in errors; the key itself never is.
    public init(base64Key: String, variable: String = PIICipher.environmentVariable) throws {
        let trimmed = base64Key.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw PIIKeyError.missing(variable: variable) }
        guard let bytes = Data(base64Encoded: trimmed) else { throw PIIKeyError.notBase64(variable: variable) }
        guard bytes.count == Self.keyByteCount else {
            throw PIIKeyError.wrongLength(variable: variable, expectedBytes: Self.keyByteCount, actualBytes: bytes.count)
        }
        self.init(masterKey: SymmetricKey(data: bytes))
    }

    /// Reads the key from `PII_ENCRYPTION_KEY` (or `variable`) in `environment`.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        variable: String = PIICipher.environmentVariable
    ) throws -> PIICipher {
        guard let value = environment[variable] else { throw PIIKeyError.missing(variable: variable) }
        return try PIICipher(base64Key: value, variable: variable)
    }

    init(masterKey: SymmetricKey) {
        func derive(_ info: String) -> [UInt8] {
            HKDF<SHA256>.deriveKey(
                inputKeyMaterial: masterKey, salt: Data("clinic-bot".utf8), info: Data(info.utf8), outputByteCount: 32
            ).withUnsafeBytes { Array($0) }
        }
        sealingKey = derive("clinic-bot/pii/aes-256-gcm/v1")
        lookupKeys = Dictionary(uniqueKeysWithValues: PIIKind.allCases.map { ($0, derive("clinic-bot/pii/lookup/\($0.rawValue)/v1")) })
        sharingKey = derive("clinic-bot/shared-state/hmac/v1")
        linkKey = derive("clinic-bot/document-links/hmac/v1")
        fingerprint = Array(HMAC<SHA256>.authenticationCode(
            for: Data("clinic-bot pii key fingerprint".utf8), using: SymmetricKey(data: derive("clinic-bot/pii/fingerprint/v1"))))
    }

    /// HMAC-SHA256 of state shared through Redis, under a subkey of its own.
    public func authenticate(_ data: Data) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: sharingKey)))
    }

    /// HMAC-SHA256 of a download link's fields, under a subkey of its own.
    public func signLink(_ data: Data) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: linkKey)))
    }

    /// Encrypts `plaintext` with a fresh random nonce: sealing one value twice gives different bytes.
    public func seal(_ plaintext: String) throws -> [UInt8] {
        try seal(bytes: Data(plaintext.utf8))
    }

    public func open(_ sealed: [UInt8]) throws -> String {
        guard let text = String(data: Data(try open(bytes: sealed)), encoding: .utf8) else { throw PIIOpenError.notAuthentic }
        return text
    }

    /// Encrypts bytes (a document's file). `context` is authenticated, not stored: a sealed file
    /// opens only with the same context (its document's number), so files swapped between rows
    /// by someone who can write to the database do not open.
    public func seal(bytes: Data, context: String = "") throws -> [UInt8] {
        let key = SymmetricKey(data: sealingKey)
        let box = context.isEmpty
            ? try AES.GCM.seal(bytes, using: key)
            : try AES.GCM.seal(bytes, using: key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw PIIOpenError.truncated }  // only for non-12-byte nonces
        return [Self.formatVersion] + Array(combined)
    }

    public func open(bytes sealed: [UInt8], context: String = "") throws -> [UInt8] {
        guard sealed.count >= Self.overhead else { throw PIIOpenError.truncated }
        guard sealed[0] == Self.formatVersion else { throw PIIOpenError.unknownVersion(sealed[0]) }
        do {
            let box = try AES.GCM.SealedBox(combined: Data(sealed[1...]))
            let key = SymmetricKey(data: sealingKey)
            let plaintext = context.isEmpty
                ? try AES.GCM.open(box, using: key)
                : try AES.GCM.open(box, using: key, authenticating: Data(context.utf8))
            return Array(plaintext)
        } catch {
            throw PIIOpenError.notAuthentic
        }
    }

    /// HMAC-SHA256 of `value` under the subkey for `kind`: equal values give equal hashes, so a
    /// UNIQUE index and lookups work without the value being stored in clear. Pass values in
    /// their normalised form (an `IIN`'s digits, a `PhoneNumber`'s E.164 text).
    public func lookupHash(kind: PIIKind, value: String) -> [UInt8] {
        // The dictionary holds every case, filled in init.
        let key = SymmetricKey(data: lookupKeys[kind]!)
        return Array(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key))
    }
}
