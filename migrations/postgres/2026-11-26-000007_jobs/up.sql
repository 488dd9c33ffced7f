-- Durable scheduled jobs: reminders, chasers, follow-up. Claimed like outbox rows, so each
-- due job runs once across instances; a restart forgets nothing.
CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    -- unique per planned occurrence: planning twice plans once
    dedupe_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    meeting_id BIGINT REFERENCES meetings (id),
    action_item_id BIGINT REFERENCES action_items (id),
    due_at BIGINT NOT NULL,
    -- pending, running, done, dropped
    status TEXT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    note TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, due_at);
CREATE INDEX jobs_meeting ON jobs (meeting_id);
CREATE INDEX jobs_item ON jobs (action_item_id);
