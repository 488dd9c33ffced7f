-- Topics (议题) participants propose before a meeting; the agenda owners (议程组) or the host
-- accept one into the agenda with a time box, or decline it with a reason.
CREATE TABLE topics (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    proposer_id BIGINT NOT NULL REFERENCES people (id),
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    minutes INTEGER,
    reason TEXT,
    decided_by BIGINT REFERENCES people (id),
    proposed_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX topics_meeting ON topics (meeting_id);
