import ArgumentParser
import ClinicPostgres
import FlowEngine
import Foundation

/// `clinic-bot test [flows]`: run the editors' conversation scripts in `flows/tests/`.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run conversation scripts (flows/tests/*.yaml); print failures, uncovered steps and 'N passed, M failed'.")

    @Argument(help: "The flows folder; scripts are read from its 'tests' subfolder.") var flows: String = Settings().flowsDirectory
    @Option(help: "The locales folder.") var locales: String?
    @Option(help: "The scripts folder (default: FLOWS/tests).") var scripts: String?
    @Flag(help: "Do not list steps that no script visits.") var noCoverage = false

    func run() async throws {
        let settings = Settings()
        let (loaded, diagnostics) = FlowSetLoader.load(
            flowsDirectory: flows, localesDirectory: locales ?? settings.localesDirectory(besides: flows),
            signatures: ClinicActions.signatures, timeZone: try settings.timeZone())
        guard let set = loaded else {
            for diagnostic in diagnostics.errors { print(diagnostic) }
            print("0 passed, 1 failed")
            throw ExitCode(1)
        }
        let folder = scripts ?? (flows as NSString).appendingPathComponent("tests")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        let runner = ScriptRunner(set: set, signatures: ClinicActions.signatures)
        var passed = 0, failed = 0
        var visited: Set<String> = []
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let (script, problems) = ConversationScriptLoader.load(text, path: path)
            guard let script, !problems.hasErrors else {
                failed += 1
                print("✗ \(path)")
                for problem in problems { print("  \(problem)") }
                continue
            }
            let result = await runner.run(script)
            visited.formUnion(result.visited)
            if result.passed {
                passed += 1
                print("✓ \(script.name)")
            } else {
                failed += 1
                print("✗ \(script.name)")
                for failure in result.failures { print("  \(failure)") }
            }
        }
        if !noCoverage {
            let missed = set.flows.values.sorted { $0.file < $1.file }.flatMap { flow in
                flow.steps.filter { !visited.contains(flow.name.value + "." + $0.name) }.map { (flow, $0) }
            }
            let total = set.flows.values.reduce(0) { $0 + $1.steps.count }
            print("coverage: \(total - missed.count) of \(total) steps visited")
            for (flow, step) in missed {
                print("\(step.location): step '\(step.name)' of flow '\(flow.name.value)' is not visited by any script")
            }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}
