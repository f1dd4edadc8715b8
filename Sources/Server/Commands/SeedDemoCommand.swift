import ArgumentParser
import ClinicPostgres
import FlowEngine
import Foundation

/// `clinic-bot seed-demo`: fill an empty clinic database with the demo clinic. Idempotent: a
/// database already seeded, or with a clinic of its own, is left as it is.
struct SeedDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Fill the database with a demo clinic: 3 branches, their services, doctors, schedules, a few patients (DATABASE_URL, PII_ENCRYPTION_KEY).")

    func run() async throws {
        Logs.bootstrap(fallback: .info)
        let settings = Settings()
        guard let url = settings.databaseURL else { throw CommandFailure("DATABASE_URL is not set") }
        guard let key = settings.piiKey else { throw CommandFailure("PII_ENCRYPTION_KEY is not set") }
        let cipher = try PIICipher(base64Key: key)
        let policy = try settings.bookingPolicy()

        let outcome = try await withDatabase(url: url) { client in
            try await Migrator(client: client).migrate()
            try await PIIKeyGuard.verify(cipher, client: client)
            return try await DemoSeeder(client: client, cipher: cipher, policy: policy).seed()
        }
        switch outcome {
        case .seeded(let counts):
            print("demo clinic seeded: \(counts)")
            let ids = DemoSeeder.patientTelegramUserIDs.map(String.init).joined(separator: ", ")
            print("demo patients' Telegram user ids: \(ids) (clinic-bot chat --user-id \(DemoSeeder.patientTelegramUserIDs[0]))")
        case .alreadySeeded:
            print("the demo clinic is already in the database")
        case .clinicHasData:
            print("the database already holds a clinic of its own; the demo was not added")
        }
    }
}
