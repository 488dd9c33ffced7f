ALTER TABLE meetings DROP COLUMN ended_at;
ALTER TABLE meetings DROP COLUMN started_at;
