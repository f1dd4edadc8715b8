import ClinicPostgres
import FlowEngine
import Foundation

/// The flow set a command runs, checked against the real actions' signatures. A set that does
/// not validate stops the command with its errors printed (`file:line:col`): nothing runs
/// flows that do not validate.
enum ShippedFlowSet {
    static func load(flows: String, locales: String, timeZone: TimeZone) throws -> FlowSet {
        let (loaded, diagnostics) = FlowSetLoader.load(
            flowsDirectory: flows, localesDirectory: locales, signatures: ClinicActions.signatures, timeZone: timeZone)
        guard let set = loaded else {
            for diagnostic in diagnostics.errors { print(diagnostic) }
            throw CommandFailure("the flows do not validate; fix the errors above (clinic-bot validate \(flows))")
        }
        return set
    }
}
