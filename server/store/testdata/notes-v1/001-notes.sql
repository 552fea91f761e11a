-- Version 1 of a test component: notes with links between them.
CREATE TABLE notes (
    id    INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind  TEXT NOT NULL CHECK (kind IN ('memo'))
);
CREATE TABLE note_links (
    note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
    url     TEXT NOT NULL
);
