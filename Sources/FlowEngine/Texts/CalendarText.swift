/// Dates written out for people: month and weekday names in Russian and Kazakh.
///
/// Written by hand rather than with DateFormatter so that the text is the same on every
/// machine: ICU data differs between Linux and macOS builds, and Kazakh was missing on some.
public enum CalendarText {
    /// Russian month names in the nominative, for headers: "март".
    static let russianNominative = [
        "январь", "февраль", "март", "апрель", "май", "июнь",
        "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
    ]
    /// Russian month names in the genitive, for dates: "5 марта".
    static let russianGenitive = [
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ]
    /// Kazakh has one form: "5 наурыз", "наурыз айы".
    static let kazakhMonths = [
        "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
        "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
    ]
    static let russianWeekdays = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"]
    static let russianShortWeekdays = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    static let kazakhWeekdays = ["дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі"]
    static let kazakhShortWeekdays = ["Дс", "Сс", "Ср", "Бс", "Жм", "Сб", "Жс"]

    /// The lowercase name of month 1…12: nominative, or in Russian the genitive used after a day
    /// number. A month outside 1…12 is written as its number rather than trapping.
    public static func monthName(_ month: Int, _ language: Language, genitive: Bool = false) -> String {
        guard (1...12).contains(month) else { return String(month) }
        switch language {
        case .ru: return (genitive ? russianGenitive : russianNominative)[month - 1]
        case .kk: return kazakhMonths[month - 1]
        }
    }

    /// ru "5 марта 2026 г.", kk "2026 жылғы 5 наурыз".
    public static func longDate(_ date: CalendarDate, _ language: Language) -> String {
        switch language {
        case .ru: return "\(date.day) \(monthName(date.month, .ru, genitive: true)) \(date.year) г."
        case .kk: return "\(date.year) жылғы \(date.day) \(monthName(date.month, .kk))"
        }
    }

    /// "05.03.2026", the same in both languages.
    public static func shortDate(_ date: CalendarDate) -> String {
        InputText.padded(date.day, width: 2) + "." + InputText.padded(date.month, width: 2) + "."
            + InputText.padded(date.year, width: 4)
    }

    /// A calendar header: ru "Март 2026", kk "Наурыз 2026".
    public static func monthYear(year: Int, month: Int, _ language: Language) -> String {
        "\(capitalized(monthName(month, language))) \(year)"
    }

    /// ru "четверг" / "Чт", kk "бейсенбі" / "Бс".
    public static func weekdayName(_ date: CalendarDate, _ language: Language, short: Bool = false) -> String {
        let index = date.weekday - 1
        switch (language, short) {
        case (.ru, false): return russianWeekdays[index]
        case (.ru, true): return russianShortWeekdays[index]
        case (.kk, false): return kazakhWeekdays[index]
        case (.kk, true): return kazakhShortWeekdays[index]
        }
    }

    /// "09:30".
    public static func time(hour: Int, minute: Int) -> String {
        InputText.padded(hour, width: 2) + ":" + InputText.padded(minute, width: 2)
    }

    private static func capitalized(_ word: String) -> String {
        guard let first = word.first else { return word }
        return first.uppercased() + word.dropFirst()
    }
}
