-- A meeting's preparation checklist (筹备清单): who does what before the start. Publishing
-- creates the default items from the roles (`kind` names which); organizers add their own.
CREATE TABLE checklist_items (
    id BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    title TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES people (id),
    due_at BIGINT NOT NULL,
    kind TEXT,
    done_at BIGINT,
    done_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX checklist_items_meeting ON checklist_items (meeting_id);
CREATE INDEX checklist_items_owner ON checklist_items (owner_id);
