import ClinicContract
import FlowEngine
import Logging

/// Runs actions by name for the interpreter, after checking each call against its signature.
///
/// Whatever goes wrong ends as the `error` outcome, which every flow routes: an unknown name,
/// arguments that do not fit the signature, an error the action threw, an outcome the action
/// never declared. Logs name the action and the parameter, never an argument's value:
/// arguments hold IINs and phone numbers.
public struct ActionRegistry: ActionPerformer {
    private let actions: [String: any Action]
    public let signatures: [ActionSignature]
    private let logger: Logger
    private let failures: any FailureClassifier

    public init(_ actions: [any Action], failures: any FailureClassifier = PlainFailures(),
                logger: Logger = Logger(label: "clinic-bot.actions")) {
        var byName: [String: any Action] = [:]
        for action in actions {
            let name = type(of: action).signature.name
            precondition(byName[name] == nil, "two actions are named \(name)")
            byName[name] = action
        }
        self.actions = byName
        self.signatures = actions.map { type(of: $0).signature }
        self.logger = logger
        self.failures = failures
    }

    public func perform(_ call: ActionCall) async -> ActionResult {
        do {
            return try await performReportingUnavailability(call)
        } catch {
            return .error
        }
    }

    /// Like `perform`, but a database or clinic API that cannot be reached is thrown as
    /// `ActionsUnavailable` instead of becoming the `error` outcome: the Telegram transport
    /// then leaves the session untouched and lets Telegram redeliver the update.
    public func performReportingUnavailability(_ call: ActionCall) async throws(ActionsUnavailable) -> ActionResult {
        var logger = self.logger
        logger[metadataKey: "action"] = "\(call.name)"
        guard let action = actions[call.name] else {
            logger.error("unknown action")
            return .error
        }
        let signature = type(of: action).signature
        let problems = signature.problems(with: call.arguments)
        guard problems.isEmpty else {
            for problem in problems { logger.error("refused call: \(problem)") }
            return .error
        }
        do {
            let result = try await action.run(call.arguments, context: call.context)
            guard signature.allOutcomes.contains(result.outcome) else {
                logger.error("action answered an undeclared outcome '\(result.outcome)'")
                return .error
            }
            return result
        } catch {
            logger.error("action failed: \(failures.describe(error))")
            if failures.isUnavailability(error) {
                throw ActionsUnavailable(action: call.name, reason: failures.describe(error))
            }
            return .error
        }
    }
}
