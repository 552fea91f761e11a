-- Homework (Hausaufgaben): what a teacher sets for a class or group, and
-- what each pupil did with it.
--
-- Dates are calendar dates of the school (Europe/Berlin) as YYYY-MM-DD: a
-- homework is seen by the pupils from start_on and is due at the end of
-- due_on. A hand-in changed after that day is late; whether it is late is
-- worked out when it is read, so that a due date the teacher moves later
-- moves the mark with it.
--
-- The group is referenced without ON DELETE: hand-ins are data that must
-- never be lost, so a group that still has homework cannot be deleted by
-- accident. A pupil's work goes with the pupil (purged after leaving the
-- school, as the usage rules say); a teacher's homework stays when the
-- teacher's account goes, with the name kept for the display.
CREATE TABLE homework (
    id            INTEGER PRIMARY KEY AUTOINCREMENT, -- never given twice: clients may cache by id
    group_id      INTEGER NOT NULL REFERENCES groups (id),
    title         TEXT NOT NULL CHECK (title <> ''),
    body          TEXT NOT NULL DEFAULT '',
    start_on      TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    created_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    creator_login TEXT NOT NULL,
    creator_name  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (due_on > start_on)
);
CREATE INDEX homework_group ON homework (group_id, due_on);
CREATE INDEX homework_creator ON homework (created_by, due_on) WHERE created_by IS NOT NULL;

-- Files the teacher attaches to a homework (worksheets). The content is a
-- blob (DATA/blobs) named by its SHA-256.
CREATE TABLE homework_files (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    homework_id INTEGER NOT NULL REFERENCES homework (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    hash        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX homework_files_homework ON homework_files (homework_id, id);
CREATE INDEX homework_files_hash ON homework_files (hash);

-- One row per homework and pupil, from the pupil's first mark ("begonnen",
-- "erledigt"), hand-in or a teacher's feedback on. No row: "neu".
-- handed_in_at is the first hand-in, changed_at the last change of the
-- hand-in's text or files (it decides "late"); feedback locks the hand-in.
CREATE TABLE homework_work (
    homework_id  INTEGER NOT NULL REFERENCES homework (id) ON DELETE CASCADE,
    pupil_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    state        TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'started', 'done')),
    done_at      TEXT,
    body         TEXT NOT NULL DEFAULT '',
    handed_in_at TEXT,
    changed_at   TEXT,
    feedback     TEXT NOT NULL DEFAULT '',
    feedback_by  TEXT NOT NULL DEFAULT '',
    feedback_at  TEXT,
    PRIMARY KEY (homework_id, pupil_id)
) WITHOUT ROWID;
CREATE INDEX homework_work_pupil ON homework_work (pupil_id, homework_id);

-- Files a pupil hands in.
CREATE TABLE homework_handin_files (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    homework_id INTEGER NOT NULL,
    pupil_id    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 0),
    hash        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    FOREIGN KEY (homework_id, pupil_id) REFERENCES homework_work (homework_id, pupil_id) ON DELETE CASCADE
);
CREATE INDEX homework_handin_files_work ON homework_handin_files (homework_id, pupil_id, id);
CREATE INDEX homework_handin_files_hash ON homework_handin_files (hash);
