package pcroom

// All SQL of the PC room lives in this file. It touches the module's own
// tables only; people come from the directory's service.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"kaspel/server/store"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier = store.Querier

type scanner interface{ Scan(dest ...any) error }

func ftime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return store.FormatTime(t)
}

func ptime(s string) time.Time {
	t, _ := store.ParseTime(s)
	return t
}

// isUnique tells a UNIQUE constraint failure (a name taken).
func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// --- rooms

const roomColumns = `r.id, r.name, r.note, r.created_at, (SELECT COUNT(*) FROM pc_computers c WHERE c.room_id = r.id)`

func scanRoom(s scanner) (Room, error) {
	var r Room
	var created string
	if err := s.Scan(&r.ID, &r.Name, &r.Note, &created, &r.Computers); err != nil {
		return r, err
	}
	r.CreatedAt = ptime(created)
	return r, nil
}

func listRooms(ctx context.Context, q querier) ([]Room, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+roomColumns+` FROM pc_rooms r ORDER BY r.name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("pcroom: list rooms: %w", err)
	}
	defer rows.Close()
	var out []Room
	for rows.Next() {
		r, err := scanRoom(rows)
		if err != nil {
			return nil, fmt.Errorf("pcroom: list rooms: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func roomWhere(ctx context.Context, q querier, where string, arg any) (Room, error) {
	r, err := scanRoom(q.QueryRowContext(ctx, `SELECT `+roomColumns+` FROM pc_rooms r WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNoRoom
	}
	if err != nil {
		return r, fmt.Errorf("pcroom: room: %w", err)
	}
	return r, nil
}

func roomByID(ctx context.Context, q querier, id int64) (Room, error) {
	return roomWhere(ctx, q, "r.id = ?", id)
}

func roomByName(ctx context.Context, q querier, name string) (Room, error) {
	return roomWhere(ctx, q, "r.name = ? COLLATE NOCASE", name)
}

func insertRoom(ctx context.Context, q querier, r *Room) error {
	res, err := q.ExecContext(ctx, `INSERT INTO pc_rooms (name, note, created_at) VALUES (?, ?, ?)`, r.Name, r.Note, ftime(r.CreatedAt))
	if isUnique(err) {
		return refuse(Conflict, "name", fmt.Sprintf("Einen Raum „%s“ gibt es schon.", r.Name), "room %q exists", r.Name)
	}
	if err != nil {
		return fmt.Errorf("pcroom: add room: %w", err)
	}
	r.ID, err = res.LastInsertId()
	return err
}

func updateRoom(ctx context.Context, q querier, r Room) error {
	_, err := q.ExecContext(ctx, `UPDATE pc_rooms SET name = ?, note = ? WHERE id = ?`, r.Name, r.Note, r.ID)
	if isUnique(err) {
		return refuse(Conflict, "name", fmt.Sprintf("Einen Raum „%s“ gibt es schon.", r.Name), "room %q exists", r.Name)
	}
	if err != nil {
		return fmt.Errorf("pcroom: edit room: %w", err)
	}
	return nil
}

