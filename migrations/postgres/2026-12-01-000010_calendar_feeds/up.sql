-- A person's secret calendar feed: its URL is signed over (person, generation); revoking it
-- moves the generation on, so the old URL stops working. No row: generation 0.
CREATE TABLE calendar_feeds (
    person_id BIGINT PRIMARY KEY NOT NULL REFERENCES people (id),
    generation INTEGER NOT NULL,
    updated_at BIGINT NOT NULL
);
