-- Whether the meeting asks for a preparation meeting (会前准备会), which the host walks the
-- organizers through: publishing puts it on the host's checklist.
ALTER TABLE meetings ADD COLUMN prep_meeting BOOLEAN NOT NULL DEFAULT FALSE;
