-- Recurring meetings (例会). A series holds the meeting template and the recurrence rule (both
-- JSON, parsed by meetings::series); its occurrences are ordinary meetings, linked here with
-- the date the rule gave them (the iCalendar RECURRENCE-ID), so a date is created only once.
CREATE TABLE series (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    template TEXT NOT NULL,
    rule TEXT NOT NULL,
    status TEXT NOT NULL,
    sequence INTEGER NOT NULL DEFAULT 0,
    -- The series this one was split from ("this and following" changed).
    split_from BIGINT REFERENCES series (id),
    announced BOOLEAN NOT NULL DEFAULT FALSE,
    end_reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE series_occurrences (
    meeting_id BIGINT PRIMARY KEY REFERENCES meetings (id),
    series_id BIGINT NOT NULL REFERENCES series (id),
    occurrence_date TEXT NOT NULL,
    -- Changed on its own (time, room, agenda): later changes to the series leave it alone.
    detached BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX series_occurrences_date ON series_occurrences (series_id, occurrence_date);
-- An answer given for the whole series (确认 全部): occurrences created later start with it.
CREATE TABLE series_answers (
    series_id BIGINT NOT NULL REFERENCES series (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    rsvp TEXT NOT NULL,
    reason TEXT,
    answered_at BIGINT NOT NULL,
    PRIMARY KEY (series_id, person_id)
);
