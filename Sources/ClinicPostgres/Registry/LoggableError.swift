import PostgresNIO

/// Turns errors into log text that cannot leak patient data.
public enum LoggableError {
    /// A description of `error` that is safe to log.
    ///
    /// PostgreSQL's messages and PostgresNIO's debug output can quote the query's bound values
    /// ("Key (…)=(…) already exists"), and bound values hold patients' names. Only the error's
    /// kind and SQLSTATE are kept; `PIIFreeError`s keep their description; other errors only their type name.
    public static func describe(_ error: any Error) -> String {
        if let server = PostgresErrors.serverError(in: error) {
            let state = server.serverInfo?[.sqlState] ?? "-"
            let constraint = server.serverInfo?[.constraintName].map { ", constraint \($0)" } ?? ""
            return "PostgreSQL error \(server.code) (SQLSTATE \(state)\(constraint))"
        }
        return SafeErrorDescription.describe(PostgresErrors.bodyError(of: error))
    }
}
