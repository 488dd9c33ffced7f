ALTER TABLE people DROP COLUMN is_organizer;
