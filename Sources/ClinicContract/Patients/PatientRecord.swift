import FlowEngine

/// A patient as the bot sees it, through the Telegram account linked to them.
///
/// `iin` and `phone` are decrypted; show patients `iinMasked` and `phoneMasked`.
public struct PatientRecord: Sendable, Hashable {
    public let patientID: Int64
    public let telegramLinkID: Int64
    public let firstName: String
    public let lastName: String
    public let middleName: String?
    public let language: String
    /// "YYYY-MM-DD".
    public let birthDate: String
    /// "M" or "F".
    public let sex: String
    public let iin: String
    public let phone: String
    public let consents: PatientConsents
    public let osmsStatus: String?
    public let tags: [String]

    /// "Last First Middle".
    public var fullName: String { [lastName, firstName, middleName].compactMap { $0 }.joined(separator: " ") }
    /// "9003••••••23".
    public var iinMasked: String { (try? IIN(iin).masked) ?? "••••••••••••" }
    /// "+7 701 ••• •• 67".
    public var phoneMasked: String { (try? PhoneNumber(phone).masked) ?? "+7 ••• ••• •• ••" }

    public init(patientID: Int64, telegramLinkID: Int64, firstName: String, lastName: String, middleName: String? = nil, language: String, birthDate: String, sex: String, iin: String, phone: String, consents: PatientConsents, osmsStatus: String? = nil, tags: [String]) {
        self.patientID = patientID
        self.telegramLinkID = telegramLinkID
        self.firstName = firstName
        self.lastName = lastName
        self.middleName = middleName
        self.language = language
        self.birthDate = birthDate
        self.sex = sex
        self.iin = iin
        self.phone = phone
        self.consents = consents
        self.osmsStatus = osmsStatus
        self.tags = tags
    }
}
