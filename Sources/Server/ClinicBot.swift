import ArgumentParser

/// The `clinic-bot` command line: one executable for every job.
@main
struct ClinicBot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clinic-bot",
        abstract: "A Telegram bot for a Kazakh clinic, driven by YAML dialogues.",
        subcommands: [
            ChatCommand.self, ValidateCommand.self, TestCommand.self, MigrateCommand.self, BenchCommand.self, BenchClinicCommand.self,
            APICommand.self, ServeCommand.self, BenchWebhookCommand.self, BenchRemindersCommand.self,
            SeedDemoCommand.self, BenchPDFCommand.self, BenchPaymentsCommand.self, FakeBankCommand.self,
        ]
    )
}
