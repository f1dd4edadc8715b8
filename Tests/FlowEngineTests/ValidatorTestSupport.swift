import Foundation
import Testing
@testable import FlowEngine

/// Runs the loader and validator on flows and locales written inline in a test.
///
/// Every set gets, besides what the test writes, a `/start` flow (`flows/start.yaml`) and the
/// texts the engine itself shows (`common.*`, `errors.*`), so a test sees only the diagnostics of
/// its own mistake. A test's locale text comes first in its file, so the line numbers it expects
/// are the ones it wrote.
enum Validation {
    /// The actions the test flows call.
    static let signatures = [
        ActionSignature(
            name: "patient.create", summary: "Creates a patient",
            parameters: [.init("name", .string), .init("birth_date", .date), .init("consent", .bool, required: false)],
            outcomes: ["ok", "duplicate"], resultFields: ["patient_id", "full_name"]),
        ActionSignature(
            name: "slots.find", summary: "Free slots of a day",
            parameters: [.init("day", .date)], outcomes: ["ok", "none"], resultFields: ["slots", "first"]),
        ActionSignature(name: "reminder.cancel", summary: "Cancels a reminder", parameters: [], outcomes: ["ok"], resultFields: []),
        ActionSignature(name: "note.print", summary: "Prints a note", parameters: [], outcomes: ["ok"], resultFields: ["file"],
                        texts: ["print.header"]),
    ]

    static let startFlow = """
        flow: start
        triggers:
          commands: [start]
        entry: hello
        steps:
          hello:
            say: start.hello
            end: true
        """

    /// The texts every set needs: the start flow's greeting, the engine's own texts and the
    /// default refusals of every input type.
    static func engineTexts(_ language: Language) -> String {
        var lines = [
            "start:",
            "  hello: \"\(language == .ru ? "Здравствуйте!" : "Сәлеметсіз бе!")\"",
            "common:",
        ]
        for key in Validator.engineKeys where key.hasPrefix("common.") {
            lines.append("  \(key.dropFirst("common.".count)): \"\(language.rawValue) \(key)\"")
        }
        lines += ["errors:", "  choice:", "    use_buttons: \"\(language.rawValue) use buttons\""]
        for type in InputType.allCases {
            lines.append("  \(type.rawValue):")
            for reason in type.reasons { lines.append("    \(reason): \"\(language.rawValue) \(type.rawValue) \(reason)\"") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Diagnostics of one flow file, `flows/booking.yaml`, with the given texts.
    static func run(_ flow: String, ru: String = "", kk: String? = "") -> [String] {
        run(flows: [("flows/booking.yaml", flow)], ru: ru, kk: kk)
    }

    /// Diagnostics of several flow files (paths as given), each as `[check] file:line:col: severity: message`.
    /// `kk: nil` leaves out the Kazakh file; `startFlow: false` leaves out the `/start` flow.
    static func run(
        flows: [(path: String, text: String)], ru: String = "", kk: String? = "", startFlow: Bool = true,
        extraLocales: [FlowSetLoader.Source] = []
    ) -> [String] {
        var flowSources = flows.map { FlowSetLoader.Source(path: $0.path, text: $0.text) }
        if startFlow { flowSources.append(.init(path: "flows/start.yaml", text: Self.startFlow)) }
        var localeSources = [FlowSetLoader.Source(path: "locales/ru.yaml", text: locale(ru, .ru))]
        if let kk { localeSources.append(.init(path: "locales/kk.yaml", text: locale(kk, .kk))) }
        localeSources += extraLocales
        let (_, diagnostics) = FlowSetLoader.load(flows: flowSources, locales: localeSources, signatures: signatures)
        return diagnostics.map(render)
    }

    static func locale(_ text: String, _ language: Language) -> String {
        text.isEmpty ? engineTexts(language) : text + "\n" + engineTexts(language)
    }

    static func render(_ diagnostic: Diagnostic) -> String { "[\(diagnostic.check)] \(diagnostic.description)" }
}
