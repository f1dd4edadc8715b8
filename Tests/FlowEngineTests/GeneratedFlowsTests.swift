import Testing
@testable import FlowEngine

/// `clinic-bot bench` times the validator on a generated set and stops when that set does not
/// validate: these tests keep it valid whenever the engine needs a new text or check.
@Suite("The benchmark's generated flow set")
struct GeneratedFlowsTests {
    @Test(arguments: [(2, 10), (50, 40)])
    func validatesWithoutErrors(flows: Int, stepsPerFlow: Int) {
        let generated = GeneratedFlows(flows: flows, stepsPerFlow: stepsPerFlow)
        let (set, diagnostics) = FlowSetLoader.load(
            flows: generated.flowSources, locales: generated.localeSources, signatures: GeneratedFlows.signatures)
        #expect(diagnostics.errors.isEmpty, "\(diagnostics.errors.prefix(5))")
        #expect(set.flows.count == flows)
    }

    @Test func carriesEveryTextTheEngineShows() {
        let generated = GeneratedFlows(flows: 1, stepsPerFlow: 5)
        let (set, _) = FlowSetLoader.load(
            flows: generated.flowSources, locales: generated.localeSources, signatures: GeneratedFlows.signatures)
        for key in Validator.engineKeys {
            #expect(set.locales.entry(key, in: .ru) != nil, "\(key) in ru")
            #expect(set.locales.entry(key, in: .kk) != nil, "\(key) in kk")
        }
    }
}
