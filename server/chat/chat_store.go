package chat

// All SQL of the chat module lives in this file.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"kaspel/server/store"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier = store.Querier

type scanner interface{ Scan(dest ...any) error }

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// --- the change counter

// nextSeq takes the next change number. The write connection runs one
// transaction at a time, so numbers are handed out in commit order: a
// reader that sees the counter at n sees every change up to n.
func nextSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var v int64
	if err := tx.QueryRowContext(ctx, `UPDATE chat_seq SET value = value + 1 WHERE id = 1 RETURNING value`).Scan(&v); err != nil {
		return 0, fmt.Errorf("chat: next change number: %w", err)
	}
	return v, nil
}

func currentSeq(ctx context.Context, q querier) (int64, error) {
	var v int64
	if err := q.QueryRowContext(ctx, `SELECT value FROM chat_seq WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("chat: change number: %w", err)
	}
	return v, nil
}

// --- rooms

type roomRow struct {
	id             int64
	kind           RoomKind
	groupID        int64
	year           string
	a, b           int64
	pupilsMayWrite bool
}

const roomCols = `id, kind, COALESCE(group_id, 0), year, COALESCE(person_a, 0), COALESCE(person_b, 0), pupils_may_write`

func scanRoom(s scanner) (roomRow, error) {
	var r roomRow
	err := s.Scan(&r.id, &r.kind, &r.groupID, &r.year, &r.a, &r.b, &r.pupilsMayWrite)
	return r, err
}

func queryRooms(ctx context.Context, q querier, where string, args ...any) ([]roomRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+roomCols+` FROM chat_rooms `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("chat: rooms: %w", err)
	}
	defer rows.Close()
	var out []roomRow
	for rows.Next() {
		r, err := scanRoom(rows)
		if err != nil {
			return nil, fmt.Errorf("chat: rooms: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func roomByID(ctx context.Context, q querier, id int64) (roomRow, error) {
	r, err := scanRoom(q.QueryRowContext(ctx, `SELECT `+roomCols+` FROM chat_rooms WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNoRoom
	}
	if err != nil {
		return r, fmt.Errorf("chat: room %d: %w", id, err)
	}
	return r, nil
}

// groupRooms returns the rooms of the groups for a school year, by group id.
func groupRooms(ctx context.Context, q querier, year string, groupIDs []int64) (map[int64]roomRow, error) {
	out := map[int64]roomRow{}
	if len(groupIDs) == 0 {
		return out, nil
	}
	list, err := queryRooms(ctx, q, `WHERE kind = 'group' AND year = ? AND group_id IN (SELECT value FROM json_each(?))`, year, store.IDsJSON(groupIDs))
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		out[r.groupID] = r
	}
	return out, nil
}

func insertGroupRoom(ctx context.Context, tx *sql.Tx, groupID int64, year string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO chat_rooms (kind, group_id, year, created_at) VALUES ('group', ?, ?, ?)
		ON CONFLICT DO NOTHING`, groupID, year, store.FormatTime(at)); err != nil {
		return fmt.Errorf("chat: create room of group %d: %w", groupID, err)
	}
	return nil
}

// directRoom finds the direct room of two people (a < b).
func directRoom(ctx context.Context, q querier, a, b int64) (roomRow, error) {
	r, err := scanRoom(q.QueryRowContext(ctx, `SELECT `+roomCols+` FROM chat_rooms WHERE kind = 'direct' AND person_a = ? AND person_b = ?`, a, b))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNoRoom
	}
	if err != nil {
		return r, fmt.Errorf("chat: direct room: %w", err)
	}
	return r, nil
}

func insertDirectRoom(ctx context.Context, tx *sql.Tx, a, b int64, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO chat_rooms (kind, person_a, person_b, created_at) VALUES ('direct', ?, ?, ?)
		ON CONFLICT DO NOTHING`, a, b, store.FormatTime(at)); err != nil {
		return fmt.Errorf("chat: create direct room: %w", err)
	}
	return nil
}

func directRoomsOf(ctx context.Context, q querier, personID int64) ([]roomRow, error) {
	return queryRooms(ctx, q, `WHERE kind = 'direct' AND person_a = ?
		UNION ALL SELECT `+roomCols+` FROM chat_rooms WHERE kind = 'direct' AND person_b = ?`, personID, personID)
}

