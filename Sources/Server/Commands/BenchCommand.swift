import ArgumentParser
import ClinicPostgres
import FlowEngine
import Foundation

/// `clinic-bot bench`: the engine's speed, printed as figures (see docs/benchmarks.md).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure interpreter throughput and flow loading/validation times.")

    @Option(help: "The flows folder.") var flows: String = Settings().flowsDirectory
    @Option(help: "The locales folder.") var locales: String?
    @Option(help: "Complete registrations to interpret.") var registrations = 20_000

    func run() async throws {
        let settings = Settings()
        let localesDirectory = locales ?? settings.localesDirectory(besides: flows)
        let load = { FlowSetLoader.load(flowsDirectory: flows, localesDirectory: localesDirectory, signatures: ClinicActions.signatures) }
        guard let set = load().0 else { throw CommandFailure("the flows do not validate") }

        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; one core used")

        // (a) Interpreter throughput: whole registrations, sessions in a dictionary in memory,
        // fixture action results, one thread.
        let throughput = RegistrationBench(set: set)
        _ = throughput.run(registrations: 200)  // warm up
        let (updates, seconds) = throughput.run(registrations: registrations)
        print(String(format: "interpreter: %d registrations, %d updates in %.3f s = %.0f updates/s (target ≥ 100000)",
                     registrations, updates, seconds, Double(updates) / seconds))

        // (b) Load and validate the shipped flows and locales.
        let shipped = Self.timings(runs: 20) { _ = load() }
        print(String(format: "load+validate shipped flows (%d flows, %d steps): median %.1f ms, best %.1f ms (target < 50 ms)",
                     set.flows.count, set.flows.values.reduce(0) { $0 + $1.steps.count }, shipped.median * 1000, shipped.best * 1000))

        // (c) Load and validate a generated set of 50 flows with 2,000 steps.
        let generated = GeneratedFlows(flows: 50, stepsPerFlow: 40)
        let (check, diagnostics) = FlowSetLoader.load(flows: generated.flowSources, locales: generated.localeSources, signatures: GeneratedFlows.signatures)
        if diagnostics.hasErrors { throw CommandFailure("the generated flows do not validate: \(diagnostics.errors.prefix(3))") }
        let big = Self.timings(runs: 5) {
            _ = FlowSetLoader.load(flows: generated.flowSources, locales: generated.localeSources, signatures: GeneratedFlows.signatures)
        }
        print(String(format: "load+validate generated flows (%d flows, %d steps): median %.1f ms, best %.1f ms (target < 500 ms)",
                     check.flows.count, check.flows.values.reduce(0) { $0 + $1.steps.count }, big.median * 1000, big.best * 1000))
    }

    static func timings(runs: Int, _ body: () -> Void) -> (median: Double, best: Double) {
        var samples: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        samples.sort()
        return (samples[samples.count / 2], samples[0])
    }
}