func deleteRoom(ctx context.Context, q querier, id int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM pc_rooms WHERE id = ?`, id); err != nil {
		return fmt.Errorf("pcroom: delete room: %w", err)
	}
	return nil
}

// --- computers

const computerColumns = `c.id, c.name, c.room_id, r.name, c.mode, c.enrolled_at, c.revoked_at, c.revoked_by,
	c.last_seen, c.last_source, c.agent_version, COALESCE(c.user_id, 0), c.user_login, c.user_name, c.user_since, c.locked`

const computerFrom = ` FROM pc_computers c JOIN pc_rooms r ON r.id = c.room_id `

func scanComputer(s scanner) (Computer, error) {
	var c Computer
	var enrolled, revoked, seen, since string
	err := s.Scan(&c.ID, &c.Name, &c.RoomID, &c.Room, &c.Mode, &enrolled, &revoked, &c.RevokedBy,
		&seen, &c.Source, &c.Version, &c.UserID, &c.UserLogin, &c.UserName, &since, &c.Locked)
	if err != nil {
		return c, err
	}
	c.EnrolledAt, c.RevokedAt, c.LastSeen, c.UserSince = ptime(enrolled), ptime(revoked), ptime(seen), ptime(since)
	if c.UserID == 0 {
		// The person was purged (or nobody is there): show nobody.
		c.UserLogin, c.UserName, c.UserSince = "", "", time.Time{}
	}
	return c, nil
}

func queryComputers(ctx context.Context, q querier, where string, args ...any) ([]Computer, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+computerColumns+computerFrom+where+` ORDER BY c.name COLLATE NOCASE`, args...)
	if err != nil {
		return nil, fmt.Errorf("pcroom: list computers: %w", err)
	}
	defer rows.Close()
	var out []Computer
	for rows.Next() {
		c, err := scanComputer(rows)
		if err != nil {
			return nil, fmt.Errorf("pcroom: list computers: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func computerWhere(ctx context.Context, q querier, where string, args ...any) (Computer, error) {
	c, err := scanComputer(q.QueryRowContext(ctx, `SELECT `+computerColumns+computerFrom+`WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNoComputer
	}
	if err != nil {
		return c, fmt.Errorf("pcroom: computer: %w", err)
	}
	return c, nil
}

func computerByID(ctx context.Context, q querier, id int64) (Computer, error) {
	return computerWhere(ctx, q, "c.id = ?", id)
}

func computerByName(ctx context.Context, q querier, name string) (Computer, error) {
	return computerWhere(ctx, q, "c.name = ? COLLATE NOCASE", name)
}

func computerByKey(ctx context.Context, q querier, keyHash []byte) (Computer, error) {
	return computerWhere(ctx, q, "c.key_hash = ? AND c.revoked_at = ''", keyHash)
}

func insertComputer(ctx context.Context, q querier, c *Computer, keyHash []byte) error {
	res, err := q.ExecContext(ctx, `INSERT INTO pc_computers (name, room_id, mode, key_hash, enrolled_at) VALUES (?, ?, ?, ?, ?)`,
		c.Name, c.RoomID, c.Mode, keyHash, ftime(c.EnrolledAt))
	if err != nil {
		return fmt.Errorf("pcroom: add computer: %w", err)
	}
	c.ID, err = res.LastInsertId()
	return err
}

// reenrollComputer gives a revoked computer a new key, room and mode: a
// reinstalled PC keeps its name and its history.
func reenrollComputer(ctx context.Context, q querier, c Computer, keyHash []byte) error {
	_, err := q.ExecContext(ctx, `UPDATE pc_computers SET room_id = ?, mode = ?, key_hash = ?, enrolled_at = ?, revoked_at = '', revoked_by = '',
		last_seen = '', last_source = '', agent_version = '', user_id = NULL, user_login = '', user_name = '', user_since = '', locked = 0
		WHERE id = ?`, c.RoomID, c.Mode, keyHash, ftime(c.EnrolledAt), c.ID)
	if err != nil {
		return fmt.Errorf("pcroom: enroll computer again: %w", err)
	}
	return nil
}

func updateComputer(ctx context.Context, q querier, c Computer) error {
	_, err := q.ExecContext(ctx, `UPDATE pc_computers SET name = ?, room_id = ? WHERE id = ?`, c.Name, c.RoomID, c.ID)
	if isUnique(err) {
		return refuse(Conflict, "name", fmt.Sprintf("Einen Computer „%s“ gibt es schon.", c.Name), "computer %q exists", c.Name)
	}
	if err != nil {
		return fmt.Errorf("pcroom: edit computer: %w", err)
	}
	return nil
}

func revokeComputer(ctx context.Context, q querier, id int64, at time.Time, by string) error {
	_, err := q.ExecContext(ctx, `UPDATE pc_computers SET key_hash = NULL, revoked_at = ?, revoked_by = ?, locked = 0 WHERE id = ?`, ftime(at), by, id)
	if err != nil {
		return fmt.Errorf("pcroom: revoke computer: %w", err)
	}
	return nil
}