func setPupilsMayWrite(ctx context.Context, tx *sql.Tx, roomID int64, may bool) error {
	if _, err := tx.ExecContext(ctx, `UPDATE chat_rooms SET pupils_may_write = ? WHERE id = ?`, may, roomID); err != nil {
		return fmt.Errorf("chat: mute room %d: %w", roomID, err)
	}
	return nil
}

// roomStat is what the room list shows besides the room: the person's
// unread messages (not their own, not deleted) and the newest message.
type roomStat struct {
	unread int
	last   time.Time
}

func roomStats(ctx context.Context, q querier, personID int64, roomIDs []int64) (map[int64]roomStat, error) {
	out := map[int64]roomStat{}
	if len(roomIDs) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT r.value,
		(SELECT COUNT(*) FROM chat_messages m WHERE m.room_id = r.value
			AND m.id > COALESCE((SELECT last_read FROM chat_reads WHERE person_id = ? AND room_id = r.value), 0)
			AND m.deleted_at IS NULL AND (m.sender_id IS NULL OR m.sender_id <> ?)),
		COALESCE((SELECT sent_at FROM chat_messages m WHERE m.room_id = r.value ORDER BY m.id DESC LIMIT 1), '')
		FROM json_each(?) r`, personID, personID, store.IDsJSON(roomIDs))
	if err != nil {
		return nil, fmt.Errorf("chat: room counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var st roomStat
		var last string
		if err := rows.Scan(&id, &st.unread, &last); err != nil {
			return nil, fmt.Errorf("chat: room counts: %w", err)
		}
		st.last, _ = store.ParseTime(last)
		out[id] = st
	}
	return out, rows.Err()
}

// --- messages

type msgRow struct {
	id          int64
	roomID      int64
	seq         int64
	kind        string
	senderID    int64
	senderLogin string
	senderName  string
	body        string
	sentAt      time.Time
	deleted     bool
}

const msgCols = `id, room_id, seq, kind, COALESCE(sender_id, 0), sender_login, sender_name, body, sent_at, deleted_at IS NOT NULL`

func scanMsg(s scanner) (msgRow, error) {
	var m msgRow
	var at string
	if err := s.Scan(&m.id, &m.roomID, &m.seq, &m.kind, &m.senderID, &m.senderLogin, &m.senderName, &m.body, &at, &m.deleted); err != nil {
		return m, err
	}
	var err error
	m.sentAt, err = store.ParseTime(at)
	return m, err
}

func queryMsgs(ctx context.Context, q querier, where string, args ...any) ([]msgRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+msgCols+` FROM chat_messages `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("chat: messages: %w", err)
	}
	defer rows.Close()
	var out []msgRow
	for rows.Next() {
		m, err := scanMsg(rows)
		if err != nil {
			return nil, fmt.Errorf("chat: messages: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func messageByID(ctx context.Context, q querier, id int64) (msgRow, error) {
	m, err := scanMsg(q.QueryRowContext(ctx, `SELECT `+msgCols+` FROM chat_messages WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNoMessage
	}
	if err != nil {
		return m, fmt.Errorf("chat: message %d: %w", id, err)
	}
	return m, nil
}

// newMessage is a message to insert.
type newMessage struct {
	roomID      int64
	kind        string
	senderID    int64
	senderLogin string
	senderName  string
	body        string
	sentAt      time.Time
}

