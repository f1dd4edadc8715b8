/// Ratings after a visit (BotFeedback of the original system): one per appointment, 0–10 (how
/// likely the patient is to recommend the clinic), with an optional comment. A low score leaves a
/// row in `staff_alerts`, which the bot sends to the staff chat; an alert names the
/// appointment, doctor and score, never the patient's IIN or phone, nor the comment (free text
/// that may hold anything).
enum FeedbackSchema {
    static let feedback = Migration(version: 6, name: "bot_feedback", sql: """
        CREATE TABLE bot_feedback (
            id             bigserial PRIMARY KEY,
            appointment_id bigint NOT NULL UNIQUE REFERENCES appointments (id),
            patient_id     bigint NOT NULL REFERENCES patients (id),
            doctor_id      bigint NOT NULL REFERENCES doctors (id),
            score          smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
            comment        text NULL CHECK (length(comment) <= 4096),
            source         text NOT NULL DEFAULT 'telegram' CHECK (source IN ('telegram', 'api')),
            created_at     timestamptz NOT NULL DEFAULT now(),
            commented_at   timestamptz NULL
        );
        CREATE INDEX bot_feedback_created_idx ON bot_feedback (created_at);
        CREATE INDEX bot_feedback_doctor_idx ON bot_feedback (doctor_id, created_at);

        CREATE TABLE staff_alerts (
            id         bigserial PRIMARY KEY,
            kind       text NOT NULL,
            -- What the alert says, as values for its text (no personal data).
            details    jsonb NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            sent_at    timestamptz NULL
        );
        CREATE INDEX staff_alerts_pending_idx ON staff_alerts (id) WHERE sent_at IS NULL;
        """)
}

extension FeedbackSchema {
    /// Ratings and staff alerts.
    static let migrations: [Migration] = [feedback]
}
