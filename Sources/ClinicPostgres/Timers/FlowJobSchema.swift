/// Sleeping flows and flows the system starts later: one row a job, woken at `due_at`.
///
/// Several instances share the table. A job is claimed with `FOR UPDATE SKIP LOCKED` and a lease
/// (`lease_until`) judged by the database's clock, never an instance's; every claim bumps
/// `fence`, and only the holder of the latest fence may finish the job, so an instance that
/// lost its lease (paused, cut off) cannot overwrite the outcome of the one that took over. A
/// lease that ran out is claimed again like a due job: that is the rescue of a crashed holder.
/// `origin` names what made the job, once: the same input handled twice, or the planner passing
/// twice, never makes a second job.
enum FlowJobSchema {
    static let flowJobs = Migration(version: 5, name: "flow_jobs", sql: """
        CREATE TABLE flow_jobs (
            id          bigserial PRIMARY KEY,
            origin      text NOT NULL UNIQUE,
            -- The private chat, which is also the person's Telegram id.
            chat_id     bigint NOT NULL,
            flow        text NOT NULL,
            -- A sleeping flow resumes after this step (its wait); NULL: the flow starts.
            step        text NULL,
            params      jsonb NOT NULL DEFAULT '{}',
            due_at      timestamptz NOT NULL,
            state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'skipped')),
            lease_until timestamptz NULL,
            fence       bigint NOT NULL DEFAULT 0,
            attempts    integer NOT NULL DEFAULT 0,
            created_at  timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz NULL,
            -- Why a job was skipped or how it ended: 'fired', 'duplicate', 'blocked', …
            outcome     text NULL
        );
        CREATE INDEX flow_jobs_due_idx ON flow_jobs (due_at) WHERE state = 'pending';
        CREATE INDEX flow_jobs_chat_idx ON flow_jobs (chat_id) WHERE state = 'pending';
        CREATE INDEX flow_jobs_finished_idx ON flow_jobs (finished_at) WHERE state <> 'pending';
        """)
}

extension FlowJobSchema {
    /// Sleeping flows and scheduled tasks.
    static let migrations: [Migration] = [flowJobs]
}
