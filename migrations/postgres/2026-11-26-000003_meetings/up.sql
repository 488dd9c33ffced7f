CREATE TABLE meetings (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    goal TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    room_id BIGINT REFERENCES rooms (id),
    place TEXT NOT NULL DEFAULT '',
    online_link TEXT,
    confidential BOOLEAN NOT NULL DEFAULT FALSE,
    briefing TEXT NOT NULL DEFAULT '',
    -- JSON array of strings
    equipment_needs TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0,
    cancel_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_room_time ON meetings (room_id, starts_at);

CREATE TABLE meeting_roles (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    role TEXT NOT NULL,
    PRIMARY KEY (meeting_id, person_id, role)
);

CREATE TABLE agenda_items (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    presenter_id BIGINT REFERENCES people (id),
    minutes INTEGER NOT NULL,
    started_at BIGINT,
    ended_at BIGINT,
    PRIMARY KEY (meeting_id, position)
);
