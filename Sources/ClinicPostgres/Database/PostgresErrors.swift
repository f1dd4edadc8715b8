import PostgresNIO

/// Reading PostgreSQL's answer out of the errors PostgresNIO wraps it in.
enum PostgresErrors {
    /// The server's error, looking through `withTransaction`'s wrapper.
    static func serverError(in error: any Error) -> PSQLError? {
        if let error = error as? PSQLError { return error }
        if let wrapped = error as? PostgresTransactionError {
            for inner in [wrapped.closureError, wrapped.beginError, wrapped.commitError] {
                if let inner, let found = serverError(in: inner) { return found }
            }
        }
        return nil
    }

    /// The error a transaction's body threw, unwrapped from `withTransaction`'s wrapper, so
    /// callers can catch their own errors by type.
    static func bodyError(of error: any Error) -> any Error {
        if let wrapped = error as? PostgresTransactionError, let inner = wrapped.closureError { return inner }
        return error
    }

    /// Whether `error` is a unique violation (SQLSTATE 23505) of the named constraint or index.
    static func isUniqueViolation(_ error: any Error, of constraint: String) -> Bool {
        guard let info = serverError(in: error)?.serverInfo else { return false }
        return info[.sqlState] == PostgresError.Code.uniqueViolation.raw && info[.constraintName] == constraint
    }
}

extension PostgresErrors {
    /// Whether `error` is an exclusion violation (SQLSTATE 23P01) of the named constraint.
    static func isExclusionViolation(_ error: any Error, of constraint: String) -> Bool {
        guard let info = serverError(in: error)?.serverInfo else { return false }
        return info[.sqlState] == "23P01" && info[.constraintName] == constraint
    }
}
