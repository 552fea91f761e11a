-- People's ids are never given again (AUTOINCREMENT). Without it SQLite
-- hands the id of the newest person, once purged, to the next one, and
-- whatever still holds the old id (a bound LDAP connection, a session)
-- would act as the new person. The table is rebuilt as SQLite prescribes;
-- the store runs migrations with foreign keys off, so the rows referring
-- to people (memberships, consents, rights, ...) stay.
CREATE TABLE people_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    login               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    role                TEXT NOT NULL CHECK (role IN ('pupil', 'teacher', 'secretary', 'admin')),
    uid_number          INTEGER NOT NULL UNIQUE,
    external_id         TEXT UNIQUE,          -- DaNiS SchuelerIdentNummer: the import's stable key
    password_hash       TEXT,                 -- argon2id PHC string; NULL: no password, no login
    password_changed_at TEXT,
    must_change         INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0, 1)),
    locked_at           TEXT,
    locked_by           TEXT,
    lock_reason         TEXT,
    leaving_date        TEXT,                 -- YYYY-MM-DD; no login after it, purged after the grace period
    former_class        TEXT,                 -- the class a leaver was in
    hold_back           INTEGER NOT NULL DEFAULT 0 CHECK (hold_back IN (0, 1)),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
INSERT INTO people_new (id, login, first_name, last_name, role, uid_number, external_id, password_hash,
    password_changed_at, must_change, locked_at, locked_by, lock_reason, leaving_date, former_class,
    hold_back, created_at, updated_at)
SELECT id, login, first_name, last_name, role, uid_number, external_id, password_hash,
    password_changed_at, must_change, locked_at, locked_by, lock_reason, leaving_date, former_class,
    hold_back, created_at, updated_at
FROM people;
DROP TABLE people;
ALTER TABLE people_new RENAME TO people;
CREATE INDEX people_role ON people (role);
CREATE INDEX people_leaving ON people (leaving_date) WHERE leaving_date IS NOT NULL;
CREATE INDEX people_names ON people (last_name COLLATE NOCASE, first_name COLLATE NOCASE);
