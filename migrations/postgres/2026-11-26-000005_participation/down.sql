DROP TABLE app_secrets;
DROP TABLE feedback;
DROP TABLE action_progress;
DROP TABLE action_items;
DROP TABLE minutes_reads;
DROP TABLE minutes_entries;
DROP TABLE participants;
ALTER TABLE meetings DROP COLUMN text_checkin;
ALTER TABLE people DROP COLUMN oa_unfollowed_at;
