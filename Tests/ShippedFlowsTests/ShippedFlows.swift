import FlowActions
import FlowEngine
import Foundation

/// The repository's own flows and locales, loaded the way the bot loads them.
enum ShippedFlows {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load() throws -> FlowSet {
        let (set, diagnostics) = FlowSetLoader.load(
            flowsDirectory: root.appendingPathComponent("flows").path,
            localesDirectory: root.appendingPathComponent("locales").path,
            signatures: ClinicActions.signatures)
        guard let set else { throw LoadFailure(diagnostics: diagnostics.errors) }
        return set
    }

    struct LoadFailure: Error, CustomStringConvertible {
        let diagnostics: [Diagnostic]
        var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }
}

/// A reproducible random source (SplitMix64): a failing seed can be replayed.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
