import FlowEngine

extension DemoClinic {
    static let branches: [BranchEntry] = [
        BranchEntry(
            key: .almaty,
            name: LocalizedText(ru: "Алматы", kk: "Алматы"),
            address: LocalizedText(
                ru: "г. Алматы, Бостандыкский район, проспект Абая, 52В",
                kk: "Алматы қ., Бостандық ауданы, Абай даңғылы, 52В"),
            phone: "+7 727 355 40 40",
            latitude: 43.2402, longitude: 76.9096,
            workingHours: LocalizedText(
                ru: "Пн–Пт 08:00–20:00, Сб 09:00–15:00, Вс — выходной",
                kk: "Дс–Жм 08:00–20:00, Сб 09:00–15:00, Жс — демалыс күні"),
            pricePercent: 100),
        BranchEntry(
            key: .astana,
            name: LocalizedText(ru: "Астана", kk: "Астана"),
            address: LocalizedText(
                ru: "г. Астана, район Есиль, проспект Кабанбай батыра, 11/5",
                kk: "Астана қ., Есіл ауданы, Қабанбай батыр даңғылы, 11/5"),
            phone: "+7 7172 79 25 25",
            latitude: 51.1283, longitude: 71.4305,
            workingHours: LocalizedText(
                ru: "Пн–Пт 08:00–19:00, Сб 09:00–14:00, Вс — выходной",
                kk: "Дс–Жм 08:00–19:00, Сб 09:00–14:00, Жс — демалыс күні"),
            pricePercent: 100),
        BranchEntry(
            key: .shymkent,
            name: LocalizedText(ru: "Шымкент", kk: "Шымкент"),
            address: LocalizedText(
                ru: "г. Шымкент, Аль-Фарабийский район, проспект Тауке хана, 35",
                kk: "Шымкент қ., Әл-Фараби ауданы, Тәуке хан даңғылы, 35"),
            phone: "+7 7252 53 17 17",
            latitude: 42.3175, longitude: 69.5942,
            workingHours: LocalizedText(
                ru: "Пн–Пт 08:00–18:00, Сб 09:00–14:00, Вс — выходной",
                kk: "Дс–Жм 08:00–18:00, Сб 09:00–14:00, Жс — демалыс күні"),
            pricePercent: 85),
    ]

    /// Public holidays of Kazakhstan with fixed dates (month, first day, last day): the clinic is
    /// closed. Holidays of the lunar calendar (Құрбан айт) move every year and are left out.
    static let holidays: [(month: Int, from: Int, to: Int, note: String)] = [
        (1, 1, 2, "Новый год / Жаңа жыл"),
        (3, 8, 8, "Международный женский день / Халықаралық әйелдер күні"),
        (3, 21, 23, "Наурыз мейрамы"),
        (5, 1, 1, "Праздник единства народа Казахстана / Қазақстан халқының бірлігі мерекесі"),
        (5, 7, 7, "День защитника Отечества / Отан қорғаушы күні"),
        (5, 9, 9, "День Победы / Жеңіс күні"),
        (7, 6, 6, "День столицы / Астана күні"),
        (8, 30, 30, "День Конституции / Конституция күні"),
        (10, 25, 25, "День Республики / Республика күні"),
        (12, 16, 16, "День Независимости / Тәуелсіздік күні"),
    ]
}
