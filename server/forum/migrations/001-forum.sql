-- Forums: one per class or group (created when one of its members first
-- looks), and school-wide ones the admins create with a name. Topics hold
-- posts; moderators are named per forum.
--
-- A post a moderator deletes is gone from these tables; its text and
-- author are in the protocol (audit, action "forum.delete"), which only
-- the people the head teacher named can read. Authors are kept by name
-- too, so a thread still reads when an account is gone.
CREATE TABLE forums (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('group', 'school')),
    group_id    INTEGER UNIQUE REFERENCES groups (id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',   -- school forums; a group's forum is named after the group as it is now
    description TEXT NOT NULL DEFAULT '',
    roles       TEXT NOT NULL DEFAULT '[]', -- JSON: the roles that read a school forum; [] everyone
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    CHECK ((kind = 'group' AND group_id IS NOT NULL AND name = '')
        OR (kind = 'school' AND group_id IS NULL AND name <> ''))
);
CREATE UNIQUE INDEX forums_school_name ON forums (name COLLATE NOCASE) WHERE kind = 'school';

CREATE TABLE forum_moderators (
    forum_id  INTEGER NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    named_by  TEXT NOT NULL,
    named_at  TEXT NOT NULL,
    PRIMARY KEY (forum_id, person_id)
) WITHOUT ROWID;
CREATE INDEX forum_moderators_person ON forum_moderators (person_id);

-- last_post_id orders a forum's topics by activity and is the paging
-- cursor: post ids only grow, so it is unique among the topics.
CREATE TABLE forum_topics (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    forum_id     INTEGER NOT NULL REFERENCES forums (id) ON DELETE CASCADE,
    title        TEXT NOT NULL CHECK (title <> ''),
    author_id    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    author_login TEXT NOT NULL,
    author_name  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    posts        INTEGER NOT NULL DEFAULT 0,
    last_post_id INTEGER NOT NULL DEFAULT 0,
    last_post_at TEXT NOT NULL
);
CREATE INDEX forum_topics_page ON forum_topics (forum_id, last_post_id DESC);

CREATE TABLE forum_posts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    topic_id      INTEGER NOT NULL REFERENCES forum_topics (id) ON DELETE CASCADE,
    author_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    author_login  TEXT NOT NULL,
    author_name   TEXT NOT NULL,
    body          TEXT NOT NULL CHECK (body <> ''),
    created_at    TEXT NOT NULL,
    edited_at     TEXT,
    hidden_at     TEXT,                        -- hidden by a moderator (reversible)
    hidden_by     TEXT NOT NULL DEFAULT '',
    hidden_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX forum_posts_topic ON forum_posts (topic_id, id);
CREATE INDEX forum_posts_author ON forum_posts (author_id) WHERE author_id IS NOT NULL;
