-- Files: a personal folder per person ("Meine Dateien"), a folder per
-- class or group (its teachers write, its members read) and a drop folder
-- per class (pupils hand in; only the class's teachers and the uploader
-- see an upload). Folders form trees under their root; every folder row
-- carries its root's kind, owner and group, so that deciding who may see
-- it never walks up the tree. The content is a blob (DATA/blobs) named by
-- its SHA-256.

CREATE TABLE files_folders (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('personal', 'group', 'drop')),
    owner_id   INTEGER REFERENCES people (id) ON DELETE CASCADE, -- personal trees
    group_id   INTEGER REFERENCES groups (id) ON DELETE CASCADE, -- group and drop trees
    parent_id  INTEGER REFERENCES files_folders (id) ON DELETE CASCADE, -- NULL: a root
    name       TEXT NOT NULL DEFAULT '', -- '' for roots (the client shows their title)
    created_at TEXT NOT NULL,
    CHECK ((kind = 'personal') = (owner_id IS NOT NULL)),
    CHECK ((kind = 'personal') = (group_id IS NULL)),
    CHECK (kind <> 'drop' OR parent_id IS NULL), -- drop folders have no subfolders
    CHECK ((parent_id IS NULL) = (name = ''))
);
CREATE UNIQUE INDEX files_roots_personal ON files_folders (owner_id) WHERE parent_id IS NULL AND kind = 'personal';
CREATE UNIQUE INDEX files_roots_group ON files_folders (group_id, kind) WHERE parent_id IS NULL AND kind <> 'personal';
CREATE UNIQUE INDEX files_folders_name ON files_folders (parent_id, name COLLATE NOCASE) WHERE parent_id IS NOT NULL;
CREATE INDEX files_folders_owner ON files_folders (owner_id) WHERE owner_id IS NOT NULL;
CREATE INDEX files_folders_group ON files_folders (group_id) WHERE group_id IS NOT NULL;

-- A file belongs to the person who stored it: it counts against their
-- quota, and it goes when their account is purged after they left the
-- school (also what they stored in a class's folders).
CREATE TABLE files_files (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    folder_id   INTEGER NOT NULL REFERENCES files_folders (id) ON DELETE CASCADE,
    owner_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    owner_login TEXT NOT NULL,
    owner_name  TEXT NOT NULL,
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    hash        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX files_files_folder ON files_files (folder_id, name COLLATE NOCASE);
CREATE INDEX files_files_owner ON files_files (owner_id, size);
CREATE INDEX files_files_hash ON files_files (hash);
