import FlowEngine

extension DemoClinic {
    // Weekly patterns. A lunch break 13:00–14:00 on full days; Saturdays are short and without one.
    static let lunch = [ClosedOpen(at(13), at(14))]
    static let weekdaysFull = Shift(weekdays: [1, 2, 3, 4, 5], start: at(9), end: at(18), breaks: lunch)
    static let saturdayMorning = Shift(weekdays: [6], start: at(9), end: at(14))
    /// The procedure room takes blood in the morning, on an empty stomach.
    static let procedureRoom = [
        Shift(weekdays: [1, 2, 3, 4, 5], start: at(8), end: at(12)),
        Shift(weekdays: [6], start: at(9), end: at(12)),
    ]

    /// Russian full names follow Russian documents (patronymic in -ович/-овна), Kazakh ones
    /// Kazakh documents (-ұлы/-қызы); names of other origins are written alike in both.
    static let doctors: [DoctorEntry] = almatyDoctors + astanaDoctors + shymkentDoctors

    static let almatyDoctors: [DoctorEntry] = [
        DoctorEntry(
            fullName: LocalizedText(ru: "Серикбаева Айгуль Маратовна", kk: "Серікбаева Айгүл Маратқызы"),
            specialty: LocalizedText(ru: "терапевт", kk: "терапевт"),
            city: .almaty, services: [.therapist, .ecg], slotStepMinutes: 15,
            week: [weekdaysFull, saturdayMorning],
            absences: [.shortened(daysAhead: 2, until: at(13), note: "Медицинская конференция во второй половине дня")]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Иванова Елена Викторовна", kk: "Иванова Елена Викторовна"),
            specialty: LocalizedText(ru: "педиатр", kk: "педиатр"),
            city: .almaty, services: [.pediatrician], slotStepMinutes: 20,
            // Evening shifts on Tuesdays and Thursdays, for parents who work.
            week: [Shift(weekdays: [1, 3, 5], start: at(9), end: at(18), breaks: lunch),
                   Shift(weekdays: [2, 4], start: at(14), end: at(20))]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Жумабеков Ерлан Сакенович", kk: "Жұмабеков Ерлан Сәкенұлы"),
            specialty: LocalizedText(ru: "кардиолог, кандидат медицинских наук", kk: "кардиолог, медицина ғылымдарының кандидаты"),
            city: .almaty, services: [.cardiologist, .holter, .ecg], priceOverrides: [.cardiologist: 15_000],
            slotStepMinutes: 30, minGapMinutes: 10, week: [weekdaysFull]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Мусин Арман Ерикович", kk: "Мусин Арман Ерікұлы"),
            specialty: LocalizedText(ru: "невролог", kk: "невропатолог"),
            city: .almaty, services: [.neurologist], slotStepMinutes: 30,
            week: [Shift(weekdays: [1, 2, 3, 4], start: at(9), end: at(18), breaks: lunch)]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Ким Виктория Сергеевна", kk: "Ким Виктория Сергеевна"),
            specialty: LocalizedText(ru: "акушер-гинеколог", kk: "акушер-гинеколог"),
            city: .almaty, services: [.gynecologist], slotStepMinutes: 30, week: [weekdaysFull],
            absences: [.vacation(weeksAhead: 2, weeks: 2, note: "Ежегодный оплачиваемый отпуск")]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Абдрахманов Нурлан Толеуович", kk: "Әбдірахманов Нұрлан Төлеуұлы"),
            specialty: LocalizedText(ru: "стоматолог-терапевт", kk: "стоматолог-терапевт"),
            city: .almaty, services: [.dentist, .caries, .teethCleaning], slotStepMinutes: 30, minGapMinutes: 10,
            week: [weekdaysFull, saturdayMorning]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Оспанова Динара Кайратовна", kk: "Оспанова Динара Қайратқызы"),
            specialty: LocalizedText(ru: "врач ультразвуковой диагностики", kk: "ультрадыбыстық диагностика дәрігері"),
            city: .almaty, services: [.ultrasoundAbdomen, .ultrasoundThyroid], slotStepMinutes: 10, week: [weekdaysFull]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Петрова Наталья Андреевна", kk: "Петрова Наталья Андреевна"),
            specialty: LocalizedText(ru: "медицинская сестра процедурного кабинета", kk: "емшара кабинетінің мейірбикесі"),
            city: .almaty, services: [.bloodCount, .bloodBiochemistry, .thyroidHormone], slotStepMinutes: 10, week: procedureRoom),
    ]

