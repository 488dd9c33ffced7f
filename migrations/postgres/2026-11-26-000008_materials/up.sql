-- Documents a meeting needs: links, sent with the first reminder and shown with the meeting.
CREATE TABLE materials (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX materials_meeting ON materials (meeting_id, id);
