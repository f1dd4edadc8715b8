import ClinicContract
import FlowEngine

/// `POST patient/upsert/`: the original system's registration fields.
struct PatientUpsertBody: Decodable {
    struct Consents: Decodable {
        let personalData: Bool
        let medicalIntervention: Bool
        let marketing: Bool?
        /// The version of the text the patient agreed to; required: a consent that cannot be
        /// shown with its words is not stored.
        let text: ConsentText?
        /// `desk` when the patient signed at the registry; `api` otherwise.
        let channel: String?

        enum CodingKeys: String, CodingKey {
            case personalData = "personal_data"
            case medicalIntervention = "medical_intervention"
            case marketing, text, channel
        }
    }

    /// `{key, sha256, language}`: which text (a form's name and version) and its SHA-256.
    struct ConsentText: Decodable {
        let key: String
        let sha256: String
        let language: String?
    }

    let telegramUserID: PositiveID
    let telegramUsername: TelegramUsername?
    let language: String?
    let firstName: String
    let lastName: String
    let middleName: String?
    let phone: String
    let birthDate: String
    let sex: String
    let iin: String
    let consents: Consents

    enum CodingKeys: String, CodingKey {
        case telegramUserID = "telegram_user_id"
        case telegramUsername = "telegram_username"
        case language
        case firstName = "first_name"
        case lastName = "last_name"
        case middleName = "middle_name"
        case phone
        case birthDate = "birth_date"
        case sex, iin, consents
    }

    /// Checked with the same types the registration dialogue uses; throws `InvalidInput`.
    func draft() throws -> PatientDraft {
        let channel: ConsentChannel
        switch consents.channel ?? "api" {
        case "api": channel = .api
        case "desk": channel = .desk
        default: throw InvalidInput(field: "consents.channel", reason: "must be api or desk")
        }
        var wordings: [ConsentKind: ConsentWording] = [:]
        if let text = consents.text {
            if let language = text.language, Language(rawValue: language) == nil {
                throw InvalidInput(field: "consents.text.language", reason: "must be ru or kk")
            }
            let wording = try ConsentWording(key: text.key, sha256Hex: text.sha256, language: text.language)
            for kind in ConsentKind.allCases { wordings[kind] = wording }
        } else if consents.personalData && consents.medicalIntervention {
            // Without the required consents the answer is consent_required, text or not.
            throw InvalidInput(field: "consents.text", reason: "must say which text the patient agreed to: {key, sha256}")
        }
        return try PatientDraft(
            telegramUserID: telegramUserID.value, telegramUsername: telegramUsername?.text, language: language ?? "ru",
            firstName: firstName, lastName: lastName, middleName: middleName, phone: phone, birthDate: birthDate,
            sex: sex, iin: iin,
            consents: PatientConsents(
                personalData: consents.personalData, medicalIntervention: consents.medicalIntervention,
                marketing: consents.marketing ?? false, wordings: wordings, channel: channel))
    }
}

/// A Telegram username as Telegram allows it (letters, digits, underscore), at most 64
/// characters; a leading "@" is dropped. Free text would reach the database unchecked.
struct TelegramUsername: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard var text = try? container.decode(String.self) else { throw container.refuse("must be a string") }
        if text.hasPrefix("@") { text.removeFirst() }
        guard (1...64).contains(text.utf8.count),
              text.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { throw container.refuse("must be 1 to 64 letters, digits or underscores") }
        self.text = text
    }
}

/// `patient/upsert/`'s answer.
struct PatientUpsertAnswer: Encodable {
    let patientID: Int64
    let telegramLinkID: Int64
    let created: Bool
    let fullName: String

    init(_ saved: SavedPatient) {
        patientID = saved.patientID
        telegramLinkID = saved.telegramLinkID
        created = saved.created
        fullName = saved.fullName
    }

    enum CodingKeys: String, CodingKey {
        case patientID = "patient_id"
        case telegramLinkID = "telegram_link_id"
        case created
        case fullName = "full_name"
    }
}

/// `patient/by-telegram/{id}/`: the patient card, IIN and phone masked unless the caller asks
/// for them (`reveal=true`); every read is audited.
struct PatientAnswer: Encodable {
    struct Consents: Encodable {
        let personalData: Bool
        let medicalIntervention: Bool
        let marketing: Bool

        enum CodingKeys: String, CodingKey {
            case personalData = "personal_data"
            case medicalIntervention = "medical_intervention"
            case marketing
        }
    }

    let record: PatientRecord
    /// The IIN and phone in clear; otherwise masked (`9003••••••03`, `+7 701 ••• •• 67`).
    let revealing: Bool

    enum CodingKeys: String, CodingKey {
        case patientID = "patient_id"
        case telegramLinkID = "telegram_link_id"
        case firstName = "first_name"
        case lastName = "last_name"
        case middleName = "middle_name"
        case fullName = "full_name"
        case language
        case birthDate = "birth_date"
        case sex, iin, phone, consents
        case osmsStatus = "osms_status"
        case tags
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(record.patientID, forKey: .patientID)
        try c.encode(record.telegramLinkID, forKey: .telegramLinkID)
        try c.encode(record.firstName, forKey: .firstName)
        try c.encode(record.lastName, forKey: .lastName)
        try c.encode(record.middleName, forKey: .middleName)  // null, not absent
        try c.encode(record.fullName, forKey: .fullName)
        try c.encode(record.language, forKey: .language)
        try c.encode(record.birthDate, forKey: .birthDate)
        try c.encode(record.sex, forKey: .sex)
        try c.encode(revealing ? record.iin : record.iinMasked, forKey: .iin)
        try c.encode(revealing ? record.phone : record.phoneMasked, forKey: .phone)
        try c.encode(
            Consents(
                personalData: record.consents.personalData, medicalIntervention: record.consents.medicalIntervention,
                marketing: record.consents.marketing),
            forKey: .consents)
        try c.encode(record.osmsStatus, forKey: .osmsStatus)
        try c.encode(record.tags, forKey: .tags)
    }
}

/// `POST patient/link-code/`: the card's IIN, as on the patient's identity document.
struct LinkCodeBody: Decodable {
    let iin: String
}

/// The code and when it stops working.
struct LinkCodeAnswer: Encodable {
    let code: String
    let expiresAt: String

    enum CodingKeys: String, CodingKey {
        case code
        case expiresAt = "expires_at"
    }
}