    static let astanaDoctors: [DoctorEntry] = [
        DoctorEntry(
            fullName: LocalizedText(ru: "Нурмагамбетова Сауле Ерлановна", kk: "Нұрмағамбетова Сәуле Ерланқызы"),
            specialty: LocalizedText(ru: "терапевт", kk: "терапевт"),
            city: .astana, services: [.therapist, .ecg], slotStepMinutes: 20, week: [weekdaysFull, saturdayMorning]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Ахметова Жанар Сериковна", kk: "Ахметова Жанар Серікқызы"),
            specialty: LocalizedText(ru: "педиатр", kk: "педиатр"),
            city: .astana, services: [.pediatrician], slotStepMinutes: 15, week: [weekdaysFull]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Бекмухамбетов Аскар Бауржанович", kk: "Бекмұхамбетов Асқар Бауыржанұлы"),
            specialty: LocalizedText(ru: "невролог", kk: "невропатолог"),
            city: .astana, services: [.neurologist], slotStepMinutes: 20, minGapMinutes: 10, week: [weekdaysFull],
            absences: [.dayOff(daysAhead: 5, note: "Курсы повышения квалификации")]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Тулегенова Гульнар Асановна", kk: "Төлегенова Гүлнар Асанқызы"),
            specialty: LocalizedText(ru: "эндокринолог", kk: "эндокринолог"),
            city: .astana, services: [.endocrinologist, .ultrasoundThyroid], slotStepMinutes: 30, week: [weekdaysFull]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Сидоренко Андрей Николаевич", kk: "Сидоренко Андрей Николаевич"),
            specialty: LocalizedText(ru: "офтальмолог", kk: "офтальмолог"),
            city: .astana, services: [.ophthalmologist], slotStepMinutes: 20,
            week: [Shift(weekdays: [1, 2, 3, 4, 5], start: at(10), end: at(19), breaks: [ClosedOpen(at(14), at(15))])]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Курмангалиев Даулет Маратович", kk: "Құрманғалиев Дәулет Маратұлы"),
            specialty: LocalizedText(ru: "оториноларинголог (ЛОР)", kk: "оториноларинголог (ЛОР)"),
            city: .astana, services: [.ent], slotStepMinutes: 20, week: [weekdaysFull]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Ли Ольга Валентиновна", kk: "Ли Ольга Валентиновна"),
            specialty: LocalizedText(ru: "акушер-гинеколог", kk: "акушер-гинеколог"),
            city: .astana, services: [.gynecologist, .ultrasoundAbdomen], slotStepMinutes: 30, week: [weekdaysFull, saturdayMorning]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Смагулова Асель Жомартовна", kk: "Смағұлова Әсел Жомартқызы"),
            specialty: LocalizedText(ru: "медицинская сестра процедурного кабинета", kk: "емшара кабинетінің мейірбикесі"),
            city: .astana, services: [.bloodCount, .bloodBiochemistry, .thyroidHormone], slotStepMinutes: 10, week: procedureRoom),
    ]

    static let shymkentDoctors: [DoctorEntry] = [
        DoctorEntry(
            fullName: LocalizedText(ru: "Утебаев Бакытжан Абдиевич", kk: "Өтебаев Бақытжан Әбдіұлы"),
            specialty: LocalizedText(ru: "терапевт", kk: "терапевт"),
            city: .shymkent, services: [.therapist, .ecg], slotStepMinutes: 15, week: [weekdaysFull, saturdayMorning]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Сейткалиева Мадина Нурлановна", kk: "Сейітқалиева Мәдина Нұрланқызы"),
            specialty: LocalizedText(ru: "акушер-гинеколог", kk: "акушер-гинеколог"),
            city: .shymkent, services: [.gynecologist, .ultrasoundAbdomen], slotStepMinutes: 30, week: [weekdaysFull]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Исмаилов Рустам Ильхамович", kk: "Исмаилов Рустам Ильхамович"),
            specialty: LocalizedText(ru: "стоматолог", kk: "стоматолог"),
            city: .shymkent, services: [.dentist, .caries, .teethCleaning], slotStepMinutes: 30, minGapMinutes: 15,
            week: [weekdaysFull, saturdayMorning]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Жаксылыкова Акмарал Бекболатовна", kk: "Жақсылықова Ақмарал Бекболатқызы"),
            specialty: LocalizedText(ru: "педиатр", kk: "педиатр"),
            city: .shymkent, services: [.pediatrician], slotStepMinutes: 20, week: [weekdaysFull]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Байжанов Талгат Оралович", kk: "Байжанов Талғат Оралұлы"),
            specialty: LocalizedText(ru: "кардиолог", kk: "кардиолог"),
            city: .shymkent, services: [.cardiologist, .holter, .ecg], slotStepMinutes: 30, minGapMinutes: 5, week: [weekdaysFull]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Рахимов Шерзод Бахтиярович", kk: "Рахимов Шерзод Бахтиярович"),
            specialty: LocalizedText(ru: "оториноларинголог (ЛОР)", kk: "оториноларинголог (ЛОР)"),
            city: .shymkent, services: [.ent], slotStepMinutes: 20,
            week: [Shift(weekdays: [1, 3, 5], start: at(9), end: at(18), breaks: lunch)]),
        DoctorEntry(
            fullName: LocalizedText(ru: "Даулетова Айнур Ганиевна", kk: "Дәулетова Айнұр Ғаниқызы"),
            specialty: LocalizedText(ru: "медицинская сестра процедурного кабинета", kk: "емшара кабинетінің мейірбикесі"),
            city: .shymkent, services: [.bloodCount, .bloodBiochemistry], slotStepMinutes: 10, week: procedureRoom),
    ]
}
