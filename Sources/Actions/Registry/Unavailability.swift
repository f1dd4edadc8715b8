import PostgresNIO

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

    /// Whether `error` means "could not reach", as opposed to "refused" or "went wrong".
    static func isUnavailability(_ error: any Error) -> Bool {
        if let remote = error as? RemoteClinicError { return remote == .unreachable }
        if let psql = PostgresErrors.serverError(in: error) {
            switch psql.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
                return true
            default:
                return false
            }
        }
        // The pool's own errors (a lease that timed out while no connection could be made).
        return String(reflecting: type(of: error)).contains("ConnectionPoolError")
    }
}
