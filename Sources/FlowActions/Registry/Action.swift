import ClinicContract
import FlowEngine

/// A named operation a flow can call, with the signature the validator checks flows against.
///
/// The registry checks the arguments against `signature` before `run` is called, so `run` sees
/// every required parameter with the declared type; it still parses the values into domain
/// types, because an action is a trust boundary.
public protocol Action: Sendable {
    static var signature: ActionSignature { get }
    func run(_ arguments: [String: Value], context: ActionContext) async throws -> ActionResult
}
