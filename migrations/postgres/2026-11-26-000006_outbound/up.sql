-- Access tokens shared by every instance. A fetch holds the lease so that only one instance
-- asks WeChat at a time; the others wait for the token it stores.
CREATE TABLE access_tokens (
    app TEXT PRIMARY KEY,
    token TEXT,
    expires_at BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until BIGINT NOT NULL DEFAULT 0
);

-- Every outbound message, written in the transaction of the change that caused it.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    -- oa (Official Account) or wecom; none when the person cannot be reached
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    meeting_id BIGINT REFERENCES meetings (id),
    person_id BIGINT REFERENCES people (id),
    recipient TEXT NOT NULL,
    -- the API path and JSON body to post (the access token is added when sending)
    api_path TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- pending, sending, sent, delivered, failed, unreachable
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    wechat_msgid TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_meeting ON outbox (meeting_id);
CREATE INDEX outbox_msgid ON outbox (wechat_msgid);

-- An API paused by a quota error, for every instance, until the quota window resets.
CREATE TABLE api_pauses (
    api TEXT PRIMARY KEY,
    until BIGINT NOT NULL,
    reason TEXT NOT NULL
);
