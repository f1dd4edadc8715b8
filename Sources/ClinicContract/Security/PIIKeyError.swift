/// Why the PII key could not be loaded. Names the variable, never its value.
public enum PIIKeyError: PIIFreeError, Sendable, Hashable, CustomStringConvertible {
    case missing(variable: String)
    case notBase64(variable: String)
    case wrongLength(variable: String, expectedBytes: Int, actualBytes: Int)

    public var description: String {
        switch self {
        case .missing(let variable):
            return "\(variable) is not set: it must hold a base64-encoded 32-byte key (e.g. `openssl rand -base64 32`)"
        case .notBase64(let variable):
            return "\(variable) is not valid base64: it must hold a base64-encoded 32-byte key"
        case .wrongLength(let variable, let expected, let actual):
            return "\(variable) decodes to \(actual) bytes; a key of exactly \(expected) bytes is required"
        }
    }
}

/// Why a sealed value could not be opened.
public enum PIIOpenError: PIIFreeError, Sendable, Hashable, CustomStringConvertible {
    /// Shorter than a version byte, a nonce and a tag.
    case truncated
    /// Sealed by a format this build does not know (a key rotation this build predates).
    case unknownVersion(UInt8)
    /// The tag does not verify: the bytes were altered, or sealed under another key.
    case notAuthentic

    public var description: String {
        switch self {
        case .truncated: return "sealed value is truncated"
        case .unknownVersion(let v): return "sealed value has unknown format version \(v)"
        case .notAuthentic: return "sealed value failed authentication (altered, or another key)"
        }
    }
}
