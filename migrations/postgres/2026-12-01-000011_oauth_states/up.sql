-- Web authorisation in progress: the state handed to WeChat/WeCom, where the reader was going,
-- until it comes back (taken once) or expires.
CREATE TABLE oauth_states (
    state TEXT PRIMARY KEY NOT NULL,
    next_path TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
