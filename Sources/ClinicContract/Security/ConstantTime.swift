import Crypto

/// Compares two secrets (tokens, hashes, tags) in time that depends only on their lengths, so
/// a caller cannot learn how many leading bytes matched by timing the answer.
public func constantTimeEquals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
where A.Element == UInt8, B.Element == UInt8 {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for (x, y) in zip(a, b) { difference |= x ^ y }
    return difference == 0
}

/// `constantTimeEquals` for text secrets such as a webhook's secret token.
public func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    constantTimeEquals(Array(a.utf8), Array(b.utf8))
}

/// Whether a secret given over the network is the expected one, in time that depends on
/// neither: both are hashed to 32 bytes first, so not even the expected secret's length leaks
/// (a plain comparison stops at a length mismatch).
public func secretsMatch(_ given: some Collection<UInt8>, _ expected: some Collection<UInt8>) -> Bool {
    constantTimeEquals(Array(SHA256.hash(data: Array(given))), Array(SHA256.hash(data: Array(expected))))
}

/// `secretsMatch` for text secrets (a bearer token, a webhook's secret token).
public func secretsMatch(_ given: String, _ expected: String) -> Bool {
    secretsMatch(Array(given.utf8), Array(expected.utf8))
}
