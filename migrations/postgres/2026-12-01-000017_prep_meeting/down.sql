ALTER TABLE meetings DROP COLUMN prep_meeting;
