ALTER TABLE meetings ADD COLUMN text_checkin BOOLEAN NOT NULL DEFAULT FALSE;
-- Set when the person unfollows the Official Account: no OA notices until they follow again.
ALTER TABLE people ADD COLUMN oa_unfollowed_at BIGINT;

-- One row per invited person (every role but "informed"): the answer to the invitation and
-- the check-in.
CREATE TABLE participants (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    rsvp TEXT NOT NULL DEFAULT 'pending',
    rsvp_reason TEXT,
    rsvp_at BIGINT,
    delegate_id BIGINT REFERENCES people (id),
    checked_in_at BIGINT,
    checked_in_by BIGINT REFERENCES people (id),
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX participants_person ON participants (person_id);

CREATE TABLE minutes_entries (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    agenda_position INTEGER,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX minutes_entries_meeting ON minutes_entries (meeting_id, id);

CREATE TABLE minutes_reads (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    read_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);

CREATE TABLE action_items (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    decision_id BIGINT REFERENCES minutes_entries (id),
    title TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES people (id),
    -- local calendar date, YYYY-MM-DD
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX action_items_owner ON action_items (owner_id, status);
CREATE INDEX action_items_meeting ON action_items (meeting_id);

CREATE TABLE action_progress (
    id BIGSERIAL PRIMARY KEY,
    action_item_id BIGINT NOT NULL REFERENCES action_items (id),
    author_id BIGINT NOT NULL REFERENCES people (id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX action_progress_item ON action_progress (action_item_id, id);

CREATE TABLE feedback (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    rating INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    submitted_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);

-- Server-generated secrets (e.g. the key that signs check-in codes), shared by every instance.
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A check-in code scanned by a follower who is not bound yet: honoured once they bind.
CREATE TABLE pending_checkins (
    openid TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    scanned_at BIGINT NOT NULL
);
