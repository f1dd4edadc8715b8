import Foundation
import Testing
@testable import FlowEngine

/// Shared fixtures for the expression tests: a fixed clock, the clinic's +05:00 zone and a few variables.
enum ExpressionFixture {
    /// 21:30 UTC is already the next day in Kazakhstan, which the date tests rely on.
    static let now = moment("2026-11-25T21:30:00Z")
    static let almaty = TimeZone(secondsFromGMT: 5 * 3600)!
    static let utc = TimeZone(secondsFromGMT: 0)!

    static let variables: [String: Value] = [
        "patient": ["id": 7, "name": "Aida", "phone": nil],
        "form": ["age": 18, "gender": "F", "answers": ["a", "b"]],
        "items": [10, 20, 30],
        "params": ["start": "2026-11-26T09:00:00Z"],
        "text": "hello",
        "big": .int(.max),
        "none": nil,
        "emptyMap": .map([:]),
        "half": .double(0.5),
    ]

    static let texts = ["booking.title": "Запись", "greeting": "Сәлем"]

    static func context(now: Date = now, timeZone: TimeZone = almaty, variables: [String: Value] = variables)
        -> EvaluationContext
    {
        EvaluationContext(now: now, timeZone: timeZone, variables: variables, texts: texts)
    }

    static func moment(_ text: String) -> Date {
        Date(timeIntervalSince1970: TimeInterval(ExpressionTime.parseMoment(text)!.seconds))
    }

    /// Parses (the test fails on a parse error) and evaluates in the default context.
    static func evaluate(_ source: String, in context: EvaluationContext = context()) throws -> Value {
        try Expression.parse(source).evaluate(in: context)
    }
}

/// Counts variable lookups, to prove short-circuiting.
final class ExpressionLookupCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
