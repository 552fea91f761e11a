-- The chat: one room per class or group and school year, direct rooms
-- between two people, their messages, read marks and reports.
--
-- Room membership is not copied here: a class room's members are the
-- class's members in the directory today, so a pupil who changes class
-- reads the new class's room at once and no longer the old one.

CREATE TABLE chat_rooms (
    id               INTEGER PRIMARY KEY AUTOINCREMENT, -- never given twice: clients keep rooms by id
    kind             TEXT NOT NULL CHECK (kind IN ('group', 'direct')),
    group_id         INTEGER REFERENCES groups (id) ON DELETE CASCADE,
    -- The school year of a group room: the date of the promotion that
    -- began it ('' before the first). After the next promotion the class
    -- gets a new room, and the old one is no longer shown to anyone.
    year             TEXT NOT NULL DEFAULT '',
    person_a         INTEGER REFERENCES people (id) ON DELETE CASCADE, -- direct rooms: the smaller id
    person_b         INTEGER REFERENCES people (id) ON DELETE CASCADE,
    pupils_may_write INTEGER NOT NULL DEFAULT 1 CHECK (pupils_may_write IN (0, 1)),
    created_at       TEXT NOT NULL,
    CHECK ((kind = 'group' AND group_id IS NOT NULL AND person_a IS NULL AND person_b IS NULL)
        OR (kind = 'direct' AND group_id IS NULL AND person_a IS NOT NULL AND person_b IS NOT NULL AND person_a < person_b))
);
CREATE UNIQUE INDEX chat_rooms_group ON chat_rooms (group_id, year) WHERE kind = 'group';
CREATE UNIQUE INDEX chat_rooms_direct ON chat_rooms (person_a, person_b) WHERE kind = 'direct';
CREATE INDEX chat_rooms_direct_b ON chat_rooms (person_b) WHERE kind = 'direct';

-- The change counter. Every new message, every deletion and every new
-- report takes the next number; a waiting client asks for what changed
-- after the number it has seen. It never goes backwards, even when the
-- newest rows are deleted.
CREATE TABLE chat_seq (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO chat_seq (id, value) VALUES (1, 0);

CREATE TABLE chat_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    room_id      INTEGER NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL UNIQUE, -- change number: new on insert and on deletion
    kind         TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'system')),
    sender_id    INTEGER REFERENCES people (id) ON DELETE SET NULL, -- NULL: system message, or the sender was purged
    sender_login TEXT NOT NULL DEFAULT '',
    sender_name  TEXT NOT NULL,
    body         TEXT NOT NULL,
    sent_at      TEXT NOT NULL,
    -- A deleted message is hidden from the room; its text stays (until
    -- the retention removes it) so that a report still shows what was
    -- written.
    deleted_at   TEXT,
    deleted_by   TEXT
);
CREATE INDEX chat_messages_room ON chat_messages (room_id, id);
CREATE INDEX chat_messages_sent ON chat_messages (sent_at);
CREATE INDEX chat_messages_sender ON chat_messages (sender_id) WHERE sender_id IS NOT NULL;

-- How far each person has read each room, for the unread counts.
CREATE TABLE chat_reads (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    room_id   INTEGER NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
    last_read INTEGER NOT NULL, -- a message id
    PRIMARY KEY (person_id, room_id)
) WITHOUT ROWID;
CREATE INDEX chat_reads_room ON chat_reads (room_id);

-- Reports ("Melden"). Only through an open report may an admin read a
-- chat, and then only the reported message with its window.
CREATE TABLE chat_reports (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id     INTEGER NOT NULL REFERENCES chat_messages (id) ON DELETE CASCADE,
    room_id        INTEGER NOT NULL REFERENCES chat_rooms (id) ON DELETE CASCADE,
    seq            INTEGER NOT NULL, -- change number, for the live notice to the teacher and the admins
    reporter_id    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    reporter_login TEXT NOT NULL,
    reporter_name  TEXT NOT NULL,
    reason         TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    teacher_id     INTEGER REFERENCES people (id) ON DELETE SET NULL, -- the teacher the reporter chose to inform
    teacher_name   TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    closed_at      TEXT,
    closed_by      TEXT,
    close_note     TEXT NOT NULL DEFAULT '',
    removed        INTEGER NOT NULL DEFAULT 0 CHECK (removed IN (0, 1)) -- the admin removed the message when closing
);
CREATE UNIQUE INDEX chat_reports_once ON chat_reports (message_id, reporter_id);
CREATE INDEX chat_reports_open ON chat_reports (room_id) WHERE closed_at IS NULL;
CREATE INDEX chat_reports_seq ON chat_reports (seq);
CREATE INDEX chat_reports_teacher ON chat_reports (teacher_id) WHERE teacher_id IS NOT NULL;
CREATE INDEX chat_reports_reporter ON chat_reports (reporter_id) WHERE reporter_id IS NOT NULL;
