-- The key a room's door screen shows its check-in code with (kept as a SHA-256 hash: the key
-- itself is shown once, when issued). One per room; issuing another replaces it.
CREATE TABLE room_display_keys (
    room_id BIGINT PRIMARY KEY NOT NULL REFERENCES rooms (id),
    key_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
