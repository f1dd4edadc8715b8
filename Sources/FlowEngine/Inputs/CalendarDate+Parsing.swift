import Foundation

extension CalendarDate {
    /// Parses what a person types: day, month and four-digit year in that order, as in
    /// "05.03.1990", "5.3.1990", "05/03/1990", "05-03-1990", "05 03 1990" or "05. 03. 1990".
    ///
    /// Two-digit years are refused rather than guessed: "05.03.25" could be a birth date in 1925.
    public init(typed text: String) throws(DateProblem) {
        // Day, month, year and how many digits each had.
        var numbers = [0, 0, 0]
        var widths = [0, 0, 0]
        var group = 0
        var inDigits = false
        var marks = 0  // punctuation between two groups: one at most, "05..03" is a typo
        for scalar in text.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars {
            if let digit = InputText.digit(scalar) {
                guard widths[group] < 4 else { throw .format }
                numbers[group] = numbers[group] * 10 + digit
                widths[group] += 1
                inDigits = true
            } else if scalar == "." || scalar == "/" || scalar == "-" || InputText.isSpace(scalar) {
                // Outer spaces are trimmed, so this is punctuation before the day: ".05.03.2026".
                guard inDigits || group > 0 else { throw .format }
                if inDigits {
                    // The first separator after a group's digits starts the next group.
                    group += 1
                    guard group < 3 else { throw .format }
                    inDigits = false
                    marks = 0
                }
                if !InputText.isSpace(scalar) {
                    marks += 1
                    guard marks <= 1 else { throw .format }
                }
            } else {
                throw .format
            }
        }
        guard group == 2, inDigits,
              (1...2).contains(widths[0]), (1...2).contains(widths[1]), widths[2] == 4
        else { throw .format }
        try self.init(year: numbers[2], month: numbers[1], day: numbers[0])
    }

    /// Parses the stored form "YYYY-MM-DD", exactly (no spaces, two-digit month and day);
    /// nil for anything else. Failable rather than throwing: stored dates are written by code,
    /// so there is no person to explain a problem to.
    public init?(iso text: String) {
        let scalars = text.unicodeScalars
        guard scalars.count == 10 else { return nil }
        var fields = [0, 0, 0]
        var field = 0
        for (offset, scalar) in scalars.enumerated() {
            if offset == 4 || offset == 7 {
                guard scalar == "-" else { return nil }
                field += 1
            } else {
                guard let digit = InputText.digit(scalar) else { return nil }
                fields[field] = fields[field] * 10 + digit
            }
        }
        guard let date = try? CalendarDate(year: fields[0], month: fields[1], day: fields[2]) else { return nil }
        self = date
    }

    /// Parses a birth date typed by a person and checks that it is plausible on `today`.
    ///
    /// - Parameter maxAge: the oldest age accepted; older usually means a mistyped year.
    public static func birthDate(
        typed text: String, today: CalendarDate, maxAge: Int = 120
    ) throws(BirthDateProblem) -> CalendarDate {
        let date: CalendarDate
        do {
            date = try CalendarDate(typed: text)
        } catch {
            switch error {
            case .format: throw .format
            case .noSuchDay: throw .noSuchDay
            }
        }
        guard date <= today else { throw .future }
        guard date.age(on: today) <= maxAge else { throw .tooOld }
        return date
    }
}

/// Why a typed birth date was refused; locale keys `errors.birth_date.*`.
public enum BirthDateProblem: String, TypedInputProblem {
    case format
    case noSuchDay = "no_such_day"
    /// After today.
    case future
    /// Older than the accepted maximum age.
    case tooOld = "too_old"

    public static var domain: String { "birth_date" }
}
