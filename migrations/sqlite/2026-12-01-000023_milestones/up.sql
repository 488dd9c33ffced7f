-- Milestones of an action item (the execution plan of a decision): each with its own date, no
-- later than the item's due date, reminded like a due date.
CREATE TABLE milestones (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_item_id BIGINT NOT NULL REFERENCES action_items (id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX milestones_item ON milestones (action_item_id);
