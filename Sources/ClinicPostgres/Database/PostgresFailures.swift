import ClinicRemote
import FlowActions
import PostgresNIO

/// The failures of the clinic on PostgreSQL (and of a remote clinic's API): a connection that
/// cannot be made or was lost is unavailability; logs keep only SQLSTATEs (`LoggableError`).
public struct PostgresFailures: FailureClassifier {
    public init() {}

    public func isUnavailability(_ error: any Error) -> Bool {
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

    public func describe(_ error: any Error) -> String { LoggableError.describe(error) }
}
