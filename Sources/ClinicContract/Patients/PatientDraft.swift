import FlowEngine
import Foundation

/// What a registration collected, checked: a draft cannot hold a malformed IIN, phone, date or name.
public struct PatientDraft: Sendable, Hashable {
    public let telegramUserID: Int64
    public let telegramUsername: String?
    public let language: Language
    public let firstName: PersonName
    public let lastName: PersonName
    public let middleName: PersonName?
    public let phone: PhoneNumber
    public let birthDate: CalendarDate
    public let sex: Sex
    public let iin: IIN
    public let consents: PatientConsents

    public init(
        telegramUserID: Int64, telegramUsername: String?, language: Language,
        firstName: PersonName, lastName: PersonName, middleName: PersonName?,
        phone: PhoneNumber, birthDate: CalendarDate, sex: Sex, iin: IIN, consents: PatientConsents
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
        today: CalendarDate = .todayUTC()
    ) throws {
        guard let date = CalendarDate(iso: birthDate) else {
            throw InvalidInput(field: "birth_date", reason: "must be a date YYYY-MM-DD")
        }
        // A day of slack: the patient's day may already have begun east of UTC (Almaty is UTC+5).
        guard date.year >= 1900, date <= today.adding(days: 1) else {
            throw InvalidInput(field: "birth_date", reason: "must be between 1900 and today")
        }
        let middle = middleName.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        self.init(
            telegramUserID: telegramUserID, telegramUsername: telegramUsername,
            language: try Language(checking: language),
            firstName: try PersonName(checking: firstName, field: "first_name"),
            lastName: try PersonName(checking: lastName, field: "last_name"),
            middleName: try middle.map { text throws(InvalidInput) in try PersonName(checking: text, field: "middle_name") },
            phone: try PhoneNumber(checking: phone), birthDate: date, sex: try Sex(checking: sex), iin: try IIN(checking: iin),
            consents: consents)
    }

    /// "Last First Middle", as Kazakh and Russian documents write a name.
    public var fullName: String {
        [lastName.text, firstName.text, middleName?.text].compactMap { $0 }.joined(separator: " ")
    }
}
