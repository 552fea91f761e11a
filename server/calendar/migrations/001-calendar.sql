-- The school's calendars and their events.
--
-- A calendar is the public school calendar (exactly one), the calendar of
-- a class or group (one per group, gone with the group), or a person's
-- personal calendar (one per person, gone with the person). Calendars are
-- created when they are first used, so a new class has its calendar the
-- first time one of its members looks. Their names are not stored: a
-- class calendar is called after the class as the directory names it now.
--
-- Ids are never given again (AUTOINCREMENT): a client still holding the id
-- of a deleted event must not change a newer one that got the same id.
CREATE TABLE calendars (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('public', 'group', 'personal')),
    group_id   INTEGER UNIQUE REFERENCES groups (id) ON DELETE CASCADE,
    owner_id   INTEGER UNIQUE REFERENCES people (id) ON DELETE CASCADE,
    colour     TEXT NOT NULL CHECK (length(colour) = 7 AND colour GLOB '#[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]'),
    created_at TEXT NOT NULL,
    CHECK ((kind = 'public' AND group_id IS NULL AND owner_id IS NULL)
        OR (kind = 'group' AND group_id IS NOT NULL AND owner_id IS NULL)
        OR (kind = 'personal' AND owner_id IS NOT NULL AND group_id IS NULL))
);
CREATE UNIQUE INDEX calendars_one_public ON calendars (kind) WHERE kind = 'public';

-- Events keep the wall time in Europe/Berlin as people typed it
-- ("2026-10-05T08:00", or "2026-10-05" for all-day events, whose end_at
-- is the last day), so a weekly lesson at 8:00 stays at 8:00 across the
-- change to and from summer time. rrule is the supported RRULE subset in
-- the module's normal form ('' for a single event), exdates a JSON array
-- of the dates of cancelled occurrences. range_start and range_end bound
-- all occurrences (range_end NULL: the series never ends) for the range
-- query of the month view; both are "YYYY-MM-DDTHH:MM", range_end
-- exclusive.
CREATE TABLE calendar_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    calendar_id INTEGER NOT NULL REFERENCES calendars (id) ON DELETE CASCADE,
    uid         TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL CHECK (title <> ''),
    location    TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    all_day     INTEGER NOT NULL CHECK (all_day IN (0, 1)),
    start_at    TEXT NOT NULL,
    end_at      TEXT NOT NULL,
    rrule       TEXT NOT NULL DEFAULT '',
    exdates     TEXT NOT NULL DEFAULT '[]',
    range_start TEXT NOT NULL,
    range_end   TEXT,
    sequence    INTEGER NOT NULL DEFAULT 0,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX calendar_events_range ON calendar_events (calendar_id, range_start);
