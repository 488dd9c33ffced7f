-- Sessions kept server-side, so signing out, a binding change, deactivation or a flag change
-- ends them at once. The cookie holds a random token; only its SHA-256 is kept. A NULL
-- person is the built-in administrator (signed in with the admin token).
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    person_id BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_person ON sessions (person_id);

-- One-time bind codes an admin or organizer issues per person (SHA-256 of the code): an
-- Official Account follower becomes that person only with it, or with an admin's approval.
CREATE TABLE bind_codes (
    person_id BIGINT PRIMARY KEY NOT NULL REFERENCES people (id),
    code_hash TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- A follower's `绑定 工号` without a code: pending until confirmed with a code or approved.
CREATE TABLE bind_requests (
    openid TEXT PRIMARY KEY NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    requested_at BIGINT NOT NULL
);
CREATE INDEX bind_requests_by_person ON bind_requests (person_id);

-- Wrong bind codes, counted per openid and per person to limit guessing.
CREATE TABLE bind_failures (
    id BIGSERIAL PRIMARY KEY,
    openid TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    at BIGINT NOT NULL
);
CREATE INDEX bind_failures_by_openid ON bind_failures (openid, at);
CREATE INDEX bind_failures_by_person ON bind_failures (person_id, at);
