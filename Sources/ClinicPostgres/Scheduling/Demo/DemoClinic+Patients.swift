import FlowEngine

extension DemoClinic {
    /// Telegram user ids fit in 52 bits (Bot API documentation), so ids from 5·10¹⁵ on can never
    /// be a real account: no one who writes to the bot is ever linked to a demo patient. They
    /// stay below 2⁵³, exact in every JSON reader.
    static let firstTelegramUserID: Int64 = 5_000_000_000_000_001

    static let patients: [PatientEntry] = [
        PatientEntry(
            telegramUserID: firstTelegramUserID, lastName: "Серікова", firstName: "Аружан", middleName: "Болатқызы",
            born: (1992, 4, 17), sex: .female, serial: 4_127, phone: "+77015550142", language: .kk,
            visits: [
                Visit(doctor: "Серикбаева Айгуль Маратовна", service: .therapist, days: -30, notBefore: at(10)),
                Visit(doctor: "Петрова Наталья Андреевна", service: .bloodCount, days: 2, notBefore: at(8, 30)),
                Visit(doctor: "Серикбаева Айгуль Маратовна", service: .therapist, days: 3, notBefore: at(10)),
            ]),
        PatientEntry(
            telegramUserID: firstTelegramUserID + 1, lastName: "Петров", firstName: "Дмитрий", middleName: "Игоревич",
            born: (1985, 11, 2), sex: .male, serial: 2_281, phone: "+77772550318", language: .ru,
            visits: [
                Visit(doctor: "Нурмагамбетова Сауле Ерлановна", service: .therapist, days: -12, notBefore: at(9)),
                Visit(doctor: "Тулегенова Гульнар Асановна", service: .endocrinologist, days: 4, notBefore: at(11)),
            ]),
        PatientEntry(
            telegramUserID: firstTelegramUserID + 2, lastName: "Нұрланов", firstName: "Ержан", middleName: "Серікұлы",
            born: (1978, 1, 23), sex: .male, serial: 5_604, phone: "+77051230977", language: .kk,
            visits: [
                Visit(doctor: "Утебаев Бакытжан Абдиевич", service: .ecg, days: 3, notBefore: at(9)),
                Visit(doctor: "Байжанов Талгат Оралович", service: .cardiologist, days: 3, notBefore: at(15)),
            ]),
        PatientEntry(
            telegramUserID: firstTelegramUserID + 3, lastName: "Ким", firstName: "Алина", middleName: "Сергеевна",
            born: (2001, 8, 30), sex: .female, serial: 731, phone: "+77470851166", language: .ru,
            visits: [
                Visit(doctor: "Оспанова Динара Кайратовна", service: .ultrasoundAbdomen, days: -45, notBefore: at(9)),
                Visit(doctor: "Абдрахманов Нурлан Толеуович", service: .teethCleaning, days: 6, notBefore: at(16)),
            ]),
    ]
}

extension DemoClinic.PatientEntry {
    /// "YYYY-MM-DD".
    var birthDate: String {
        let (year, month, day) = born
        return "\(year)-" + (month < 10 ? "0" : "") + "\(month)-" + (day < 10 ? "0" : "") + "\(day)"
    }

    /// A valid IIN for the birth date and sex: YYMMDD, the century-and-sex digit (3/4 for men and
    /// women born in the 1900s, 5/6 in the 2000s), a four-digit serial and the check digit.
    var iin: String {
        let (year, month, day) = born
        let centuryDigit = (year < 2000 ? 3 : 5) + (sex == .male ? 0 : 1)
        let datePart = [year % 100 / 10, year % 10, month / 10, month % 10, day / 10, day % 10, centuryDigit]
        var serial = self.serial
        while true {
            let first11 = datePart + [serial / 1000 % 10, serial / 100 % 10, serial / 10 % 10, serial % 10]
            if let check = IIN.checkDigit(first11) { return (first11 + [check]).map(String.init).joined() }
            serial += 1  // no IIN is issued with these first eleven digits
        }
    }
}
