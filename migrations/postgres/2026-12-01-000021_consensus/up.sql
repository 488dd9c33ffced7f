-- Consensus on decisions (决策事项明确：达成共识): each vote of those present is kept (a later
-- vote counts, an earlier objection stays on the record), and the host closes a decision as
-- passed (通过) or tabled (搁置).
CREATE TABLE decision_votes (
    id BIGSERIAL PRIMARY KEY,
    entry_id BIGINT NOT NULL REFERENCES minutes_entries (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    vote TEXT NOT NULL,
    reason TEXT,
    voted_at BIGINT NOT NULL
);
CREATE INDEX decision_votes_entry ON decision_votes (entry_id);
CREATE TABLE decision_outcomes (
    entry_id BIGINT PRIMARY KEY REFERENCES minutes_entries (id),
    outcome TEXT NOT NULL,
    closed_by BIGINT REFERENCES people (id),
    closed_at BIGINT NOT NULL
);
