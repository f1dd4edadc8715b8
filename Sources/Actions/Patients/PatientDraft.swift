import Foundation

/// What a registration collected, checked: a draft cannot hold a malformed IIN, phone, date or name.
public struct PatientDraft: Sendable, Hashable {
    public let telegramUserID: Int64
    public let telegramUsername: String?
    public let language: PatientLanguage
    public let firstName: PersonName
    public let lastName: PersonName
    public let middleName: PersonName?
    public let phone: PhoneNumber
    public let birthDate: ISODate
    public let sex: Sex
    public let iin: IIN
    public let consents: PatientConsents

    public init(
        telegramUserID: Int64, telegramUsername: String?, language: PatientLanguage,
        firstName: PersonName, lastName: PersonName, middleName: PersonName?,
        phone: PhoneNumber, birthDate: ISODate, sex: Sex, iin: IIN, consents: PatientConsents
    ) {
        self.telegramUserID = telegramUserID
        self.telegramUsername = telegramUsername
        self.language = language
        self.firstName = firstName
        self.lastName = lastName
        self.middleName = middleName
        self.phone = phone
        self.birthDate = birthDate
        self.sex = sex
        self.iin = iin
        self.consents = consents
    }

    /// Parses raw text (from a flow or the REST API); throws `InvalidInput` naming the first bad field.
    /// An empty middle name counts as none.
    public init(
        telegramUserID: Int64, telegramUsername: String?, language: String,
        firstName: String, lastName: String, middleName: String?,
        phone: String, birthDate: String, sex: String, iin: String, consents: PatientConsents,
        today: ISODate = .todayUTC()
    ) throws {
        guard let date = ISODate(birthDate) else {
            throw InvalidInput(field: "birth_date", reason: "must be a date YYYY-MM-DD")
        }
        // A day of slack: the patient's day may already have begun east of UTC (Almaty is UTC+5).
        guard date.year >= 1900, date <= today.addingOneDay() else {
            throw InvalidInput(field: "birth_date", reason: "must be between 1900 and today")
        }
        let middle = middleName.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        self.init(
            telegramUserID: telegramUserID, telegramUsername: telegramUsername,
            language: try PatientLanguage(parsing: language),
            firstName: try PersonName(firstName, field: "first_name"),
            lastName: try PersonName(lastName, field: "last_name"),
            middleName: try middle.map { try PersonName($0, field: "middle_name") },
            phone: try PhoneNumber(phone), birthDate: date, sex: try Sex(parsing: sex), iin: try IIN(iin),
            consents: consents)
    }

    /// "Last First Middle", as Kazakh and Russian documents write a name.
    public var fullName: String {
        [lastName.text, firstName.text, middleName?.text].compactMap { $0 }.joined(separator: " ")
    }
}

extension ISODate {
    public static func todayUTC(_ now: Date = Date()) -> ISODate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return ISODate(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    func addingOneDay() -> ISODate {
        if day < ISODate.days(inMonth: month, year: year) { return ISODate(year: year, month: month, day: day + 1) }
        if month < 12 { return ISODate(year: year, month: month + 1, day: 1) }
        return ISODate(year: year + 1, month: 1, day: 1)
    }
}
