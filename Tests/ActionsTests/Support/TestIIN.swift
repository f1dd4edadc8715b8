import FlowEngine
@testable import ClinicPostgres
@testable import FlowActions

/// A valid IIN for a random person, with the birth date and sex it encodes.
struct TestIIN {
    let digits: String
    let birthDate: String
    let sex: String

    /// Digits 1–6 are YYMMDD; digit 7 is the century and sex (3/4: men/women born in the 1900s,
    /// 5/6: in the 2000s); 8–11 a serial; 12 the checksum. Serials without a checksum are skipped.
    static func random() -> TestIIN {
        let year = Int.random(in: 1940...2009)
        let month = Int.random(in: 1...12)
        let day = Int.random(in: 1...28)
        let male = Bool.random()
        let centuryDigit = (year < 2000 ? 3 : 5) + (male ? 0 : 1)
        let datePart = [year % 100 / 10, year % 10, month / 10, month % 10, day / 10, day % 10]
        while true {
            let first11 = datePart + [centuryDigit] + (0..<4).map { _ in Int.random(in: 0...9) }
            guard let check = IIN.checkDigit(first11) else { continue }
            let pad = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
            return TestIIN(
                digits: (first11 + [check]).map(String.init).joined(),
                birthDate: "\(year)-\(pad(month))-\(pad(day))",
                sex: male ? "M" : "F")
        }
    }
}

enum TestData {
    /// Telegram ids far apart from any a test picks on purpose; unique per test run in practice.
    static func telegramUserID() -> Int64 { Int64.random(in: 1_000_000_000...9_000_000_000_000) }

    static func phone() -> String {
        "+7" + ["701", "702", "705", "707", "747", "777"].randomElement()!
            + (0..<7).map { _ in String(Int.random(in: 0...9)) }.joined()
    }

    static func key() -> String {
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString()
    }

    /// The registration's texts as the bot shows them in Kazakh.
    static let wordings: [ConsentKind: ConsentWording] = [
        .personalData: ConsentWording(key: "registration.consent_personal_data", text: "Дербес деректерді өңдеуге келісім", language: "kk"),
        .medicalIntervention: ConsentWording(key: "registration.consent_medical", text: "Медициналық араласуға келісім", language: "kk"),
        .marketing: ConsentWording(key: "registration.consent_marketing", text: "Жаңалықтар", language: "kk"),
    ]

    static func consents(marketing: Bool = false) -> PatientConsents {
        PatientConsents(personalData: true, medicalIntervention: true, marketing: marketing, wordings: wordings, channel: .bot)
    }

    static func draft(
        telegramUserID: Int64 = telegramUserID(), iin: TestIIN = .random(), phone: String = phone(),
        firstName: String = "Айгерим", lastName: String = "Сериккызы", middleName: String? = nil,
        language: String = "kk", consents: PatientConsents = consents()
    ) throws -> PatientDraft {
        try PatientDraft(
            telegramUserID: telegramUserID, telegramUsername: "user\(telegramUserID)", language: language,
            firstName: firstName, lastName: lastName, middleName: middleName, phone: phone,
            birthDate: iin.birthDate, sex: iin.sex, iin: iin.digits, consents: consents)
    }
}

import Foundation