func insertMessage(ctx context.Context, tx *sql.Tx, m newMessage) (id, seq int64, err error) {
	if seq, err = nextSeq(ctx, tx); err != nil {
		return 0, 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO chat_messages (room_id, seq, kind, sender_id, sender_login, sender_name, body, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, m.roomID, seq, m.kind, nullID(m.senderID), m.senderLogin, m.senderName, m.body, store.FormatTime(m.sentAt))
	if err != nil {
		return 0, 0, fmt.Errorf("chat: insert message: %w", err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return 0, 0, fmt.Errorf("chat: insert message: %w", err)
	}
	return id, seq, nil
}

// pageOf reads up to limit messages of a room below the id before,
// newest first, along the index (room_id, id).
func pageOf(ctx context.Context, q querier, roomID, before int64, limit int) ([]msgRow, error) {
	return queryMsgs(ctx, q, `WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, roomID, before, limit)
}

// changesIn reads the messages of the rooms that changed after the
// change number after and up to upTo, in change order.
func changesIn(ctx context.Context, q querier, roomIDs []int64, after, upTo int64, limit int) ([]msgRow, error) {
	if len(roomIDs) == 0 {
		return nil, nil
	}
	return queryMsgs(ctx, q, `WHERE seq > ? AND seq <= ? AND room_id IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?`,
		after, upTo, store.IDsJSON(roomIDs), limit)
}

// markDeleted hides a message and gives it a new change number, so that
// waiting clients learn of it.
func markDeleted(ctx context.Context, tx *sql.Tx, id int64, by string, at time.Time) (int64, error) {
	seq, err := nextSeq(ctx, tx)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE chat_messages SET deleted_at = ?, deleted_by = ?, seq = ? WHERE id = ? AND deleted_at IS NULL`,
		store.FormatTime(at), by, seq, id)
	if err != nil {
		return 0, fmt.Errorf("chat: delete message %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, ErrNoMessage
	}
	return seq, nil
}

func lastMessageID(ctx context.Context, q querier, roomID int64) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM chat_messages WHERE room_id = ?`, roomID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("chat: last message of room %d: %w", roomID, err)
	}
	return id, nil
}

// setRead moves the person's read mark forward (never back).
func setRead(ctx context.Context, tx *sql.Tx, personID, roomID, upTo int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO chat_reads (person_id, room_id, last_read) VALUES (?, ?, ?)
		ON CONFLICT (person_id, room_id) DO UPDATE SET last_read = MAX(last_read, excluded.last_read)`, personID, roomID, upTo)
	if err != nil {
		return fmt.Errorf("chat: read mark: %w", err)
	}
	return nil
}

// --- reports

type reportRow struct {
	id            int64
	messageID     int64
	roomID        int64
	seq           int64
	reporterID    int64
	reporterLogin string
	reporterName  string
	reason        string
	note          string
	teacherID     int64
	teacherName   string
	createdAt     time.Time
	closedAt      time.Time
	closedBy      string
	closeNote     string
	removed       bool
	// of the reported message
	authorLogin string
	authorName  string
}

const reportCols = `r.id, r.message_id, r.room_id, r.seq, COALESCE(r.reporter_id, 0), r.reporter_login, r.reporter_name, r.reason, r.note,
	COALESCE(r.teacher_id, 0), r.teacher_name, r.created_at, COALESCE(r.closed_at, ''), COALESCE(r.closed_by, ''), r.close_note, r.removed,
	m.sender_login, m.sender_name`

const reportFrom = ` FROM chat_reports r JOIN chat_messages m ON m.id = r.message_id `

func scanReport(s scanner) (reportRow, error) {
	var r reportRow
	var created, closed string
	err := s.Scan(&r.id, &r.messageID, &r.roomID, &r.seq, &r.reporterID, &r.reporterLogin, &r.reporterName, &r.reason, &r.note,
		&r.teacherID, &r.teacherName, &created, &closed, &r.closedBy, &r.closeNote, &r.removed, &r.authorLogin, &r.authorName)
	if err != nil {
		return r, err
	}
	r.createdAt, _ = store.ParseTime(created)
	r.closedAt, _ = store.ParseTime(closed)
	return r, nil
}

func queryReports(ctx context.Context, q querier, where string, args ...any) ([]reportRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+reportCols+reportFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("chat: reports: %w", err)
	}
	defer rows.Close()
	var out []reportRow
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, fmt.Errorf("chat: reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func reportByID(ctx context.Context, q querier, id int64) (reportRow, error) {
	r, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportCols+reportFrom+`WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNoReport
	}
	if err != nil {
		return r, fmt.Errorf("chat: report %d: %w", id, err)
	}
	return r, nil
}

// reportsWith lists reports by state ("open", "closed", or all for ""),
// newest first, at most limit.
func reportsWith(ctx context.Context, q querier, state string, limit int) ([]reportRow, error) {
	where := ""
	switch state {
	case "open":
		where = `WHERE r.closed_at IS NULL `
	case "closed":
		where = `WHERE r.closed_at IS NOT NULL `
	}
	return queryReports(ctx, q, where+`ORDER BY r.id DESC LIMIT ?`, limit)
}

// reportsOfPerson lists the reports a person made or was told about.
func reportsOfPerson(ctx context.Context, q querier, personID int64, limit int) ([]reportRow, error) {
	return queryReports(ctx, q, `WHERE r.reporter_id = ? OR r.teacher_id = ? ORDER BY r.id DESC LIMIT ?`, personID, personID, limit)
}

// reportNotices lists the reports that changed within the change numbers
// (after, upTo] and concern the person: all of them for an admin, those
// naming them as the teacher otherwise.
func reportNotices(ctx context.Context, q querier, teacherID int64, all bool, after, upTo int64, limit int) ([]reportRow, error) {
	if all {
		return queryReports(ctx, q, `WHERE r.seq > ? AND r.seq <= ? ORDER BY r.seq LIMIT ?`, after, upTo, limit)
	}
	return queryReports(ctx, q, `WHERE r.teacher_id = ? AND r.seq > ? AND r.seq <= ? ORDER BY r.seq LIMIT ?`, teacherID, after, upTo, limit)
}

// newReport is a report to insert.
type newReport struct {
	messageID, roomID int64
	reporterID        int64
	reporterLogin     string
	reporterName      string
	reason, note      string
	teacherID         int64
	teacherName       string
	at                time.Time
}

// insertReport stores a report; a second report of the same message by
// the same person is errReportedTwice.
func insertReport(ctx context.Context, tx *sql.Tx, r newReport) (int64, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM chat_reports WHERE message_id = ? AND reporter_id = ?`,
		r.messageID, r.reporterID).Scan(&n); err != nil {
		return 0, fmt.Errorf("chat: insert report: %w", err)
	}
	if n > 0 {
		return 0, errReportedTwice
	}
	seq, err := nextSeq(ctx, tx)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO chat_reports (message_id, room_id, seq, reporter_id, reporter_login, reporter_name,
		reason, note, teacher_id, teacher_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.messageID, r.roomID, seq, r.reporterID, r.reporterLogin, r.reporterName, r.reason, r.note, nullID(r.teacherID), r.teacherName,
		store.FormatTime(r.at))
	if err != nil {
		return 0, fmt.Errorf("chat: insert report: %w", err)
	}
	return res.LastInsertId()
}

