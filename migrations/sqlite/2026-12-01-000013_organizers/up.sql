-- Organizers (会务组 staff) prepare meetings in the console without being admins.
ALTER TABLE people ADD COLUMN is_organizer BOOLEAN NOT NULL DEFAULT 0;
