import ArgumentParser
import ClinicPostgres
import Foundation

/// `clinic-bot migrate`: bring the database schema up to date (also done at every start).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply database migrations (DATABASE_URL).")

    func run() async throws {
        Logs.bootstrap(fallback: .info)
        guard let url = Settings().databaseURL else { throw CommandFailure("DATABASE_URL is not set") }
        let applied = try await withDatabase(url: url) { client in try await Migrator(client: client).migrate() }
        print(applied.isEmpty ? "the database is up to date" : "applied migrations: \(applied.map(String.init).joined(separator: ", "))")
    }
}
