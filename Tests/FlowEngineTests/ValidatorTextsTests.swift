import Testing
@testable import FlowEngine

/// Texts: every key exists in Russian and Kazakh with the same placeholders and the plural forms
/// each language needs; texts and buttons fit Telegram; templates parse.
@Suite("Validator: texts")
struct ValidatorTextsTests {
    /// `say: booking.hello` with the given `args` line.
    static func say(_ args: String = "") -> String {
        """
        flow: booking
        entry: hello
        steps:
          hello:
            say: booking.hello
            \(args.isEmpty ? "end: true" : args + "\n    end: true")
        """
    }

    @Test func keyMissingInOneLanguageWithSuggestion() {
        let ru = "booking:\n  hello: \"Здравствуйте\""
        let kk = "booking:\n  helo: \"Сәлеметсіз бе\""
        #expect(Validation.run(Self.say(), ru: ru, kk: kk) == [
            "[locale-key] flows/booking.yaml:5:10: error: text 'booking.hello' is missing in locales/kk.yaml; did you mean 'booking.helo'?",
            "[locale-key] locales/kk.yaml:2:3: error: text 'booking.helo' is missing in locales/ru.yaml",
            "[unused-key] locales/kk.yaml:2:3: warning: text 'booking.helo' in locales/kk.yaml is not used by any flow",
        ])
    }

    @Test func keyMissingInBothLanguages() {
        #expect(Validation.run(Self.say()) == [
            "[locale-key] flows/booking.yaml:5:10: error: text 'booking.hello' is missing in locales/ru.yaml",
            "[locale-key] flows/booking.yaml:5:10: error: text 'booking.hello' is missing in locales/kk.yaml",
        ])
    }

    @Test func keyInKazakhButNotInRussian() {
        let ru = "booking:\n  hello: \"Здравствуйте\""
        let kk = "booking:\n  hello: \"Сәлеметсіз бе\"\n  thanks: \"Рақмет\""
        #expect(Validation.run(Self.say(), ru: ru, kk: kk) == [
            "[locale-key] locales/kk.yaml:3:3: error: text 'booking.thanks' is missing in locales/ru.yaml",
            "[unused-key] locales/kk.yaml:3:3: warning: text 'booking.thanks' in locales/kk.yaml is not used by any flow",
        ])
    }

    @Test func placeholdersDifferBetweenLanguages() {
        let ru = "booking:\n  hello: \"{name}, вы записаны на {day:date}\""
        let kk = "booking:\n  hello: \"{name}, сіз жазылдыңыз\""
        #expect(Validation.run(Self.say("args: { name: user.name, day: \"today()\" }"), ru: ru, kk: kk) == [
            "[placeholder] locales/kk.yaml:2:3: error: text 'booking.hello' has placeholders {name} in locales/kk.yaml but {day}, {name} in locales/ru.yaml",
        ])
    }

    @Test func stepDoesNotGiveAPlaceholderTheTextNeeds() {
        let ru = "booking:\n  hello: \"Здравствуйте, {name}!\""
        let kk = "booking:\n  hello: \"Сәлеметсіз бе, {name}!\""
        #expect(Validation.run(Self.say(), ru: ru, kk: kk) == [
            "[placeholder] flows/booking.yaml:5:10: error: text 'booking.hello' in locales/ru.yaml needs {name}; give it under 'args'",
            "[placeholder] flows/booking.yaml:5:10: error: text 'booking.hello' in locales/kk.yaml needs {name}; give it under 'args'",
        ])
    }

    @Test func stepGivesAnArgumentTheTextDoesNotUse() {
        let ru = "booking:\n  hello: \"Здравствуйте!\""
        let kk = "booking:\n  hello: \"Сәлеметсіз бе!\""
        #expect(Validation.run(Self.say("args: { name: user.name }"), ru: ru, kk: kk) == [
            "[placeholder] flows/booking.yaml:5:10: warning: argument 'name' is not used by text 'booking.hello'",
        ])
    }

    static let pluralFlow = """
        flow: booking
        entry: visits
        steps:
          visits:
            say: booking.visits
            args: { count: 3 }
            end: true
        """

    @Test func pluralFormsEachLanguageNeeds() {
        let ru = """
            booking:
              visits:
                one: "{count} запись"
                few: "{count} записи"
                other: "{count} записи"
            """
        let kk = """
            booking:
              visits:
                other: "{count} жазылу"
            """
        #expect(Validation.run(Self.pluralFlow, ru: ru, kk: kk) == [
            "[plural] locales/kk.yaml:2:3: error: text 'booking.visits' in locales/kk.yaml needs the plural forms one, other; missing: one",
            "[plural] locales/ru.yaml:2:3: error: text 'booking.visits' in locales/ru.yaml needs the plural forms one, few, many, other; missing: many",
        ])
    }

    @Test func pluralFormTheLanguageNeverUses() {
        let ru = """
            booking:
              visits:
                one: "{count} запись"
                few: "{count} записи"
                many: "{count} записей"
                other: "{count} записи"
            """
        let kk = """
            booking:
              visits:
                one: "{count} жазылу"
                few: "{count} жазылу"
                other: "{count} жазылу"
            """
        #expect(Validation.run(Self.pluralFlow, ru: ru, kk: kk) == [
            "[plural] locales/kk.yaml:2:3: warning: text 'booking.visits' in locales/kk.yaml: the form 'few' is never used in this language",
        ])
    }

    @Test func pluralTextWithoutCount() {
        let ru = """
            booking:
              visits:
                one: "У вас одна запись"
                few: "У вас несколько записей"
                many: "У вас много записей"
                other: "У вас несколько записей"
            """
        let kk = """
            booking:
              visits:
                one: "Сізде бір жазылу бар"
                other: "Сізде бірнеше жазылу бар"
            """
        let flow = Self.pluralFlow.replacingOccurrences(of: "    args: { count: 3 }\n", with: "")
        #expect(Validation.run(flow, ru: ru, kk: kk) == [
            "[placeholder] flows/booking.yaml:5:10: error: text 'booking.visits' has plural forms, chosen by 'count'; give 'count' under 'args'",
        ])
    }

    static let confirmFlow = """
        flow: booking
        entry: confirm
        steps:
          confirm:
            ask: booking.confirm
            choices:
              - { label: booking.yes, value: true }
            save: form.confirmed
            end: true
        """

    @Test func buttonLabelWithPlaceholders() {
        let ru = "booking:\n  confirm: \"Записать?\"\n  yes: \"Да, {name}\""
        let kk = "booking:\n  confirm: \"Жазайын ба?\"\n  yes: \"Иә, {name}\""
        #expect(Validation.run(Self.confirmFlow, ru: ru, kk: kk) == [
            "[placeholder] flows/booking.yaml:7:18: error: text 'booking.yes' is a label and cannot have placeholders, but locales/ru.yaml has {name}",
            "[placeholder] flows/booking.yaml:7:18: error: text 'booking.yes' is a label and cannot have placeholders, but locales/kk.yaml has {name}",
        ])
    }

    @Test func textLongerThanTelegramAllows() {
        let ru = "booking:\n  hello: \"\(String(repeating: "а", count: 4097))\""
        let kk = "booking:\n  hello: \"\(String(repeating: "ә", count: 4096))\""
        #expect(Validation.run(Self.say(), ru: ru, kk: kk) == [
            "[telegram-limit] locales/ru.yaml:2:3: error: text 'booking.hello' in locales/ru.yaml is 4097 characters; Telegram allows 4096",
        ])
    }

    @Test func buttonLabelTooLong() {
        let ru = "booking:\n  confirm: \"Записать?\"\n  yes: \"\(String(repeating: "д", count: 65))\""
        let kk = "booking:\n  confirm: \"Жазайын ба?\"\n  yes: \"\(String(repeating: "и", count: 64))\""
        #expect(Validation.run(Self.confirmFlow, ru: ru, kk: kk) == [
            "[telegram-limit] locales/ru.yaml:3:3: error: button text 'booking.yes' in locales/ru.yaml is 65 characters; Telegram buttons should have at most 64",
        ])
    }

    /// A question with `count` fixed choices, all labelled `booking.slot`.
    static func pick(_ count: Int, back: Bool) -> String {
        let choices = (1...count).map { "      - { label: booking.slot, value: \($0) }" }.joined(separator: "\n")
        return """
            flow: booking
            entry: pick
            steps:
              pick:
                ask: booking.pick
                choices:
            \(choices)
                back: \(back)
                save: form.slot
                end: true
            """
    }

    @Test("more than 100 inline buttons", arguments: [
        (101, false, "step 'pick' has 101 buttons; Telegram shows at most 100"),
        (100, true, "step 'pick' has 101 buttons (100 choices and the back button); Telegram shows at most 100"),
    ])
    func tooManyButtons(choices: Int, back: Bool, message: String) {
        let ru = "booking:\n  pick: \"Выберите время\"\n  slot: \"Время\""
        let kk = "booking:\n  pick: \"Уақытты таңдаңыз\"\n  slot: \"Уақыт\""
        #expect(Validation.run(Self.pick(choices, back: back), ru: ru, kk: kk) == [
            "[telegram-limit] flows/booking.yaml:4:3: error: \(message)",
        ])
        #expect(Validation.run(Self.pick(choices - 1, back: back), ru: ru, kk: kk) == [])
    }

    @Test func unusedKeyIsAWarning() {
        let ru = "booking:\n  hello: \"Здравствуйте\"\n  old: \"Старый текст\""
        let kk = "booking:\n  hello: \"Сәлеметсіз бе\"\n  old: \"Ескі мәтін\""
        #expect(Validation.run(Self.say(), ru: ru, kk: kk) == [
            "[unused-key] locales/kk.yaml:3:3: warning: text 'booking.old' in locales/kk.yaml is not used by any flow",
            "[unused-key] locales/ru.yaml:3:3: warning: text 'booking.old' in locales/ru.yaml is not used by any flow",
        ])
    }

    @Test func keyboardButtonThatStartsNothing() {
        let flow = """
            flow: booking
            triggers:
              texts: [booking.menu]
            entry: menu
            steps:
              menu:
                ask: booking.title
                keyboard:
                  - [ booking.menu, booking.help ]
            """
        let ru = "booking:\n  title: \"Меню\"\n  menu: \"Главное меню\"\n  help: \"Помощь\""
        let kk = "booking:\n  title: \"Мәзір\"\n  menu: \"Басты мәзір\"\n  help: \"Көмек\""
        #expect(Validation.run(flow, ru: ru, kk: kk) == [
            "[button] flows/booking.yaml:9:25: warning: keyboard button 'booking.help' starts no flow and answers nothing; give it a 'value', or add its key to some flow's 'triggers.texts'",
        ])
    }

    @Test func invalidReasonTheInputTypeDoesNotHave() {
        let flow = """
            flow: booking
            entry: phone
            steps:
              phone:
                ask: booking.phone
                input: phone
                invalid: { format: booking.bad_phone, too_old: booking.bad_phone }
                save: form.phone
                end: true
            sensitive: [form]
            """
        let ru = "booking:\n  phone: \"Телефон?\"\n  bad_phone: \"Не похоже на номер\""
        let kk = "booking:\n  phone: \"Телефон?\"\n  bad_phone: \"Нөмірге ұқсамайды\""
        #expect(Validation.run(flow, ru: ru, kk: kk) == [
            "[invalid-reason] flows/booking.yaml:7:52: error: input type 'phone' has no reason 'too_old'; its reasons: format, not_kazakhstan, not_own",
        ])
    }

    @Test("a template error is reported at its line and column in the locale file", arguments: [
        // Plain, single-quoted and double-quoted scalars: the column inside the line.
        ("  hello: Здравствуйте, {name!", "2:29", "'!' cannot be in a placeholder name: use letters, digits and _, then '}'"),
        ("  hello: 'Здравствуйте, {name:dat}'", "2:31", "unknown format 'dat': valid formats are date, datetime, time, weekday, month, money, plain"),
        ("  hello: \"Скидка 10%}\"", "2:21", "stray '}': write '}}' for a literal brace"),
        ("  hello: \"\\\"Клиника\\\" {name\"", "2:23", "'{' is not closed: write '{{' for a literal brace"),
        // A literal block scalar: the text starts on the line after '|'.
        ("  hello: |-\n    Здравствуйте!\n    Вы записаны на {day:date.\n", "4:29", "expected '}' after the format, found '.'"),
        ("  hello: |\n    {}\n", "3:6", "empty placeholder name"),
        ("  hello: |\n    Здравствуйте!\n\n    {}\n", "5:6", "empty placeholder name"),
        // A folded block scalar: lines are joined by spaces.
        ("  hello: >-\n    Здравствуйте!\n    Вы записаны на {1day}.\n", "4:21", "placeholder name '1day' starts with a digit"),
        ("  hello: >\n    Здравствуйте!\n\n    Ваш {1x}\n", "5:10", "placeholder name '1x' starts with a digit"),
        // A plain scalar over two lines.
        ("  hello: Здравствуйте,\n    ваш приём {day:dat}.\n", "3:20", "unknown format 'dat': valid formats are date, datetime, time, weekday, month, money, plain"),
    ])
    func templateError(line: String, at: String, message: String) {
        let ru = "booking:\n" + line
        let kk = "booking:\n  hello: \"Сәлеметсіз бе\""
        #expect(Validation.run(Self.say(), ru: ru, kk: kk) == ["[template] locales/ru.yaml:\(at): error: \(message)"])
    }

    @Test func missingLocaleFile() {
        #expect(Validation.run(flows: [], kk: nil) == [
            "[locale-file] locales/kk.yaml:1:1: error: no locale file for 'kk'; every text must exist in Russian and Kazakh",
        ])
    }

    @Test func localeFileOfAnUnsupportedLanguage() {
        #expect(Validation.run(flows: [], extraLocales: [.init(path: "locales/en.yaml", text: "hello: Hello")]) == [
            "[locale-file] locales/en.yaml:1:1: warning: 'en' is not a supported language (ru, kk); the file is ignored",
        ])
    }

    @Test func localeKeyWithABadName() {
        let ru = "booking:\n  hello: \"Здравствуйте\"\n  good-bye: \"До свидания\""
        let kk = "booking:\n  hello: \"Сәлеметсіз бе\""
        #expect(Validation.run(Self.say(), ru: ru, kk: kk) == [
            "[name] locales/ru.yaml:3:3: error: locale key part 'good-bye' may contain only latin letters, digits and '_'",
        ])
    }
}
