package mail

// All SQL of the mail module lives in this file, but the search's (search_store.go).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier = store.Querier

// row is a message as one person has it: the message and their mailbox
// row.
type row struct {
	id          int64
	kind        string
	senderID    int64 // 0: none (system) or purged
	senderLogin string
	senderName  string
	recipients  string // JSON
	subject     string
	body        string
	sentAt      time.Time
	inReplyTo   int64
	forwardOf   int64
	folder      Folder
	wasFolder   Folder
	read        bool
	attachments int
}

const rowCols = `m.id, m.kind, COALESCE(m.sender_id, 0), m.sender_login, m.sender_name, m.recipients, m.subject, %s,
	m.sent_at, COALESCE(m.in_reply_to, 0), COALESCE(m.forward_of, 0), b.folder, COALESCE(b.was_folder, ''), b.read,
	(SELECT COUNT(*) FROM mail_attachments a WHERE a.message_id = m.id)`

type scanner interface{ Scan(dest ...any) error }

func scanRow(s scanner) (row, error) {
	var r row
	var sentAt string
	err := s.Scan(&r.id, &r.kind, &r.senderID, &r.senderLogin, &r.senderName, &r.recipients, &r.subject, &r.body,
		&sentAt, &r.inReplyTo, &r.forwardOf, &r.folder, &r.wasFolder, &r.read, &r.attachments)
	if err != nil {
		return r, err
	}
	r.sentAt, err = store.ParseTime(sentAt)
	return r, err
}

// pageQuery reads one page of a folder, newest first, below a cursor. It
// walks the index mail_boxes_page (person, folder, message id descending)
// and stops after limit rows: no sort, no OFFSET, whatever the depth.
// INDEXED BY, because with statistics of a full inbox the planner would
// walk the primary key and filter by folder, which for a small trash
// beside a large inbox reads the whole inbox.
var pageQuery = `SELECT ` + fmt.Sprintf(rowCols, `''`) + `
	FROM mail_boxes b INDEXED BY mail_boxes_page JOIN mail_messages m ON m.id = b.message_id
	WHERE b.person_id = ? AND b.folder = ? AND b.message_id < ?
	ORDER BY b.message_id DESC LIMIT ?`

