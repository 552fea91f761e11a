-- The address book. Name, role, classes and school mail address of every
-- entry come from the directory; these tables hold only what a person adds
-- and chooses to show, and the admins' decisions about pupils.

-- What a person filled in: one row per field (phone, mobile, room, hours;
-- the program knows the fields, so a new one needs no table rebuild), each
-- with who may see it: nobody but the person (hidden), the staff (staff),
-- or everyone logged in (all).
CREATE TABLE addressbook_fields (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'hidden' CHECK (visibility IN ('hidden', 'staff', 'all')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (person_id, field)
) WITHOUT ROWID;

-- A pupil's entry shows nothing beyond the directory's data unless an
-- admin allowed it. The newest decision (allowed or withdrawn) is kept
-- with who made it and when; the protocol has the history.
CREATE TABLE addressbook_pupil_extras (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    allowed    INTEGER NOT NULL CHECK (allowed IN (0, 1)),
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
