-- Duplicate suppression for WeChat's callback retries: one row per delivered message or event.
CREATE TABLE callback_receipts (
    channel TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    claim_token TEXT NOT NULL,
    claimed_at BIGINT NOT NULL,
    completed_at BIGINT,
    reply TEXT,
    replied_later BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (channel, dedupe_key)
) WITHOUT ROWID; -- one b-tree instead of two: fewer pages written per callback
CREATE INDEX callback_receipts_claimed_at ON callback_receipts (claimed_at);

-- Replies the router produced after the callback had already been answered; the outbound
-- client delivers them through the customer-service / app message API.
CREATE TABLE deferred_replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    to_user TEXT NOT NULL,
    agent_id TEXT,
    reply TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at BIGINT NOT NULL,
    UNIQUE (channel, dedupe_key)
);
