/// An error whose description names fields and kinds, never values, so it may be logged.
/// Conform only errors built from constant text and field names.
public protocol PIIFreeError: Error, CustomStringConvertible {}

/// How an error is written to a log without patient data: a `PIIFreeError` by its description,
/// anything else by its type's name. An implementation may know more of its own errors (the
/// PostgreSQL one keeps SQLSTATE and constraint names: `LoggableError` in ClinicPostgres).
public enum SafeErrorDescription {
    public static func describe(_ error: any Error) -> String {
        if let safe = error as? any PIIFreeError { return safe.description }
        return String(describing: type(of: error))
    }
}
