import Foundation

/// Why a typed answer was refused: a reason name of its input type (`errors.TYPE.REASON`).
struct AnswerProblem: Error {
    let reason: String
    /// The limit broken (a length, an age), for messages like "at most 50 characters".
    var count: Int? = nil
}

/// Checks a typed answer against its input type and turns it into the value flows save:
/// names trimmed, phones as +7XXXXXXXXXX, dates as "YYYY-MM-DD", IINs as 12 digits.
struct InputParser {
    let now: Date
    let timeZone: TimeZone

    var today: CalendarDate { Moment.localParts(now, timeZone).date }

    /// What a person types to leave an optional question unanswered.
    static let noAnswer: Set<String> = ["-", "—", "–"]

    func parse(_ text: String, as input: InputSpec, option: (Expr) -> Value) -> Result<Value, AnswerProblem> {
        if input.optional, Self.noAnswer.contains(text) { return .success(.null) }
        func fail(_ reason: String, _ count: Int? = nil) -> Result<Value, AnswerProblem> {
            .failure(AnswerProblem(reason: reason, count: count))
        }
        func number(_ name: String) -> Int? { input.options[name].flatMap { option($0).intValue } }

        switch input.type.value {
        case .text:
            if text.isEmpty { return fail("empty") }
            let maxLength = number("max_length") ?? 1000
            if text.unicodeScalars.count > maxLength { return fail("too_long", maxLength) }
            if let min = number("min_length"), text.unicodeScalars.count < min { return fail("too_short", min) }
            return .success(.string(text))
        case .name:
            do { return .success(.string(try PersonName(text).value)) } catch { return fail(error.rawValue, error == .tooLong ? PersonName.maxLength : nil) }
        case .number:
            guard text.utf8.count <= 18, let n = Int(text.replacingOccurrences(of: " ", with: "")) else { return fail("format") }
            if let min = number("min"), n < min { return fail("too_small", min) }
            if let max = number("max"), n > max { return fail("too_large", max) }
            return .success(.int(n))
        case .rating:
            guard text.utf8.count <= 4, let n = Int(text) else { return fail("format") }
            let low = number("min") ?? 0, high = number("max") ?? 10
            return (low...max(low, high)).contains(n) ? .success(.int(n)) : fail("range")
        case .phone:
            do { return .success(.string(try PhoneNumber(text).e164)) } catch { return fail(error.rawValue) }
        case .contact:
            return fail("use_button")
        case .date:
            do {
                let date = try CalendarDate(typed: text)
                if let min = input.options["min"].flatMap({ option($0).stringValue }), date.iso < min { return fail("too_early") }
                if let max = input.options["max"].flatMap({ option($0).stringValue }), date.iso > max { return fail("too_late") }
                if let days = input.options["days"].flatMap({ option($0).listValue }), !days.contains(.string(date.iso)) {
                    return fail("unavailable")
                }
                return .success(.string(date.iso))
            } catch {
                return fail(error.rawValue)
            }
        case .birthDate:
            let maxAge = number("max_age") ?? 120
            do {
                let date = try CalendarDate.birthDate(typed: text, today: today, maxAge: maxAge)
                return .success(.string(date.iso))
            } catch {
                return fail(error.rawValue, maxAge)
            }
        case .iin:
            do {
                let iin = try IIN(text)
                let birthDate = input.options["birth_date"].flatMap { option($0).stringValue }.flatMap { CalendarDate(iso: $0) }
                let sex = input.options["sex"].flatMap { option($0).stringValue }.flatMap(Sex.init(rawValue:))
                if let mismatch = iin.mismatch(birthDate: birthDate, sex: sex) { return fail(mismatch.rawValue) }
                return .success(.string(iin.digits))
            } catch {
                return fail(error.rawValue)
            }
        }
    }
}
