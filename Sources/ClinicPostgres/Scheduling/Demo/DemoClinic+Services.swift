import FlowEngine

extension DemoClinic {
    enum ServiceKey: String, Sendable, CaseIterable {
        case therapist, pediatrician, cardiologist, neurologist, gynecologist, endocrinologist, ophthalmologist, ent
        case dentist, caries, teethCleaning
        case ultrasoundAbdomen, ultrasoundThyroid, ecg, holter
        case bloodCount, bloodBiochemistry, thyroidHormone
    }

    /// The catalogue with Almaty prices. A branch offers the services its doctors provide.
    static let services: [ServiceEntry] = [
        ServiceEntry(key: .therapist, name: LocalizedText(ru: "Консультация терапевта", kk: "Терапевттің кеңесі"),
                     durationMinutes: 30, priceTenge: 7_000, prepaymentRequired: false, osmsCovered: true),
        ServiceEntry(key: .pediatrician, name: LocalizedText(ru: "Консультация педиатра", kk: "Педиатрдың кеңесі"),
                     durationMinutes: 30, priceTenge: 8_000, prepaymentRequired: false, osmsCovered: true),
        ServiceEntry(key: .cardiologist, name: LocalizedText(ru: "Консультация кардиолога", kk: "Кардиологтың кеңесі"),
                     durationMinutes: 30, priceTenge: 12_000, prepaymentRequired: false, osmsCovered: false),
        ServiceEntry(key: .neurologist, name: LocalizedText(ru: "Консультация невролога", kk: "Невропатологтың кеңесі"),
                     durationMinutes: 30, priceTenge: 11_000, prepaymentRequired: false, osmsCovered: false),
        ServiceEntry(key: .gynecologist, name: LocalizedText(ru: "Консультация гинеколога", kk: "Гинекологтың кеңесі"),
                     durationMinutes: 30, priceTenge: 10_000, prepaymentRequired: false, osmsCovered: true),
        ServiceEntry(key: .endocrinologist, name: LocalizedText(ru: "Консультация эндокринолога", kk: "Эндокринологтың кеңесі"),
                     durationMinutes: 30, priceTenge: 12_000, prepaymentRequired: false, osmsCovered: false),
        ServiceEntry(key: .ophthalmologist, name: LocalizedText(ru: "Консультация офтальмолога", kk: "Офтальмологтың кеңесі"),
                     durationMinutes: 20, priceTenge: 9_000, prepaymentRequired: false, osmsCovered: false),
        ServiceEntry(key: .ent, name: LocalizedText(ru: "Консультация ЛОР-врача", kk: "ЛОР дәрігерінің кеңесі"),
                     durationMinutes: 20, priceTenge: 9_000, prepaymentRequired: false, osmsCovered: false),
        ServiceEntry(key: .dentist, name: LocalizedText(ru: "Консультация стоматолога", kk: "Стоматологтың кеңесі"),
                     durationMinutes: 20, priceTenge: 5_000, prepaymentRequired: false, osmsCovered: false),
        ServiceEntry(key: .caries, name: LocalizedText(ru: "Лечение кариеса с пломбой", kk: "Тіс жегісін емдеу, пломба қою"),
                     durationMinutes: 60, priceTenge: 25_000, prepaymentRequired: true, osmsCovered: false),
        ServiceEntry(key: .teethCleaning, name: LocalizedText(ru: "Профессиональная чистка зубов", kk: "Тісті кәсіби тазалау"),
                     durationMinutes: 60, priceTenge: 20_000, prepaymentRequired: true, osmsCovered: false),
        ServiceEntry(key: .ultrasoundAbdomen, name: LocalizedText(ru: "УЗИ брюшной полости", kk: "Құрсақ қуысының УДЗ"),
                     durationMinutes: 30, priceTenge: 9_500, prepaymentRequired: true, osmsCovered: false),
        ServiceEntry(key: .ultrasoundThyroid, name: LocalizedText(ru: "УЗИ щитовидной железы", kk: "Қалқанша безінің УДЗ"),
                     durationMinutes: 20, priceTenge: 6_000, prepaymentRequired: false, osmsCovered: false),
        ServiceEntry(key: .ecg, name: LocalizedText(ru: "ЭКГ с расшифровкой", kk: "ЭКГ түсіру және қорытынды"),
                     durationMinutes: 15, priceTenge: 3_500, prepaymentRequired: false, osmsCovered: true),
        ServiceEntry(key: .holter, name: LocalizedText(ru: "Суточное мониторирование ЭКГ по Холтеру", kk: "Холтер бойынша ЭКГ-ны тәуліктік бақылау"),
                     durationMinutes: 30, priceTenge: 18_000, prepaymentRequired: true, osmsCovered: false),
        ServiceEntry(key: .bloodCount, name: LocalizedText(ru: "Общий анализ крови", kk: "Жалпы қан талдауы"),
                     durationMinutes: 15, priceTenge: 3_000, prepaymentRequired: false, osmsCovered: true),
        ServiceEntry(key: .bloodBiochemistry, name: LocalizedText(ru: "Биохимический анализ крови", kk: "Қанның биохимиялық талдауы"),
                     durationMinutes: 15, priceTenge: 8_500, prepaymentRequired: false, osmsCovered: false),
        ServiceEntry(key: .thyroidHormone, name: LocalizedText(ru: "Анализ крови на гормон ТТГ", kk: "Қандағы ТТГ гормонына талдау"),
                     durationMinutes: 15, priceTenge: 4_500, prepaymentRequired: false, osmsCovered: false),
    ]

    /// A catalogue price in a branch's city, rounded to 500 ₸ and never below the cheapest
    /// service of the catalogue.
    static func price(_ tenge: Int, percent: Int) -> Int {
        guard percent != 100 else { return tenge }
        return max(3_000, (tenge * percent / 100 + 250) / 500 * 500)
    }
}