func pageOf(ctx context.Context, q querier, personID int64, folder Folder, before int64, limit int) ([]row, error) {
	rows, err := q.QueryContext(ctx, pageQuery, personID, folder, before, limit)
	if err != nil {
		return nil, fmt.Errorf("mail: page of %s: %w", folder, err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, fmt.Errorf("mail: read page: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func rowOf(ctx context.Context, q querier, personID, messageID int64) (row, error) {
	r, err := scanRow(q.QueryRowContext(ctx, `SELECT `+fmt.Sprintf(rowCols, `m.body`)+`
		FROM mail_boxes b JOIN mail_messages m ON m.id = b.message_id
		WHERE b.person_id = ? AND b.message_id = ?`, personID, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("mail: message %d: %w", messageID, err)
	}
	return r, nil
}

// folderCounts counts a person's messages and unread messages per folder.
// The unread count walks the partial index of unread rows only.
func folderCounts(ctx context.Context, q querier, personID int64) (map[Folder][2]int, error) {
	out := map[Folder][2]int{}
	rows, err := q.QueryContext(ctx, `SELECT folder, COUNT(*) FROM mail_boxes WHERE person_id = ? GROUP BY folder`, personID)
	if err != nil {
		return nil, fmt.Errorf("mail: count folders: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f Folder
		var n int
		if err := rows.Scan(&f, &n); err != nil {
			return nil, fmt.Errorf("mail: count folders: %w", err)
		}
		c := out[f]
		c[0] = n
		out[f] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mail: count folders: %w", err)
	}
	rows.Close()
	unread, err := q.QueryContext(ctx, `SELECT folder, COUNT(*) FROM mail_boxes INDEXED BY mail_boxes_unread
		WHERE person_id = ? AND read = 0 GROUP BY folder`, personID)
	if err != nil {
		return nil, fmt.Errorf("mail: count unread: %w", err)
	}
	defer unread.Close()
	for unread.Next() {
		var f Folder
		var n int
		if err := unread.Scan(&f, &n); err != nil {
			return nil, fmt.Errorf("mail: count unread: %w", err)
		}
		c := out[f]
		c[1] = n
		out[f] = c
	}
	return out, unread.Err()
}

// newMessage is a message to insert.
type newMessage struct {
	kind        string
	senderID    int64 // 0: none
	senderLogin string
	senderName  string
	recipients  string // JSON
	subject     string
	body        string
	sentAt      time.Time
	inReplyTo   int64
	forwardOf   int64
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func insertMessage(ctx context.Context, tx *sql.Tx, m newMessage) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO mail_messages (kind, sender_id, sender_login, sender_name, recipients,
		subject, body, sent_at, in_reply_to, forward_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.kind, nullID(m.senderID), m.senderLogin, m.senderName, m.recipients, m.subject, m.body,
		store.FormatTime(m.sentAt), nullID(m.inReplyTo), nullID(m.forwardOf))
	if err != nil {
		return 0, fmt.Errorf("mail: insert message: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("mail: insert message: %w", err)
	}
	return id, nil
}

// insertBoxes puts the message into each person's folder.
func insertBoxes(ctx context.Context, tx *sql.Tx, messageID int64, folder Folder, read bool, personIDs []int64) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO mail_boxes (person_id, message_id, folder, read) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("mail: deliver: %w", err)
	}
	defer stmt.Close()
	for _, id := range personIDs {
		if _, err := stmt.ExecContext(ctx, id, messageID, folder, read); err != nil {
			return fmt.Errorf("mail: deliver to %d: %w", id, err)
		}
	}
	return nil
}

func setRead(ctx context.Context, q querier, personID, messageID int64, read bool) error {
	res, err := q.ExecContext(ctx, `UPDATE mail_boxes SET read = ? WHERE person_id = ? AND message_id = ?`, read, personID, messageID)
	return affectedOne(res, err, "set read mark")
}

// moveToTrash moves a message from inbox or sent into the trash and
// remembers where it came from.
func moveToTrash(ctx context.Context, q querier, personID, messageID int64) error {
	res, err := q.ExecContext(ctx, `UPDATE mail_boxes SET was_folder = folder, folder = 'trash'
		WHERE person_id = ? AND message_id = ? AND folder <> 'trash'`, personID, messageID)
	return affectedOne(res, err, "move to trash")
}

// restore moves a message from the trash back where it came from.
func restore(ctx context.Context, q querier, personID, messageID int64) error {
	res, err := q.ExecContext(ctx, `UPDATE mail_boxes SET folder = COALESCE(was_folder, 'inbox'), was_folder = NULL
		WHERE person_id = ? AND message_id = ? AND folder = 'trash'`, personID, messageID)
	return affectedOne(res, err, "restore")
}

// deleteFromTrash removes a person's copy; the trigger removes the message
// when it was the last copy.
func deleteFromTrash(ctx context.Context, q querier, personID, messageID int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM mail_boxes WHERE person_id = ? AND message_id = ? AND folder = 'trash'`, personID, messageID)
	return affectedOne(res, err, "delete")
}

func affectedOne(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("mail: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("mail: %s: %w", what, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// --- attachments and uploads

func attachmentsOf(ctx context.Context, q querier, messageID int64) ([]Attachment, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, size, hash FROM mail_attachments WHERE message_id = ? ORDER BY id`, messageID)
	if err != nil {
		return nil, fmt.Errorf("mail: attachments of %d: %w", messageID, err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.ID, &a.Name, &a.Size, &a.Hash); err != nil {
			return nil, fmt.Errorf("mail: attachments of %d: %w", messageID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// attachmentFor finds an attachment of a message the person has.
func attachmentFor(ctx context.Context, q querier, personID, messageID, attachmentID int64) (Attachment, error) {
	var a Attachment
	err := q.QueryRowContext(ctx, `SELECT a.id, a.name, a.size, a.hash FROM mail_attachments a
		JOIN mail_boxes b ON b.message_id = a.message_id
		WHERE b.person_id = ? AND a.message_id = ? AND a.id = ?`, personID, messageID, attachmentID).Scan(&a.ID, &a.Name, &a.Size, &a.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return a, errNoAttachment
	}
	if err != nil {
		return a, fmt.Errorf("mail: attachment %d: %w", attachmentID, err)
	}
	return a, nil
}

func insertAttachment(ctx context.Context, tx *sql.Tx, messageID int64, a Attachment) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO mail_attachments (message_id, name, size, hash) VALUES (?, ?, ?, ?)`,
		messageID, a.Name, a.Size, a.Hash); err != nil {
		return fmt.Errorf("mail: insert attachment: %w", err)
	}
	return nil
}

func insertUpload(ctx context.Context, tx *sql.Tx, personID int64, u *Upload) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO mail_uploads (person_id, name, size, hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		personID, u.Name, u.Size, u.Hash, store.FormatTime(u.CreatedAt))
	if err != nil {
		return fmt.Errorf("mail: insert upload: %w", err)
	}
	u.ID, err = res.LastInsertId()
	if err != nil {
		return fmt.Errorf("mail: insert upload: %w", err)
	}
	return nil
}

func uploadsOf(ctx context.Context, q querier, personID int64) ([]Upload, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, size, hash, created_at FROM mail_uploads WHERE person_id = ? ORDER BY id`, personID)
	if err != nil {
		return nil, fmt.Errorf("mail: uploads: %w", err)
	}
	defer rows.Close()
	var out []Upload
	for rows.Next() {
		var u Upload
		var at string
		if err := rows.Scan(&u.ID, &u.Name, &u.Size, &u.Hash, &at); err != nil {
			return nil, fmt.Errorf("mail: uploads: %w", err)
		}
		u.CreatedAt, _ = store.ParseTime(at)
		out = append(out, u)
	}
	return out, rows.Err()
}

func deleteUpload(ctx context.Context, q querier, personID, uploadID int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM mail_uploads WHERE person_id = ? AND id = ?`, personID, uploadID)
	if err := affectedOne(res, err, "delete upload"); err != nil {
		if errors.Is(err, ErrNotFound) {
			return errNoUpload
		}
		return err
	}
	return nil
}

// deleteUploadsBefore removes uploads never sent (of one person, or with
// personID 0 of everyone) that are older than t.
func deleteUploadsBefore(ctx context.Context, q querier, personID int64, t time.Time) (int64, error) {
	var res sql.Result
	var err error
	if personID == 0 {
		res, err = q.ExecContext(ctx, `DELETE FROM mail_uploads WHERE created_at < ?`, store.FormatTime(t))
	} else {
		res, err = q.ExecContext(ctx, `DELETE FROM mail_uploads WHERE person_id = ? AND created_at < ?`, personID, store.FormatTime(t))
	}
	if err != nil {
		return 0, fmt.Errorf("mail: delete old uploads: %w", err)
	}
	return res.RowsAffected()
}

// blobInUse reports whether an attachment or a pending upload refers to
// the hash.
func blobInUse(ctx context.Context, q querier, hash string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM mail_attachments WHERE hash = ?)
		OR EXISTS (SELECT 1 FROM mail_uploads WHERE hash = ?)`, hash, hash).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("mail: blob in use: %w", err)
	}
	return n == 1, nil
}

// referencedBlobs lists every hash an attachment or upload refers to.
func referencedBlobs(ctx context.Context, q querier) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT hash FROM mail_attachments UNION SELECT hash FROM mail_uploads`)
	if err != nil {
		return nil, fmt.Errorf("mail: referenced blobs: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("mail: referenced blobs: %w", err)
		}
		out[h] = true
	}
	return out, rows.Err()
}

// --- inspections

func insertInspection(ctx context.Context, tx *sql.Tx, in Inspection) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO mail_inspections (id, admin_id, owner_id, reason, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, in.ID, in.AdminID, in.OwnerID, in.Reason, store.FormatTime(in.CreatedAt), store.FormatTime(in.Expires)); err != nil {
		return fmt.Errorf("mail: insert inspection: %w", err)
	}
	return nil
}

// validInspection finds an inspection of this admin that has not expired.
func validInspection(ctx context.Context, q querier, id string, adminID int64, now time.Time) (Inspection, error) {
	var in Inspection
	var created, expires string
	err := q.QueryRowContext(ctx, `SELECT id, admin_id, owner_id, reason, created_at, expires_at FROM mail_inspections
		WHERE id = ? AND admin_id = ? AND expires_at > ?`, id, adminID, store.FormatTime(now)).
		Scan(&in.ID, &in.AdminID, &in.OwnerID, &in.Reason, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return in, errNoInspection
	}
	if err != nil {
		return in, fmt.Errorf("mail: inspection: %w", err)
	}
	in.CreatedAt, _ = store.ParseTime(created)
	in.Expires, _ = store.ParseTime(expires)
	return in, nil
}

// takeUploads takes the named uploads of a person for a message: it
// returns them in the order asked and deletes their upload rows.
func takeUploads(ctx context.Context, tx *sql.Tx, personID int64, ids []int64) ([]Upload, error) {
	out := make([]Upload, 0, len(ids))
	for _, id := range ids {
		var u Upload
		var at string
		err := tx.QueryRowContext(ctx, `DELETE FROM mail_uploads WHERE person_id = ? AND id = ?
			RETURNING id, name, size, hash, created_at`, personID, id).Scan(&u.ID, &u.Name, &u.Size, &u.Hash, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, errNoUpload
		}
		if err != nil {
			return nil, fmt.Errorf("mail: take upload %d: %w", id, err)
		}
		u.CreatedAt, _ = store.ParseTime(at)
		out = append(out, u)
	}
	return out, nil
}

// seedInbox puts n messages from sender into owner's inbox in one
// statement per table, for benchmarks of a full mailbox.
func seedInbox(ctx context.Context, tx *sql.Tx, sender directory.Person, senderName string, ownerID int64, recipients string, n int, at time.Time) error {
	var before int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM mail_messages`).Scan(&before); err != nil {
		return fmt.Errorf("mail: seed: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO mail_messages (kind, sender_id, sender_login, sender_name, recipients, subject, body, sent_at)
		SELECT 'mail', ?, ?, ?, ?, 'Nachricht ' || i, 'Text ' || i, ? FROM seq`,
		n, sender.ID, sender.Login, senderName, recipients, store.FormatTime(at)); err != nil {
		return fmt.Errorf("mail: seed messages: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO mail_boxes (person_id, message_id, folder, read)
		SELECT ?, id, 'inbox', id % 3 = 0 FROM mail_messages WHERE id > ?`, ownerID, before); err != nil {
		return fmt.Errorf("mail: seed mailbox: %w", err)
	}
	return nil
}
