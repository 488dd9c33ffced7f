-- One-time console sign-in links (chat `后台`): a SHA-256 of the link's token, the person it
-- signs in, until when; taken once.
CREATE TABLE console_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    expires_at BIGINT NOT NULL
);
