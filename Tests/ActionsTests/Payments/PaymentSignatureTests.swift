@testable import ClinicPostgres
@testable import FlowActions
import Foundation
import Testing

@Suite("Bank callback signatures: HMAC-SHA-256 over the timestamp and the raw body, within five minutes")
struct PaymentSignatureTests {
    static let secret = "s3cret-of-the-bank-0123456789abcdef"
    static let body = Array(#"{"transaction_id":"T-1","order":"abc","amount":1500000,"currency":"KZT","status":"paid"}"#.utf8)
    static let at = Date(timeIntervalSince1970: 1_796_000_000)
    /// Computed with Python's hmac module, not with the code under test.
    static let expected = "sha256=ab14d6fda94f217d87e40587c7bd85f5c06b64d111a277323c5228d174d4ad55"

    @Test("the signature is the one an independent HMAC gives, and it checks out")
    func knownAnswer() {
        let signature = PaymentSignature(secret: Self.secret)
        #expect(signature.sign(Self.body, timestamp: 1_796_000_000) == Self.expected)
        #expect(signature.check(Self.body, timestamp: "1796000000", signature: Self.expected, now: Self.at) == .valid)
        #expect(signature.check(Self.body, timestamp: "1796000000", signature: Self.expected.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="),
                                now: Self.at) == .valid)
    }

    @Test("an altered body, another secret, another timestamp or a malformed header is invalid")
    func forged() {
        let signature = PaymentSignature(secret: Self.secret)
        var altered = Self.body
        altered[altered.count - 3] = UInt8(ascii: "x")
        #expect(signature.check(altered, timestamp: "1796000000", signature: Self.expected, now: Self.at) == .invalid)
        #expect(PaymentSignature(secret: "another-secret-0123456789abcdef0123").check(Self.body, timestamp: "1796000000", signature: Self.expected, now: Self.at) == .invalid)
        #expect(signature.check(Self.body, timestamp: "1796000001", signature: Self.expected, now: Self.at) == .invalid)
        for header in [nil, "", "sha256=", "sha256=zz", "ab14d6fda94f217d87e40587c7bd85f5c06b64d111a277323c5228d174d4ad55", "sha1=ab14", String(Self.expected.dropLast(2))] {
            #expect(signature.check(Self.body, timestamp: "1796000000", signature: header, now: Self.at) == .invalid)
        }
        for timestamp in [nil, "", "soon", "1796000000.0", "-1796000000000000000000"] {
            #expect(signature.check(Self.body, timestamp: timestamp, signature: Self.expected, now: Self.at) == .invalid)
        }
    }

    @Test("a callback signed more than five minutes from now, either way, is stale — but only once its signature is right")
    func stale() {
        let signature = PaymentSignature(secret: Self.secret)
        #expect(signature.check(Self.body, timestamp: "1796000000", signature: Self.expected, now: Self.at.addingTimeInterval(300)) == .valid)
        #expect(signature.check(Self.body, timestamp: "1796000000", signature: Self.expected, now: Self.at.addingTimeInterval(301)) == .stale)
        #expect(signature.check(Self.body, timestamp: "1796000000", signature: Self.expected, now: Self.at.addingTimeInterval(-301)) == .stale)
        #expect(PaymentSignature(secret: "other-secret-0123456789abcdef012345").check(
            Self.body, timestamp: "1796000000", signature: Self.expected, now: Self.at.addingTimeInterval(3600)) == .invalid)
    }
}
