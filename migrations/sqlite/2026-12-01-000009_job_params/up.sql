-- A job's data (agenda position, due date) in its own column instead of inside the dedupe
-- key: the whole job as JSON, kind included.
ALTER TABLE jobs ADD COLUMN params TEXT;

UPDATE jobs SET params = '{"kind":"' || kind || '"}'
WHERE kind NOT IN ('item_timebox', 'item_overrun', 'task_eve', 'task_due', 'task_overdue',
                   'task_escalation');

-- item_timebox:<meeting>:<position>:<started ms>; after "<kind>:<meeting>:" comes
-- "<position>:<ms>".
UPDATE jobs SET params = '{"kind":"' || kind || '","position":'
    || substr(substr(dedupe_key, length(kind) + length(CAST(meeting_id AS TEXT)) + 3), 1, instr(substr(dedupe_key, length(kind) + length(CAST(meeting_id AS TEXT)) + 3), ':') - 1)
    || '}'
WHERE kind IN ('item_timebox', 'item_overrun');

-- task_*:<item>:<due date>, or task_overdue:<item>:<ms> when replanned: then the item's date.
UPDATE jobs SET params = '{"kind":"' || kind || '","due":"' || (
    CASE WHEN substr(dedupe_key, length(kind) + length(CAST(action_item_id AS TEXT)) + 3) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
         THEN substr(dedupe_key, length(kind) + length(CAST(action_item_id AS TEXT)) + 3)
         ELSE COALESCE((SELECT a.due_on FROM action_items a WHERE a.id = jobs.action_item_id),
                       '1970-01-01')
    END) || '"}'
WHERE kind IN ('task_eve', 'task_due', 'task_overdue', 'task_escalation');
