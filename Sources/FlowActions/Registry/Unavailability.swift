import ClinicContract
/// A failure of the storage or service an action depends on, rather than of the request: the
/// database is unreachable, the clinic API does not answer. The transport reacts differently:
/// it keeps the session as it was and asks Telegram to deliver the update again later.
public struct ActionsUnavailable: Error, Sendable, CustomStringConvertible {
    public let action: String
    public let reason: String
    public var description: String { "\(action): \(reason)" }

    public init(action: String, reason: String) {
        self.action = action
        self.reason = reason
    }
}

/// What the clinic's implementation knows of its own failures: which mean "could not reach"
/// (as opposed to "refused" or "went wrong"), and how to log one without patient data. The
/// actions know neither databases nor HTTP clients: the implementation tells them.
public protocol FailureClassifier: Sendable {
    func isUnavailability(_ error: any Error) -> Bool
    func describe(_ error: any Error) -> String
}

/// Knows no failure as unavailability, and logs only what is declared PII-free.
public struct PlainFailures: FailureClassifier {
    public init() {}
    public func isUnavailability(_ error: any Error) -> Bool { false }
    public func describe(_ error: any Error) -> String { SafeErrorDescription.describe(error) }
}
