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
