import ArgumentParser
import ClinicPostgres
import FlowEngine
import Foundation

/// `clinic-bot validate [flows]`: lint flows and locales for editors and CI.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check flows and locales; exit 0 when there are no errors, 1 otherwise.")

    enum Format: String, ExpressibleByArgument { case text, json }

    @Argument(help: "The flows folder.") var flows: String = Settings().flowsDirectory
    @Option(help: "The locales folder (default: LOCALES_DIR, else 'locales' beside the flows folder).") var locales: String?
    @Option(help: "text: file:line:col lines; json: one object for tools.") var format: Format = .text

    func run() throws {
        let settings = Settings()
        let localesDirectory = locales ?? settings.localesDirectory(besides: flows)
        let (_, diagnostics) = FlowSetLoader.load(
            flowsDirectory: flows, localesDirectory: localesDirectory, signatures: ClinicActions.signatures, timeZone: try settings.timeZone())
        switch format {
        case .text:
            for diagnostic in diagnostics { print(diagnostic) }
            let errors = diagnostics.errors.count, warnings = diagnostics.count - errors
            FileHandle.standardError.write(Data("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n".utf8))
        case .json:
            print(DiagnosticsJSON.encode(diagnostics))
        }
        if diagnostics.hasErrors { throw ExitCode(1) }
    }
}

/// Diagnostics as JSON: `{"errors": n, "warnings": n, "diagnostics": [...]}`.
enum DiagnosticsJSON {
    struct Item: Encodable {
        let file: String
        let line: Int
        let column: Int
        let severity: String
        let check: String
        let message: String
    }

    struct Report: Encodable {
        let errors: Int
        let warnings: Int
        let diagnostics: [Item]
    }

    static func encode(_ diagnostics: [Diagnostic]) -> String {
        let items = diagnostics.map {
            Item(file: $0.location.file, line: $0.location.line, column: $0.location.column, severity: $0.severity.rawValue, check: $0.check, message: $0.message)
        }
        let report = Report(errors: diagnostics.errors.count, warnings: diagnostics.count - diagnostics.errors.count, diagnostics: items)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(report)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
