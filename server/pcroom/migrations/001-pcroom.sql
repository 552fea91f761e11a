-- The PC room: rooms, the computers enrolled in them (each with a key the
-- agent authenticates with), one-time enrollment codes, and the queue of
-- room commands (lock, unlock, log out, message) per computer. Codes and
-- keys are stored only as their SHA-256.

CREATE TABLE pc_rooms (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE pc_computers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    room_id       INTEGER NOT NULL REFERENCES pc_rooms (id) ON DELETE RESTRICT,
    mode          TEXT NOT NULL CHECK (mode IN ('pcroom', 'staff', 'kiosk')),
    key_hash      BLOB UNIQUE,                    -- NULL once revoked
    enrolled_at   TEXT NOT NULL,
    revoked_at    TEXT NOT NULL DEFAULT '',
    revoked_by    TEXT NOT NULL DEFAULT '',
    last_seen     TEXT NOT NULL DEFAULT '',       -- last heartbeat; online is derived from it
    last_source   TEXT NOT NULL DEFAULT '',       -- address of the last heartbeat
    agent_version TEXT NOT NULL DEFAULT '',
    -- Who is logged in at the computer, as its agent reported. The login
    -- and name are kept beside the reference for the room view; a purged
    -- person's reference becomes NULL and the view shows nobody.
    user_id       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    user_login    TEXT NOT NULL DEFAULT '',
    user_name     TEXT NOT NULL DEFAULT '',
    user_since    TEXT NOT NULL DEFAULT '',
    locked        INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)) -- a teacher's lock, until unlocked
);
CREATE INDEX pc_computers_room ON pc_computers (room_id);
-- When a person is purged (ON DELETE SET NULL above), their login and
-- name go from the row too: nothing of a pupil who left stays here.
CREATE TRIGGER pc_computers_user_purged AFTER UPDATE OF user_id ON pc_computers
    WHEN NEW.user_id IS NULL AND NEW.user_login != ''
BEGIN
    UPDATE pc_computers SET user_login = '', user_name = '', user_since = '' WHERE id = NEW.id;
END;
CREATE INDEX pc_computers_user ON pc_computers (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE pc_enrollment_codes (
    id          INTEGER PRIMARY KEY,
    code_hash   BLOB NOT NULL UNIQUE,
    hint        TEXT NOT NULL,                    -- the first characters, to tell codes apart
    room_id     INTEGER REFERENCES pc_rooms (id) ON DELETE CASCADE, -- NULL: any room
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT NOT NULL DEFAULT '',
    computer_id INTEGER REFERENCES pc_computers (id) ON DELETE SET NULL,
    computer    TEXT NOT NULL DEFAULT '',         -- the name it enrolled, kept when the computer goes
    revoked_at  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pc_enrollment_codes_room ON pc_enrollment_codes (room_id) WHERE room_id IS NOT NULL;
CREATE INDEX pc_enrollment_codes_computer ON pc_enrollment_codes (computer_id) WHERE computer_id IS NOT NULL;

CREATE TABLE pc_commands (
    id           INTEGER PRIMARY KEY,
    computer_id  INTEGER NOT NULL REFERENCES pc_computers (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('lock', 'unlock', 'logout', 'message')),
    text         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,                   -- not delivered by then: dropped (another lesson)
    delivered_at TEXT NOT NULL DEFAULT '',
    acked_at     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pc_commands_pending ON pc_commands (computer_id, id) WHERE acked_at = '';
