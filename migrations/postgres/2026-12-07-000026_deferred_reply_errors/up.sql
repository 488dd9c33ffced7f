-- A late reply that cannot be sent as stored is set aside (status 'failed') with why.
ALTER TABLE deferred_replies ADD COLUMN last_error TEXT;
