-- The protocol: every login attempt and every admin action. Readable only by
-- the people the head teacher named (the "protocol" right).
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    actor    TEXT NOT NULL,           -- who did it: a login, "cli:root", "ldap:cn=sssd"
    action   TEXT NOT NULL,           -- e.g. login, user.lock, import.run
    target   TEXT NOT NULL DEFAULT '',
    success  INTEGER NOT NULL CHECK (success IN (0, 1)),
    source   TEXT NOT NULL DEFAULT '', -- source address
    service  TEXT NOT NULL DEFAULT '', -- ldap, api, cli
    computer TEXT NOT NULL DEFAULT '', -- the PC, where known
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_target ON audit (target, at);
