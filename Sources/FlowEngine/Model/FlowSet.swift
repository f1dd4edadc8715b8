import Foundation

/// Everything the interpreter runs: the flows, their texts, and the indexes built once at load.
public struct FlowSet: Sendable {
    public let flows: [String: Flow]
    public let locales: Locales
    /// `/command` (without the slash) → flow.
    public let commands: [String: Flow]
    /// A reply-keyboard label as shown in any language → flow it starts.
    public let texts: [String: Flow]
    /// A hash of every source file, so several instances can tell whether they run the same set.
    public let version: String
    /// When the clinic starts flows by itself about appointments (plan files in `flows/`).
    public let plans: [ReminderPlan]
    /// A sensitive root variable → the flows that declare it (see `Flow.sensitive`).
    public let sensitiveOwners: [String: Set<String>]

    public init(flows: [Flow], locales: Locales, version: String, plans: [ReminderPlan] = []) {
        self.plans = plans
        var byName: [String: Flow] = [:]
        for flow in flows where byName[flow.name.value] == nil { byName[flow.name.value] = flow }
        self.flows = byName
        self.locales = locales
        self.version = version
        var commands: [String: Flow] = [:], texts: [String: Flow] = [:]
        for flow in flows {
            for command in flow.triggers.commands where commands[command.value] == nil { commands[command.value] = flow }
            for key in flow.triggers.texts {
                for language in Language.allCases {
                    let label = locales.plain(key.value, in: language)
                    if texts[label] == nil { texts[label] = flow }
                }
            }
        }
        self.commands = commands
        self.texts = texts
        var owners: [String: Set<String>] = [:]
        for flow in byName.values {
            for root in flow.sensitive { owners[root.value, default: []].insert(flow.name.value) }
        }
        self.sensitiveOwners = owners
    }

    public func flow(_ name: String) -> Flow? { flows[name] }

    public func step(_ flow: String, _ step: String) -> Step? { flows[flow]?.step(step) }
}

/// FNV-1a, 64 bits: a cheap, stable fingerprint of source files (not a security hash).
struct Fingerprint {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        value ^= 0xff
        value = value &* 0x0000_0100_0000_01B3
    }

    var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
