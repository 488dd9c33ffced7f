DROP TABLE api_pauses;
DROP TABLE outbox;
DROP TABLE access_tokens;
