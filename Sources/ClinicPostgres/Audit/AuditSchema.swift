/// The audit trail of everything the bot changed. `details` never holds an IIN or a phone
/// number in clear text: see `AuditEntry`.
enum AuditSchema {
    static let botAudit = Migration(version: 3, name: "bot_audit", sql: """
        CREATE TABLE bot_audit (
            id           bigserial PRIMARY KEY,
            at           timestamptz NOT NULL DEFAULT now(),
            actor        text NOT NULL,
            action       text NOT NULL,
            object_type  text NOT NULL,
            object_id    text NULL,
            details      jsonb NOT NULL DEFAULT '{}'
        );
        CREATE INDEX bot_audit_object_idx ON bot_audit (object_type, object_id);
        CREATE INDEX bot_audit_at_idx ON bot_audit (at);
        """)

    /// The registration's daily attempt limit counts an account's refusals in the last day.
    static let byActor = Migration(version: 9, name: "bot_audit_by_actor", sql: """
        CREATE INDEX bot_audit_actor_idx ON bot_audit (actor, action, at);
        """)
}

extension AuditSchema {
    /// The audit trail's tables, for `Migrations.all`.
    static let migrations: [Migration] = [botAudit, byActor]
}