func deleteComputer(ctx context.Context, q querier, id int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM pc_computers WHERE id = ?`, id); err != nil {
		return fmt.Errorf("pcroom: delete computer: %w", err)
	}
	return nil
}

func touchComputer(ctx context.Context, q querier, id int64, at time.Time, source, version, mode string) error {
	_, err := q.ExecContext(ctx, `UPDATE pc_computers SET last_seen = ?, last_source = ?, agent_version = ?, mode = ? WHERE id = ?`,
		ftime(at), source, version, mode, id)
	if err != nil {
		return fmt.Errorf("pcroom: heartbeat: %w", err)
	}
	return nil
}

// setComputerUser records who is logged in (userID 0: nobody).
func setComputerUser(ctx context.Context, q querier, id, userID int64, login, name string, since time.Time) error {
	var uid any
	if userID != 0 {
		uid = userID
	}
	_, err := q.ExecContext(ctx, `UPDATE pc_computers SET user_id = ?, user_login = ?, user_name = ?, user_since = ? WHERE id = ?`,
		uid, login, name, ftime(since), id)
	if err != nil {
		return fmt.Errorf("pcroom: set user: %w", err)
	}
	return nil
}

func setLocked(ctx context.Context, q querier, id int64, locked bool) error {
	if _, err := q.ExecContext(ctx, `UPDATE pc_computers SET locked = ? WHERE id = ?`, locked, id); err != nil {
		return fmt.Errorf("pcroom: set lock: %w", err)
	}
	return nil
}

// --- enrollment codes

const codeColumns = `e.id, e.hint, COALESCE(e.room_id, 0), COALESCE(r.name, ''), e.created_at, e.created_by, e.expires_at,
	e.used_at, e.computer, e.revoked_at`

const codeFrom = ` FROM pc_enrollment_codes e LEFT JOIN pc_rooms r ON r.id = e.room_id `

func scanCode(s scanner) (Code, error) {
	var c Code
	var created, expires, used, revoked string
	if err := s.Scan(&c.ID, &c.Hint, &c.RoomID, &c.Room, &created, &c.CreatedBy, &expires, &used, &c.Computer, &revoked); err != nil {
		return c, err
	}
	c.CreatedAt, c.Expires, c.UsedAt, c.RevokedAt = ptime(created), ptime(expires), ptime(used), ptime(revoked)
	return c, nil
}

func insertCode(ctx context.Context, q querier, c *Code, codeHash []byte) error {
	var room any
	if c.RoomID != 0 {
		room = c.RoomID
	}
	res, err := q.ExecContext(ctx, `INSERT INTO pc_enrollment_codes (code_hash, hint, room_id, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		codeHash, c.Hint, room, ftime(c.CreatedAt), c.CreatedBy, ftime(c.Expires))
	if err != nil {
		return fmt.Errorf("pcroom: add enrollment code: %w", err)
	}
	c.ID, err = res.LastInsertId()
	return err
}

func listCodes(ctx context.Context, q querier) ([]Code, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+codeColumns+codeFrom+` ORDER BY e.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("pcroom: list enrollment codes: %w", err)
	}
	defer rows.Close()
	var out []Code
	for rows.Next() {
		c, err := scanCode(rows)
		if err != nil {
			return nil, fmt.Errorf("pcroom: list enrollment codes: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func codeWhere(ctx context.Context, q querier, where string, arg any) (Code, error) {
	c, err := scanCode(q.QueryRowContext(ctx, `SELECT `+codeColumns+codeFrom+`WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNoCode
	}
	if err != nil {
		return c, fmt.Errorf("pcroom: enrollment code: %w", err)
	}
	return c, nil
}

func codeByID(ctx context.Context, q querier, id int64) (Code, error) {
	return codeWhere(ctx, q, "e.id = ?", id)
}

func codeByHash(ctx context.Context, q querier, codeHash []byte) (Code, error) {
	return codeWhere(ctx, q, "e.code_hash = ?", codeHash)
}

func useCode(ctx context.Context, q querier, id int64, at time.Time, computerID int64, computer string) error {
	_, err := q.ExecContext(ctx, `UPDATE pc_enrollment_codes SET used_at = ?, computer_id = ?, computer = ? WHERE id = ? AND used_at = ''`,
		ftime(at), computerID, computer, id)
	if err != nil {
		return fmt.Errorf("pcroom: use enrollment code: %w", err)
	}
	return nil
}

