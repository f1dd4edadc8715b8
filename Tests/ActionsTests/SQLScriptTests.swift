@testable import ClinicPostgres
@testable import FlowActions
import Testing

@Suite("SQL scripts")
struct SQLScriptTests {
    @Test("statements split at semicolons outside quotes, dollar bodies and comments")
    func splits() {
        let script = """
            CREATE TABLE a (x text DEFAULT 'a;b'); -- trailing; comment
            /* block; comment */
            CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            SELECT "odd;name", $1 FROM a;
            -- only a comment;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 3)
        #expect(statements[0] == "CREATE TABLE a (x text DEFAULT 'a;b')")
        #expect(statements[1].hasSuffix("$body$ SELECT 1; $body$ LANGUAGE sql"))
        #expect(statements[2] == "SELECT \"odd;name\", $1 FROM a")
    }

    @Test("every embedded migration splits into statements")
    func migrationsSplit() {
        for migration in Migrations.all {
            #expect(!SQLScript.statements(in: migration.sql).isEmpty)
        }
        #expect(Migrations.all.map(\.version) == Migrations.all.map(\.version).sorted())
    }
}
