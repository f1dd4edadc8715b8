import Foundation

/// Everything an expression may read: the clock, the clinic's time zone, the variables of the
/// current step and the locale texts.
///
/// Created for every dialogue step, so it is only a few references: variables are looked up
/// on demand by root name (`patient` for `patient.id`), never copied into it.
public struct EvaluationContext: Sendable {
    /// The current moment, for `now()`, `today()` and `age()`.
    public var now: Date
    /// Where `today()` and `date()` decide which calendar day it is.
    public var timeZone: TimeZone
    /// The value of a root variable name, `.null` when there is none.
    public var lookup: @Sendable (String) -> Value
    /// The text for a locale key, for `t('key')`.
    public var text: @Sendable (String) -> String

    public init(
        now: Date,
        timeZone: TimeZone,
        lookup: @escaping @Sendable (String) -> Value,
        text: @escaping @Sendable (String) -> String = { $0 }
    ) {
        self.now = now
        self.timeZone = timeZone
        self.lookup = lookup
        self.text = text
    }

    /// A context over fixed variables and texts, handy in tests and tools.
    /// A missing text shows its key, so the gap is visible rather than silent.
    public init(now: Date, timeZone: TimeZone, variables: [String: Value], texts: [String: String] = [:]) {
        self.init(now: now, timeZone: timeZone, lookup: { variables[$0] ?? .null }, text: { texts[$0] ?? $0 })
    }
}

extension EvaluationContext {
    /// `now` in whole seconds since 1970, rounded towards the past.
    var nowSeconds: Int? { Int(exactly: now.timeIntervalSince1970.rounded(.down)) }

    /// The local calendar day (days since 1970-01-01) that a UTC moment falls on.
    func localDay(ofUTCSeconds seconds: Int) -> Int {
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return ExpressionTime.floorDivision(seconds + offset, ExpressionTime.secondsPerDay).quotient
    }

    /// Today's local day number.
    var today: Int? { nowSeconds.map(localDay(ofUTCSeconds:)) }
}
