-- The school's internal mail. A message is stored once; every person who
-- has it (the sender in "sent", each recipient in "inbox") has a row in
-- mail_boxes with their own folder and read mark. A message goes when the
-- last of those rows goes (trigger below): deleted from every trash, or its
-- people purged after they left the school.

CREATE TABLE mail_messages (
    id           INTEGER PRIMARY KEY AUTOINCREMENT, -- never given twice: clients may cache by id
    kind         TEXT NOT NULL DEFAULT 'mail' CHECK (kind IN ('mail', 'system')),
    sender_id    INTEGER REFERENCES people (id) ON DELETE SET NULL, -- NULL: system message, or the sender was purged
    sender_login TEXT NOT NULL DEFAULT '',  -- kept for the display when the sender is gone
    sender_name  TEXT NOT NULL,
    recipients   TEXT NOT NULL DEFAULT '[]', -- JSON [{"address","name","kind"}] as written, before expansion
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    sent_at      TEXT NOT NULL,
    in_reply_to  INTEGER REFERENCES mail_messages (id) ON DELETE SET NULL,
    forward_of   INTEGER REFERENCES mail_messages (id) ON DELETE SET NULL
);
CREATE INDEX mail_messages_sender ON mail_messages (sender_id) WHERE sender_id IS NOT NULL;
CREATE INDEX mail_messages_reply ON mail_messages (in_reply_to) WHERE in_reply_to IS NOT NULL;
CREATE INDEX mail_messages_forward ON mail_messages (forward_of) WHERE forward_of IS NOT NULL;

-- One row per person and message. Paging walks mail_boxes_page backwards
-- from a cursor (the last message id seen), never with OFFSET, so the
-- 2000th page of a full inbox costs what the first does.
CREATE TABLE mail_boxes (
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    message_id INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
    folder     TEXT NOT NULL CHECK (folder IN ('inbox', 'sent', 'trash')),
    was_folder TEXT CHECK (was_folder IN ('inbox', 'sent')), -- where a message in the trash came from
    read       INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    PRIMARY KEY (person_id, message_id)
) WITHOUT ROWID;
CREATE INDEX mail_boxes_page ON mail_boxes (person_id, folder, message_id DESC);
CREATE INDEX mail_boxes_unread ON mail_boxes (person_id, folder) WHERE read = 0;
CREATE INDEX mail_boxes_message ON mail_boxes (message_id);

-- The last copy gone, the message goes (with its attachment rows). This
-- fires for ON DELETE CASCADE from people too, so a purge cleans up.
CREATE TRIGGER mail_boxes_last_copy AFTER DELETE ON mail_boxes
WHEN NOT EXISTS (SELECT 1 FROM mail_boxes WHERE message_id = OLD.message_id)
BEGIN
    DELETE FROM mail_messages WHERE id = OLD.message_id;
END;

-- Attachments of sent messages. The content is a blob (DATA/blobs) named
-- by its SHA-256; forwarding copies the row, not the content.
CREATE TABLE mail_attachments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size >= 0),
    hash       TEXT NOT NULL
);
CREATE INDEX mail_attachments_message ON mail_attachments (message_id);
CREATE INDEX mail_attachments_hash ON mail_attachments (hash);

-- Uploads not sent yet, per person; sending turns them into attachments.
CREATE TABLE mail_uploads (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size >= 0),
    hash       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX mail_uploads_person ON mail_uploads (person_id, id);
CREATE INDEX mail_uploads_hash ON mail_uploads (hash);
CREATE INDEX mail_uploads_created ON mail_uploads (created_at);

-- An admin's look into someone's mailbox on suspicion: with a reason, in
-- the protocol, told to the owner, and valid for a short time only.
CREATE TABLE mail_inspections (
    id         TEXT PRIMARY KEY, -- random, handed to the admin
    admin_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    owner_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX mail_inspections_admin ON mail_inspections (admin_id);
CREATE INDEX mail_inspections_owner ON mail_inspections (owner_id);
