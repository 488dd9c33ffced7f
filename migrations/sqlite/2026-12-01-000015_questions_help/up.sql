-- Questions put to the host during a meeting (提问 / 匿名提问). The asker is kept even for an
-- anonymous question, so the answer can reach them; chat and pages never show it.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    asker_id BIGINT NOT NULL REFERENCES people (id),
    anonymous BOOLEAN NOT NULL,
    body TEXT NOT NULL,
    -- The agenda item running when it was asked.
    agenda_position INTEGER,
    asked_at BIGINT NOT NULL,
    answered_by BIGINT REFERENCES people (id),
    answered_at BIGINT,
    answer TEXT
);
CREATE INDEX questions_meeting ON questions (meeting_id);

-- Help on site (求助): taken by one of the meeting's IT support or organizers, then resolved.
CREATE TABLE help_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    asker_id BIGINT NOT NULL REFERENCES people (id),
    body TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    taken_by BIGINT REFERENCES people (id),
    taken_at BIGINT,
    resolved_at BIGINT
);
CREATE INDEX help_requests_meeting ON help_requests (meeting_id);
