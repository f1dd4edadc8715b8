import FlowEngine
import Telegram

/// The command menus Telegram shows beside the message field: one list per language, from the
/// flows' `/command` triggers that have a `commands.<name>` text.
enum BotCommands {
    static func menus(for set: FlowSet) -> [SetMyCommands] {
        func list(_ language: Language) -> [BotCommand] {
            set.commands.keys.sorted().compactMap { name in
                let key = "commands.\(name)"
                guard set.locales.entry(key, in: language) != nil else { return nil }
                return BotCommand(command: name, description: set.locales.plain(key, in: language))
            }
        }
        return [
            SetMyCommands(commands: list(.ru)),
            SetMyCommands(commands: list(.ru), languageCode: "ru"),
            SetMyCommands(commands: list(.kk), languageCode: "kk"),
        ]
    }
}
