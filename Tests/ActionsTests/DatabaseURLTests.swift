import ClinicPostgres
import Testing
import TestSupport

@Suite("DATABASE_URL")
struct DatabaseURLTests {
    @Test("user and password are percent-decoded; the port and TLS default sensibly")
    func parses() throws {
        let url = try DatabaseURL("postgres://clinic%40bot:p%40ss%3Aw%2Frd@127.0.0.1/clinic")
        #expect(url.username == "clinic@bot")
        #expect(url.password == "p@ss:w/rd")
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 5432)
        #expect(url.database == "clinic")
        #expect(url.sslMode == .disable)
    }

    @Test("TLS is off by default only on loopback, and required elsewhere", arguments: [
        ("postgres://u:p@localhost:5433/db", DatabaseURL.SSLMode.disable),
        ("postgres://u:p@[::1]:5433/db", .disable),
        ("postgresql://u:p@db.clinic.kz:5433/db", .require),
        ("postgresql://u:p@db.clinic.kz:5433/db?sslmode=prefer", .prefer),
        ("postgres://u:p@127.0.0.1.nip.io/db", .require),
        ("postgres://u:p@127.0.2.7/db", .disable),
        ("postgres://u:p@db.clinic.kz/db?sslmode=require", .require),
        ("postgres://u:p@127.0.0.1/db?sslmode=verify-full", .verifyFull),
    ])
    func sslModes(_ text: String, _ mode: DatabaseURL.SSLMode) throws {
        #expect(try DatabaseURL(text).sslMode == mode)
    }

    @Test("a missing database name defaults to the user name; IPv6 brackets are removed")
    func defaults() throws {
        let url = try DatabaseURL("postgres://clinic:pw@[::1]:6000")
        #expect(url.database == "clinic")
        #expect(url.host == "::1")
        #expect(url.port == 6000)
    }

    @Test("unusable URLs are refused", arguments: [
        "mysql://u:p@h/db", "postgres://h/db", "postgres://u:p@/db", "not a url", "postgres://u:p@h/db?sslmode=allow",
    ])
    func refuses(_ text: String) {
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(text) }
    }

    @Test("the description hides the password")
    func redacts() throws {
        let url = try DatabaseURL("postgres://clinic:s3cret-pw@127.0.0.1:5432/clinic")
        #expect(!url.description.contains("s3cret-pw"))
        #expect(url.description.contains("clinic:***@"))
    }
}

@Suite("withDatabase")
struct WithDatabaseTests {
    @Test("a database that does not answer is a clear error, not a hang")
    func unreachable() async throws {
        let url = try DatabaseURL("postgres://nobody:pw@127.0.0.1:1/none")
        let started = ContinuousClock.now
        await #expect(throws: DatabaseUnreachable.self) {
            try await withDatabase(configuration: url.clientConfiguration, reachableWithin: .seconds(2)) { _ in 1 }
        }
        await #expect(throws: DatabaseUnreachable.self) { try await withDatabase(url) { _ in 1 } }
        // A bound that tells "gives up" from "hangs", loose enough for the suite's load: the
        // two calls wait 2 s and at most 10 s.
        #expect(ContinuousClock.now - started < .seconds(20))
    }
}

@Suite("withDatabase against the test database", .enabled(if: TestDatabase.isAvailable, TestDatabase.unavailable))
struct WithDatabaseCredentialsTests {
    @Test("a wrong password is reported at once, without the password")
    func wrongPassword() async throws {
        let good = try DatabaseURL(try #require(TestDatabase.url))
        let wrong = try DatabaseURL("postgres://\(good.username):wrong-pw@\(good.host):\(good.port)/\(good.database)")
        do {
            _ = try await withDatabase(wrong) { _ in 1 }
            Issue.record("connected with a wrong password")
        } catch {
            #expect("\(error)".contains("authentication failed"))
            #expect(!"\(error)".contains("wrong-pw"))
            // "At once": the probe's one connection said so ("cannot connect to …"), not the pool,
            // which would have retried for 10 s and then said "did not answer within". Proven by
            // where the answer came from, not by a stopwatch the suite's load stretches.
            #expect("\(error)".hasPrefix("cannot connect to "))
        }
    }

    @Test("withDatabase(url:) runs the body with a working client")
    func works() async throws {
        let answer = try await withDatabase(url: try #require(TestDatabase.url)) { client in
            try await client.query("SELECT 41 + 1").collect()[0].decode(Int.self)
        }
        #expect(answer == 42)
    }
}
