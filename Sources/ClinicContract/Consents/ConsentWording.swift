import Crypto
import FlowEngine

/// The exact text a patient agreed to (or withdrew from): where it came from and its SHA-256,
/// so the clinic can show later which words were on the screen — or on the desk's paper form.
public struct ConsentWording: Sendable, Hashable {
    /// The locale key of a text the bot showed (`registration.consent_personal_data`), or the
    /// name of the form version a desk or an API client used.
    public let key: String
    /// SHA-256 of the text, UTF-8, exactly as shown.
    public let sha256: [UInt8]
    /// The language it was shown in; nil when the caller did not say (a paper form).
    public let language: String?

    /// A text the bot showed: hashed here, so the hash is of what the person saw.
    public init(key: String, text: String, language: String?) {
        self.key = key
        self.sha256 = Array(SHA256.hash(data: Array(text.utf8)))
        self.language = language
    }

    /// What a flow's `wording('key')` gives: `{key, text}`, the text in the language shown.
    public init(shown value: Value, language: String) throws(InvalidInput) {
        guard let key = value["key"].stringValue, let text = value["text"].stringValue, !key.isEmpty, text != key else {
            throw InvalidInput(field: "text", reason: "must be wording('a.locale.key'): the text the person was shown")
        }
        self.init(key: key, text: text, language: language)
    }

    /// A text shown elsewhere, identified by its hash (64 hex digits).
    public init(key: String, sha256Hex: String, language: String?) throws(InvalidInput) {
        guard let bytes = Hex.decode(sha256Hex), bytes.count == 32 else {
            throw InvalidInput(field: "consent_text.sha256", reason: "must be the SHA-256 of the text: 64 hex digits")
        }
        guard !key.isEmpty, key.utf8.count <= 200 else {
            throw InvalidInput(field: "consent_text.key", reason: "must name the text shown, at most 200 bytes")
        }
        self.key = key
        self.sha256 = bytes
        self.language = language
    }

    /// A wording read back from the ledger.
    public init(key: String, sha256: [UInt8], language: String?) {
        self.key = key
        self.sha256 = sha256
        self.language = language
    }

    public var sha256Hex: String {
        Hex.encode(sha256)
    }
}