func closeReport(ctx context.Context, tx *sql.Tx, id int64, by, note string, removed bool, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE chat_reports SET closed_at = ?, closed_by = ?, close_note = ?, removed = ?
		WHERE id = ? AND closed_at IS NULL`, store.FormatTime(at), by, note, removed, id)
	if err != nil {
		return fmt.Errorf("chat: close report %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errReportClosed
	}
	return nil
}

// window reads the reported message and up to n messages before and
// after it in its room, oldest first: the only chat content an admin
// ever reads. Deleted messages keep their text here.
func window(ctx context.Context, q querier, roomID, messageID int64, n int) ([]msgRow, error) {
	before, err := queryMsgs(ctx, q, `WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, roomID, messageID, n)
	if err != nil {
		return nil, err
	}
	rest, err := queryMsgs(ctx, q, `WHERE room_id = ? AND id >= ? ORDER BY id LIMIT ?`, roomID, messageID, n+1)
	if err != nil {
		return nil, err
	}
	out := make([]msgRow, 0, len(before)+len(rest))
	for i := len(before) - 1; i >= 0; i-- {
		out = append(out, before[i])
	}
	return append(out, rest...), nil
}

// --- retention

// deleteOldMessages removes messages sent before t, except in rooms with
// an open report (the report's window must stay as it was). Closed
// reports of removed messages go with them.
func deleteOldMessages(ctx context.Context, tx *sql.Tx, t time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM chat_messages WHERE sent_at < ?
		AND room_id NOT IN (SELECT room_id FROM chat_reports WHERE closed_at IS NULL)`, store.FormatTime(t))
	if err != nil {
		return 0, fmt.Errorf("chat: delete old messages: %w", err)
	}
	return res.RowsAffected()
}

// deleteEmptyPastRooms removes group rooms of past school years that hold
// no messages any more.
func deleteEmptyPastRooms(ctx context.Context, tx *sql.Tx, year string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM chat_rooms WHERE kind = 'group' AND year <> ?
		AND NOT EXISTS (SELECT 1 FROM chat_messages m WHERE m.room_id = chat_rooms.id)`, year)
	if err != nil {
		return fmt.Errorf("chat: delete past rooms: %w", err)
	}
	return nil
}