func revokeCode(ctx context.Context, q querier, id int64, at time.Time) error {
	if _, err := q.ExecContext(ctx, `UPDATE pc_enrollment_codes SET revoked_at = ? WHERE id = ?`, ftime(at), id); err != nil {
		return fmt.Errorf("pcroom: revoke enrollment code: %w", err)
	}
	return nil
}

// deleteOldCodes removes codes that ended (used, revoked or expired)
// before cut.
func deleteOldCodes(ctx context.Context, q querier, cut time.Time) (int64, error) {
	c := ftime(cut)
	res, err := q.ExecContext(ctx, `DELETE FROM pc_enrollment_codes
		WHERE (used_at != '' AND used_at < ?) OR (revoked_at != '' AND revoked_at < ?) OR (used_at = '' AND expires_at < ?)`, c, c, c)
	if err != nil {
		return 0, fmt.Errorf("pcroom: sweep enrollment codes: %w", err)
	}
	return res.RowsAffected()
}

// --- commands

func insertCommand(ctx context.Context, q querier, c *Command, expires time.Time) error {
	res, err := q.ExecContext(ctx, `INSERT INTO pc_commands (computer_id, kind, text, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ComputerID, c.Kind, c.Text, ftime(c.CreatedAt), c.CreatedBy, ftime(expires))
	if err != nil {
		return fmt.Errorf("pcroom: queue command: %w", err)
	}
	c.ID, err = res.LastInsertId()
	return err
}

// dueCommands lists the commands a computer should get now: not
// acknowledged, not expired, and not delivered (or delivered so long ago
// that the answer must have been lost).
func dueCommands(ctx context.Context, q querier, computerID int64, now time.Time) ([]Command, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, computer_id, kind, text, created_at, created_by FROM pc_commands
		WHERE computer_id = ? AND acked_at = '' AND expires_at > ? AND (delivered_at = '' OR delivered_at <= ?) ORDER BY id`,
		computerID, ftime(now), ftime(now.Add(-Redeliver)))
	if err != nil {
		return nil, fmt.Errorf("pcroom: due commands: %w", err)
	}
	defer rows.Close()
	var out []Command
	for rows.Next() {
		var c Command
		var created string
		if err := rows.Scan(&c.ID, &c.ComputerID, &c.Kind, &c.Text, &created, &c.CreatedBy); err != nil {
			return nil, fmt.Errorf("pcroom: due commands: %w", err)
		}
		c.CreatedAt = ptime(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

func markDelivered(ctx context.Context, q querier, ids []int64, at time.Time) error {
	for _, id := range ids {
		if _, err := q.ExecContext(ctx, `UPDATE pc_commands SET delivered_at = ? WHERE id = ?`, ftime(at), id); err != nil {
			return fmt.Errorf("pcroom: mark delivered: %w", err)
		}
	}
	return nil
}

// ackCommands marks the computer's commands done; ids of other computers
// are ignored. It returns how many it marked.
func ackCommands(ctx context.Context, q querier, computerID int64, ids []int64, at time.Time) (int64, error) {
	var n int64
	for _, id := range ids {
		res, err := q.ExecContext(ctx, `UPDATE pc_commands SET acked_at = ? WHERE id = ? AND computer_id = ? AND acked_at = ''`, ftime(at), id, computerID)
		if err != nil {
			return n, fmt.Errorf("pcroom: acknowledge: %w", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}

func dropPendingCommands(ctx context.Context, q querier, computerID int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM pc_commands WHERE computer_id = ? AND acked_at = ''`, computerID); err != nil {
		return fmt.Errorf("pcroom: drop commands: %w", err)
	}
	return nil
}

// deleteOldCommands removes commands created before cut (done or not: by
// then they have expired).
func deleteOldCommands(ctx context.Context, q querier, cut time.Time) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM pc_commands WHERE created_at < ?`, ftime(cut))
	if err != nil {
		return 0, fmt.Errorf("pcroom: sweep commands: %w", err)
	}
	return res.RowsAffected()
}
