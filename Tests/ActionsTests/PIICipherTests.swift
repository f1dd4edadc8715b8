@testable import ClinicPostgres
@testable import FlowActions
import Foundation
import Testing

@Suite("PII cipher")
struct PIICipherTests {
    let key = TestData.key()

    @Test("sealed text opens to the same text, Cyrillic included")
    func roundTrip() throws {
        let cipher = try PIICipher(base64Key: key)
        for text in ["900315300123", "+77011234567", "Ержан Қазыбек", ""] {
            #expect(try cipher.open(cipher.seal(text)) == text)
        }
    }

    @Test("sealing twice gives different bytes, neither containing the text")
    func freshNonce() throws {
        let cipher = try PIICipher(base64Key: key)
        let a = try cipher.seal("900315300123")
        let b = try cipher.seal("900315300123")
        #expect(a != b)
        #expect(a.count == 1 + 12 + 12 + 16)
        #expect(a.first == 1)
        #expect(!String(decoding: a, as: UTF8.self).contains("900315300123"))
    }

    @Test("any altered byte makes open throw", arguments: [1, 5, 13, 20, 24, 30, 40])
    func tamper(_ index: Int) throws {
        let cipher = try PIICipher(base64Key: key)
        var sealed = try cipher.seal("900315300123")
        sealed[index % sealed.count] ^= 0x01
        #expect(throws: PIIOpenError.notAuthentic) { try cipher.open(sealed) }
    }

    @Test("an unknown version and a truncated value are refused")
    func malformed() throws {
        let cipher = try PIICipher(base64Key: key)
        var sealed = try cipher.seal("900315300123")
        #expect(throws: PIIOpenError.truncated) { try cipher.open(Array(sealed.prefix(28))) }
        sealed[0] = 2
        #expect(throws: PIIOpenError.unknownVersion(2)) { try cipher.open(sealed) }
    }

    @Test("another key cannot open")
    func wrongKey() throws {
        let sealed = try PIICipher(base64Key: key).seal("900315300123")
        let other = try PIICipher(base64Key: TestData.key())
        #expect(throws: PIIOpenError.notAuthentic) { try other.open(sealed) }
    }

    @Test("lookup hashes are stable per key and differ between kinds and keys")
    func lookupHash() throws {
        let a = try PIICipher(base64Key: key)
        let b = try PIICipher(base64Key: key)
        let hash = a.lookupHash(kind: .iin, value: "900315300123")
        #expect(hash.count == 32)
        #expect(constantTimeEquals(hash, b.lookupHash(kind: .iin, value: "900315300123")))
        #expect(hash != a.lookupHash(kind: .phone, value: "900315300123"))
        #expect(hash != a.lookupHash(kind: .iin, value: "900315300124"))
        #expect(hash != (try PIICipher(base64Key: TestData.key())).lookupHash(kind: .iin, value: "900315300123"))
    }

    @Test("a known key gives a known hash (changing the derivation would orphan every stored row)")
    func hashIsPinned() throws {
        let cipher = try PIICipher(base64Key: Data(repeating: 7, count: 32).base64EncodedString())
        let hex = cipher.lookupHash(kind: .iin, value: "900315300123").map { String(format: "%02x", $0) }.joined()
        #expect(hex == PIICipherTests.pinnedIINHash)
    }
    /// Computed independently with Python's `hmac` (HKDF per RFC 5869, then HMAC-SHA256).
    static let pinnedIINHash = "d6713c5042b9d7ae84f070bebd2bfa67da4cc90900941fa8b442f527daa50dd0"

    @Test("bad keys are clear errors naming the variable, never the value", arguments: [
        ("not base64!!", PIIKeyError.notBase64(variable: "PII_ENCRYPTION_KEY")),
        (Data(repeating: 1, count: 16).base64EncodedString(), .wrongLength(variable: "PII_ENCRYPTION_KEY", expectedBytes: 32, actualBytes: 16)),
        ("", .missing(variable: "PII_ENCRYPTION_KEY")),
    ])
    func badKeys(_ key: String, _ expected: PIIKeyError) {
        #expect(throws: expected) { try PIICipher(base64Key: key) }
        #expect(expected.description.contains("PII_ENCRYPTION_KEY"))
        if !key.isEmpty { #expect(!expected.description.contains(key)) }
    }

    @Test("the key is read from PII_ENCRYPTION_KEY")
    func environment() throws {
        #expect(throws: PIIKeyError.missing(variable: "PII_ENCRYPTION_KEY")) { try PIICipher.fromEnvironment([:]) }
        let fromEnv = try PIICipher.fromEnvironment(["PII_ENCRYPTION_KEY": key + "\n"])
        #expect(try fromEnv.open(PIICipher(base64Key: key).seal("x")) == "x")
    }

    @Test("constant-time comparison agrees with ==", arguments: [("abc", "abc", true), ("abc", "abd", false), ("abc", "ab", false), ("", "", true)])
    func constantTime(_ a: String, _ b: String, _ equal: Bool) {
        #expect(constantTimeEquals(a, b) == equal)
    }
}
