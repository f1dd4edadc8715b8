@testable import ClinicPostgres
@testable import FlowActions
import PostgresNIO
import Testing
import TestSupport

@Suite("Migrations", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct MigratorTests {
    @Test("the domains' migrations make one sequence: versions 1, 2, 3, … without a gap or a repeat")
    func oneSequence() {
        #expect(Migrations.all.map(\.version) == Array(1...Migrations.all.count))
    }

    @Test("migrating twice applies everything once, then nothing")
    func idempotent() async throws {
        try await TestDatabase.withEmptySchema { client in
            let migrator = Migrator(client: client)
            #expect(try await migrator.migrate() == Migrations.all.map(\.version))
            #expect(try await migrator.migrate() == [])
            #expect(try await migrator.appliedVersions() == Migrations.all.map(\.version))
            let tables = try await client.query("""
                SELECT table_name::text FROM information_schema.tables
                WHERE table_schema = current_schema() ORDER BY table_name
                """).collect().map { try $0.decode(String.self) }
            #expect(tables == [
                "appointments", "bot_audit", "bot_documents", "bot_feedback", "bot_invoices", "bot_payment_anomalies", "bot_payments", "branches", "doctor_branches", "doctor_schedules", "doctor_services", "doctors",
                "flow_jobs", "patient_consent_events", "patient_link_codes", "patient_telegram_links", "patients", "pii_key", "schedule_breaks", "schedule_exceptions", "schema_migrations", "services",
                "staff_alerts",
            ])
        }
    }

    @Test("instances migrating at the same moment apply each migration exactly once")
    func concurrent() async throws {
        try await TestDatabase.withEmptySchema { client in
            let applied = try await withThrowingTaskGroup(of: [Int].self) { group throws in
                for _ in 0..<4 { group.addTask { try await Migrator(client: client).migrate() } }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(applied.sorted() == Migrations.all.map(\.version))
        }
    }

    @Test("a failing migration leaves nothing behind and names itself")
    func failing() async throws {
        try await TestDatabase.withEmptySchema { client in
            let broken = Migrations.all + [Migration(version: 999, name: "broken", sql: """
                CREATE TABLE half_done (id int);
                SELECT no_such_function();
                """)]
            await #expect(throws: MigrationError.self) { try await Migrator(client: client, migrations: broken).migrate() }
            #expect(try await Migrator(client: client).appliedVersions() == Migrations.all.map(\.version))
            let leftovers = try await client.query("SELECT to_regclass('half_done')::text").collect()
            #expect(try leftovers.first?.decode(String?.self) == nil)
        }
    }

    @Test("migrations out of order are refused before touching the database")
    func order() async throws {
        try await TestDatabase.withEmptySchema { client in
            let shuffled = Array(Migrations.all.reversed())
            await #expect(throws: MigrationError.self) { try await Migrator(client: client, migrations: shuffled).migrate() }
        }
    }
}
