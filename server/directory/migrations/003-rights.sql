-- Rights become an open list checked by the program (RightNames), not by
-- a CHECK that needs a table rebuild for every new right: "calendar"
-- (writing the public school calendar) joins "protocol".
CREATE TABLE rights_new (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (person_id, name)
) WITHOUT ROWID;
INSERT INTO rights_new (person_id, name, granted_by, granted_at) SELECT person_id, name, granted_by, granted_at FROM rights;
DROP TABLE rights;
ALTER TABLE rights_new RENAME TO rights;
