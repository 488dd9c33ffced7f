-- The two statements every callback runs, as functions. A callback sends each together with
-- BEGIN or COMMIT in one round trip, as text, where a prepared statement cannot go; a function's
-- statements are planned once per connection instead of on every call.
CREATE FUNCTION callback_claim(p_channel TEXT, p_key TEXT, p_token TEXT, p_at BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO callback_receipts (channel, dedupe_key, claim_token, claimed_at, replied_later)
    VALUES (p_channel, p_key, p_token, p_at, FALSE);
END
$$;

CREATE FUNCTION callback_complete(p_channel TEXT, p_key TEXT, p_token TEXT, p_at BIGINT, p_reply TEXT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    UPDATE callback_receipts SET completed_at = p_at, reply = p_reply, replied_later = FALSE
    WHERE channel = p_channel AND dedupe_key = p_key AND claim_token = p_token;
END
$$;
