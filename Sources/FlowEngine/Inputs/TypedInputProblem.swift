/// A specific reason why something a person typed was refused: the typed errors of
/// `CalendarDate`, `IIN`, `PhoneNumber` and `PersonName`.
///
/// Raw values are snake_case so they can be put straight into locale keys:
/// `errors.<domain>.<rawValue>`, e.g. `errors.iin.checksum`. Flows and locale files
/// refer to these strings, so renaming a case's raw value is a breaking change.
public protocol TypedInputProblem: Error, Sendable, CaseIterable, RawRepresentable where RawValue == String {
    /// The middle part of the locale key, e.g. `iin`.
    static var domain: String { get }
}

extension TypedInputProblem {
    /// The key of the message that explains this problem to the person, e.g. `errors.iin.checksum`.
    public var localeKey: String { "errors.\(Self.domain).\(rawValue)" }
}
