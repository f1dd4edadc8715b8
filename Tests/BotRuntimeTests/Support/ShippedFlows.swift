import ClinicPostgres
import FlowEngine
import Foundation

/// The repository's own flows and locales, loaded the way the bot loads them.
enum ShippedFlows {
    /// The package root: the first folder above this file that holds Package.swift.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static var flowsDirectory: URL { root.appendingPathComponent("flows") }
    static var localesDirectory: URL { root.appendingPathComponent("locales") }

    static func load() throws -> FlowSet {
        try load(flows: flowsDirectory.path, locales: localesDirectory.path)
    }

    static func load(flows: String, locales: String) throws -> FlowSet {
        let (set, diagnostics) = FlowSetLoader.load(flowsDirectory: flows, localesDirectory: locales, signatures: ClinicActions.signatures)
        guard let set else { throw LoadFailure(diagnostics: diagnostics.errors) }
        return set
    }

    struct LoadFailure: Error, CustomStringConvertible {
        let diagnostics: [Diagnostic]
        var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    }
}

extension FlowSet {
    /// A locale text as the person sees it (no arguments).
    func text(_ key: String, _ language: Language = .ru) -> String { locales.plain(key, in: language) }
}
