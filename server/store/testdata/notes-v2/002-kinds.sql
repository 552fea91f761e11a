-- Version 2: a new kind of note. SQLite cannot change a CHECK constraint,
-- so the table is rebuilt the way SQLite's documentation describes, while
-- note_links (ON DELETE CASCADE) refers to it. The links must survive.
CREATE TABLE notes_new (
    id     INTEGER PRIMARY KEY,
    title  TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('memo', 'todo')),
    pinned INTEGER NOT NULL DEFAULT 0
);
INSERT INTO notes_new (id, title, kind) SELECT id, title, kind FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
CREATE INDEX notes_title ON notes (title);
