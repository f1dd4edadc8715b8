import ClinicPostgres
import FlowEngine
import Synchronization

/// How the runtime calls actions: like any performer, but an unreachable database or clinic
/// API is reported rather than turned into the `error` outcome.
public struct ActionGateway: Sendable {
    public let signatures: [ActionSignature]
    let run: @Sendable (ActionCall) async throws(ActionsUnavailable) -> ActionResult

    public init(registry: ActionRegistry) {
        signatures = registry.signatures
        run = { call throws(ActionsUnavailable) in try await registry.performReportingUnavailability(call) }
    }

    /// Any runner: tests use it to make a database that is down.
    public init(signatures: [ActionSignature], run: @escaping @Sendable (ActionCall) async throws(ActionsUnavailable) -> ActionResult) {
        self.signatures = signatures
        self.run = run
    }

    /// Fixed answers (tests, the benchmark): never unavailable.
    public init(performer: any ActionPerformer) {
        signatures = performer.signatures
        run = { call in await performer.perform(call) }
    }
}

/// The actions of one update. After the first unavailability every further call answers
/// `error` without running: the update will be redelivered and run again from the start.
final class ActionAttempt: ActionPerformer, Sendable {
    let gateway: ActionGateway
    private let failure = Mutex<ActionsUnavailable?>(nil)

    init(gateway: ActionGateway) { self.gateway = gateway }

    var signatures: [ActionSignature] { gateway.signatures }
    var unavailable: ActionsUnavailable? { failure.withLock { $0 } }

    func perform(_ call: ActionCall) async -> ActionResult {
        if unavailable != nil { return .error }
        do {
            return try await gateway.run(call)
        } catch {
            failure.withLock { $0 = $0 ?? error }
            return .error
        }
    }
}
