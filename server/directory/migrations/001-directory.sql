-- The school directory: people, groups (roles and classes), memberships,
-- consent records, rights and the read-only service accounts of LDAP clients.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Number ranges never go backwards: a purged pupil's uidNumber is not given
-- to the next pupil, who would otherwise own the old files on every PC.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('uid_number', 10000), ('gid_number', 20000);

CREATE TABLE people (
    id                  INTEGER PRIMARY KEY,
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
CREATE INDEX people_role ON people (role);
CREATE INDEX people_leaving ON people (leaving_date) WHERE leaving_date IS NOT NULL;
CREATE INDEX people_names ON people (last_name COLLATE NOCASE, first_name COLLATE NOCASE);

CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind        TEXT NOT NULL CHECK (kind IN ('role', 'class', 'group')),
    gid_number  INTEGER NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE memberships (
    group_id  INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, person_id)
) WITHOUT ROWID;
CREATE INDEX memberships_person ON memberships (person_id, group_id);

-- Parents' consent, per pupil; the newest row counts. Revoking blocks every login.
CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    guardian    TEXT NOT NULL,
    signed_on   TEXT NOT NULL,
    revoked_on  TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX consents_person ON consents (person_id, id);

-- Rights beyond the role, e.g. reading the protocol (audit log).
CREATE TABLE rights (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name       TEXT NOT NULL CHECK (name IN ('protocol')),
    granted_by TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (person_id, name)
) WITHOUT ROWID;

-- Read-only LDAP accounts for sssd, nslcd, pGina and other LDAP applications.
CREATE TABLE service_accounts (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
