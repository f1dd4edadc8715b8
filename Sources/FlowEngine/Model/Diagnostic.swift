/// One problem found in flows or locales, reported as `file:line:col: error|warning: message`.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable { case error, warning }

    public let severity: Severity
    public let location: SourceLocation
    public let message: String
    /// A stable name of the check, for `--format json` and for tests.
    public let check: String

    public init(_ severity: Severity, _ check: String, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.check = check
        self.location = location
        self.message = message
    }

    public static func error(_ check: String, at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, check, at: location, message)
    }

    public static func warning(_ check: String, at location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, check, at: location, message)
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
}
