-- Who opened which material (through huiwu's link), participants only: the host sees who has
-- not, and the last reminder asks them.
CREATE TABLE material_reads (
    material_id BIGINT NOT NULL REFERENCES materials (id),
    person_id BIGINT NOT NULL REFERENCES people (id),
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    opened INTEGER NOT NULL,
    PRIMARY KEY (material_id, person_id)
);
