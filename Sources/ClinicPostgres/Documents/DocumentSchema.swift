/// Documents for patients. The file itself is kept in PostgreSQL, encrypted (`content`), not on
/// disk: every instance reads it without a shared folder, the backup that holds the patient
/// holds their documents, and a file and its row (and its audit entry) are written in one
/// transaction. Files are small (a generated page is ~30 KiB; uploads are capped at
/// `DocumentLimits.maximumFileBytes`). When a document's `expires_at` passes, the cleanup task
/// clears `content` and sets `removed_at`; the row stays, so the patient still sees that the
/// document existed and where to ask for it.
enum DocumentSchema {
    static let documents = Migration(version: 12, name: "bot_documents", sql: """
        CREATE TABLE bot_documents (
            id           bigserial PRIMARY KEY,
            -- Shown on the document and in the bot: "2026-000042".
            number       text NOT NULL UNIQUE,
            patient_id   bigint NOT NULL REFERENCES patients (id),
            kind         text NOT NULL CHECK (kind IN ('referral', 'prescription', 'analysis', 'certificate', 'tax_deduction')),
            title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
            language     text NOT NULL CHECK (language IN ('ru', 'kk')),
            origin       text NOT NULL CHECK (origin IN ('generated', 'uploaded')),
            file_name    text NOT NULL,
            -- AES-256-GCM under the PII key, bound to `number`; NULL once removed.
            content      bytea NULL,
            size         integer NOT NULL CHECK (size > 0),
            sha256       bytea NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now(),
            expires_at   timestamptz NULL,
            removed_at   timestamptz NULL,
            CHECK ((content IS NULL) = (removed_at IS NOT NULL))
        );
        CREATE INDEX bot_documents_patient_idx ON bot_documents (patient_id, kind, created_at DESC, id DESC);
        CREATE INDEX bot_documents_expiring_idx ON bot_documents (expires_at) WHERE removed_at IS NULL AND expires_at IS NOT NULL;
        """)
}

extension DocumentSchema {
    /// The documents' domain.
    static let migrations: [Migration] = [documents]
}
