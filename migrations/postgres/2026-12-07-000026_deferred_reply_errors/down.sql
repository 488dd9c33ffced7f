ALTER TABLE deferred_replies DROP COLUMN last_error;
