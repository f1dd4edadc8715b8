import Foundation

/// Reads a flows directory and a locales directory into a `FlowSet`, collecting every problem.
public enum FlowSetLoader {
    /// A source file: its path as it will appear in messages, and its text.
    public struct Source: Sendable, Hashable, Codable {
        public let path: String
        public let text: String
        public init(path: String, text: String) {
            self.path = path
            self.text = text
        }
    }

    /// Loads and validates. The set is nil when anything is an error: the server never runs
    /// flows that do not validate.
    public static func load(
        flowsDirectory: String, localesDirectory: String, signatures: [ActionSignature],
        timeZone: TimeZone = .clinicDefault
    ) -> (FlowSet?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let flows = readSources(in: flowsDirectory, diagnostics: &diagnostics)
        let locales = readSources(in: localesDirectory, diagnostics: &diagnostics)
        if flows.isEmpty {
            diagnostics.append(.error("structure", at: SourceLocation(file: flowsDirectory, line: 1, column: 1), "no flow files (*.yaml) found"))
        }
        let (set, more) = load(flows: flows, locales: locales, signatures: signatures, timeZone: timeZone)
        diagnostics += more
        return (diagnostics.hasErrors ? nil : set, diagnostics.sorted { $0.location < $1.location })
    }

    /// Loads sources already in memory (tests, the benchmark). The set is returned even with
    /// errors so tools can inspect it; callers that run it must check the diagnostics.
    public static func load(
        flows: [Source], locales: [Source], signatures: [ActionSignature],
        timeZone: TimeZone = .clinicDefault
    ) -> (FlowSet, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var fingerprint = Fingerprint()
        var loaded: [Flow] = []
        var plans: [ReminderPlan] = []
        for source in flows {
            fingerprint.add((source.path as NSString).lastPathComponent)
            fingerprint.add(source.text)
            let file = YAMLFile.parse(source.text, path: source.path, into: &diagnostics)
            if PlanLoader.isPlan(file) {
                var loader = PlanLoader(file: file)
                if let plan = loader.load() { plans.append(plan) }
                diagnostics += loader.diagnostics
                continue
            }
            var loader = FlowLoader(file: file)
            if let flow = loader.load() {
                // The set keeps the first flow of a name; a second one would be silently ignored.
                if let first = loaded.first(where: { $0.name.value == flow.name.value }) {
                    diagnostics.append(.error("duplicate-flow", at: flow.name.location, "flow '\(flow.name.value)' is also defined in \(first.file)"))
                } else {
                    loaded.append(flow)
                }
            }
            diagnostics += loader.diagnostics
        }
        var catalogs: [Language: LocaleCatalog] = [:]
        for source in locales {
            fingerprint.add((source.path as NSString).lastPathComponent)
            fingerprint.add(source.text)
            let base = (source.path as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "").replacingOccurrences(of: ".yml", with: "")
            guard let language = Language(rawValue: base) else {
                diagnostics.append(.warning("locale-file", at: SourceLocation(file: source.path, line: 1, column: 1), "'\(base)' is not a supported language (ru, kk); the file is ignored"))
                continue
            }
            var loader = LocaleLoader(file: YAMLFile.parse(source.text, path: source.path, into: &diagnostics), language: language)
            catalogs[language] = loader.load()
            diagnostics += loader.diagnostics
        }
        let set = FlowSet(flows: loaded, locales: Locales(catalogs: catalogs, timeZone: timeZone), version: fingerprint.hex, plans: plans)
        diagnostics += Validator(set: set, signatures: signatures).run()
        return (set, diagnostics.sorted { $0.location < $1.location })
    }

    /// `*.yaml` files directly in `directory` (not in subfolders: `flows/tests/` holds scripts).
    public static func readSources(in directory: String, diagnostics: inout [Diagnostic]) -> [Source] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            diagnostics.append(.error("structure", at: SourceLocation(file: directory, line: 1, column: 1), "cannot read the directory"))
            return []
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().compactMap { name in
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(.error("yaml", at: SourceLocation(file: path, line: 1, column: 1), "the file is not readable UTF-8 text"))
                return nil
            }
            return Source(path: path, text: text)
        }
    }
}
