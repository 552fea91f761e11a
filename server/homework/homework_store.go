package homework

// All SQL of the homework module lives in this file.

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

const homeworkCols = `h.id, h.group_id, h.title, h.body, h.start_on, h.due_on, COALESCE(h.created_by, 0), h.creator_login,
	h.creator_name, h.created_at, h.updated_at, (SELECT COUNT(*) FROM homework_files f WHERE f.homework_id = h.id)`

func scanHomework(s scanner) (Homework, error) {
	var h Homework
	var created, updated string
	err := s.Scan(&h.ID, &h.GroupID, &h.Title, &h.Text, &h.Start, &h.Due, &h.CreatorID, &h.CreatorLogin,
		&h.CreatorName, &created, &updated, &h.FileCount)
	if err != nil {
		return h, err
	}
	if h.CreatedAt, err = store.ParseTime(created); err != nil {
		return h, err
	}
	h.UpdatedAt, err = store.ParseTime(updated)
	return h, err
}

func homeworkByID(ctx context.Context, q querier, id int64) (Homework, error) {
	h, err := scanHomework(q.QueryRowContext(ctx, `SELECT `+homeworkCols+` FROM homework h WHERE h.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, ErrNotFound
	}
	if err != nil {
		return h, fmt.Errorf("homework: homework %d: %w", id, err)
	}
	return h, nil
}

// filter selects homework for a list: of the groups or set by the
// creator, due on or after dueFrom, started on or before startUntil
// ("" for no bound).
type filter struct {
	groupIDs   []int64
	creatorID  int64 // 0: none
	dueFrom    string
	startUntil string
}

// listHomework lists homework by due date, then id.
func listHomework(ctx context.Context, q querier, f filter) ([]Homework, error) {
	dueFrom, startUntil := f.dueFrom, f.startUntil
	if dueFrom == "" {
		dueFrom = "0000-00-00"
	}
	if startUntil == "" {
		startUntil = "9999-99-99"
	}
	rows, err := q.QueryContext(ctx, `SELECT `+homeworkCols+` FROM homework h
		WHERE (h.group_id IN (SELECT value FROM json_each(?)) OR h.created_by = ?)
		AND h.due_on >= ? AND h.start_on <= ?
		ORDER BY h.due_on, h.id`, store.IDsJSON(f.groupIDs), f.creatorID, dueFrom, startUntil)
	if err != nil {
		return nil, fmt.Errorf("homework: list: %w", err)
	}
	defer rows.Close()
	var out []Homework
	for rows.Next() {
		h, err := scanHomework(rows)
		if err != nil {
			return nil, fmt.Errorf("homework: list: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

func insertHomework(ctx context.Context, tx *sql.Tx, h *Homework) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO homework (group_id, title, body, start_on, due_on, created_by, creator_login,
		creator_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		h.GroupID, h.Title, h.Text, h.Start, h.Due, nullID(h.CreatorID), h.CreatorLogin, h.CreatorName,
		store.FormatTime(h.CreatedAt), store.FormatTime(h.UpdatedAt))
	if err != nil {
		return fmt.Errorf("homework: insert: %w", err)
	}
	if h.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("homework: insert: %w", err)
	}
	return nil
}

func updateHomework(ctx context.Context, tx *sql.Tx, h Homework) error {
	res, err := tx.ExecContext(ctx, `UPDATE homework SET title = ?, body = ?, start_on = ?, due_on = ?, updated_at = ? WHERE id = ?`,
		h.Title, h.Text, h.Start, h.Due, store.FormatTime(h.UpdatedAt), h.ID)
	return affectedOne(res, err, "update", ErrNotFound)
}

func touchHomework(ctx context.Context, tx *sql.Tx, id int64, at time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE homework SET updated_at = ? WHERE id = ?`, store.FormatTime(at), id)
	return affectedOne(res, err, "touch", ErrNotFound)
}

func deleteHomework(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM homework WHERE id = ?`, id)
	return affectedOne(res, err, "delete", ErrNotFound)
}

// hasHandins reports whether any pupil handed in text or a file.
func hasHandins(ctx context.Context, q querier, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM homework_work WHERE homework_id = ? AND body <> '')
		OR EXISTS (SELECT 1 FROM homework_handin_files WHERE homework_id = ?)`, id, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("homework: hand-ins of %d: %w", id, err)
	}
	return n == 1, nil
}

func affectedOne(res sql.Result, err error, what string, none error) error {
	if err != nil {
		return fmt.Errorf("homework: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("homework: %s: %w", what, err)
	}
	if n == 0 {
		return none
	}
	return nil
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: store.FormatTime(t), Valid: true}
}

func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return store.ParseTime(s.String)
}

// --- the teacher's files

func scanFiles(rows *sql.Rows, what string) ([]File, error) {
	defer rows.Close()
	var out []File
	for rows.Next() {
		var f File
		var at string
		if err := rows.Scan(&f.ID, &f.Name, &f.Size, &f.Hash, &at); err != nil {
			return nil, fmt.Errorf("homework: %s: %w", what, err)
		}
		f.CreatedAt, _ = store.ParseTime(at)
		out = append(out, f)
	}
	return out, rows.Err()
}

func filesOf(ctx context.Context, q querier, homeworkID int64) ([]File, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, size, hash, created_at FROM homework_files WHERE homework_id = ? ORDER BY id`, homeworkID)
	if err != nil {
		return nil, fmt.Errorf("homework: files of %d: %w", homeworkID, err)
	}
	return scanFiles(rows, "files")
}

func fileOf(ctx context.Context, q querier, homeworkID, fileID int64) (File, error) {
	var f File
	var at string
	err := q.QueryRowContext(ctx, `SELECT id, name, size, hash, created_at FROM homework_files WHERE homework_id = ? AND id = ?`,
		homeworkID, fileID).Scan(&f.ID, &f.Name, &f.Size, &f.Hash, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return f, errNoFile
	}
	if err != nil {
		return f, fmt.Errorf("homework: file %d: %w", fileID, err)
	}
	f.CreatedAt, _ = store.ParseTime(at)
	return f, nil
}

func countFiles(ctx context.Context, q querier, homeworkID int64) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM homework_files WHERE homework_id = ?`, homeworkID).Scan(&n); err != nil {
		return 0, fmt.Errorf("homework: count files: %w", err)
	}
	return n, nil
}

func insertFile(ctx context.Context, tx *sql.Tx, homeworkID int64, f *File) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO homework_files (homework_id, name, size, hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		homeworkID, f.Name, f.Size, f.Hash, store.FormatTime(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("homework: insert file: %w", err)
	}
	if f.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("homework: insert file: %w", err)
	}
	return nil
}

func deleteFile(ctx context.Context, tx *sql.Tx, homeworkID, fileID int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM homework_files WHERE homework_id = ? AND id = ?`, homeworkID, fileID)
	return affectedOne(res, err, "delete file", errNoFile)
}

// --- the pupils' work

// workRow is a pupil's row of a homework, as stored.
type workRow struct {
	homeworkID int64
	pupilID    int64
	state      string // new, started, done
	doneAt     time.Time
	text       string
	handedInAt time.Time
	changedAt  time.Time
	feedback   string
	feedbackBy string
	feedbackAt time.Time
	files      int
}

const workCols = `w.homework_id, w.pupil_id, w.state, w.done_at, w.body, w.handed_in_at, w.changed_at, w.feedback, w.feedback_by,
	w.feedback_at, (SELECT COUNT(*) FROM homework_handin_files f WHERE f.homework_id = w.homework_id AND f.pupil_id = w.pupil_id)`

func scanWork(s scanner) (workRow, error) {
	var w workRow
	var done, handed, changed, fb sql.NullString
	err := s.Scan(&w.homeworkID, &w.pupilID, &w.state, &done, &w.text, &handed, &changed, &w.feedback, &w.feedbackBy, &fb, &w.files)
	if err != nil {
		return w, err
	}
	for _, p := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&w.doneAt, done}, {&w.handedInAt, handed}, {&w.changedAt, changed}, {&w.feedbackAt, fb}} {
		if *p.dst, err = parseNullTime(p.src); err != nil {
			return w, err
		}
	}
	return w, nil
}

// workOf returns a pupil's row; a pupil without one gets a fresh "new"
// row that is not stored yet.
func workOf(ctx context.Context, q querier, homeworkID, pupilID int64) (workRow, error) {
	w, err := scanWork(q.QueryRowContext(ctx, `SELECT `+workCols+` FROM homework_work w WHERE w.homework_id = ? AND w.pupil_id = ?`,
		homeworkID, pupilID))
	if errors.Is(err, sql.ErrNoRows) {
		return workRow{homeworkID: homeworkID, pupilID: pupilID, state: string(StateNew)}, nil
	}
	if err != nil {
		return w, fmt.Errorf("homework: work on %d: %w", homeworkID, err)
	}
	return w, nil
}

// worksOf returns the rows of the homework, per homework id.
func worksOf(ctx context.Context, q querier, homeworkIDs []int64) (map[int64][]workRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+workCols+` FROM homework_work w WHERE w.homework_id IN (SELECT value FROM json_each(?))`,
		store.IDsJSON(homeworkIDs))
	if err != nil {
		return nil, fmt.Errorf("homework: work: %w", err)
	}
	defer rows.Close()
	out := map[int64][]workRow{}
	for rows.Next() {
		w, err := scanWork(rows)
		if err != nil {
			return nil, fmt.Errorf("homework: work: %w", err)
		}
		out[w.homeworkID] = append(out[w.homeworkID], w)
	}
	return out, rows.Err()
}

// worksOfPupil returns a pupil's rows of the homework, per homework id.
func worksOfPupil(ctx context.Context, q querier, pupilID int64, homeworkIDs []int64) (map[int64]workRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+workCols+` FROM homework_work w
		WHERE w.pupil_id = ? AND w.homework_id IN (SELECT value FROM json_each(?))`, pupilID, store.IDsJSON(homeworkIDs))
	if err != nil {
		return nil, fmt.Errorf("homework: work of %d: %w", pupilID, err)
	}
	defer rows.Close()
	out := map[int64]workRow{}
	for rows.Next() {
		w, err := scanWork(rows)
		if err != nil {
			return nil, fmt.Errorf("homework: work of %d: %w", pupilID, err)
		}
		out[w.homeworkID] = w
	}
	return out, rows.Err()
}

// saveWork writes a pupil's row, creating it if needed.
func saveWork(ctx context.Context, tx *sql.Tx, w workRow) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO homework_work (homework_id, pupil_id, state, done_at, body, handed_in_at, changed_at,
		feedback, feedback_by, feedback_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (homework_id, pupil_id) DO UPDATE SET state = excluded.state, done_at = excluded.done_at, body = excluded.body,
		handed_in_at = excluded.handed_in_at, changed_at = excluded.changed_at, feedback = excluded.feedback,
		feedback_by = excluded.feedback_by, feedback_at = excluded.feedback_at`,
		w.homeworkID, w.pupilID, w.state, nullTime(w.doneAt), w.text, nullTime(w.handedInAt), nullTime(w.changedAt),
		w.feedback, w.feedbackBy, nullTime(w.feedbackAt))
	if err != nil {
		return fmt.Errorf("homework: save work on %d: %w", w.homeworkID, err)
	}
	return nil
}

// --- the pupils' files

func handinFilesOf(ctx context.Context, q querier, homeworkID, pupilID int64) ([]File, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, size, hash, created_at FROM homework_handin_files
		WHERE homework_id = ? AND pupil_id = ? ORDER BY id`, homeworkID, pupilID)
	if err != nil {
		return nil, fmt.Errorf("homework: hand-in files: %w", err)
	}
	return scanFiles(rows, "hand-in files")
}

// handinFilesOfHomework returns every pupil's hand-in files, per pupil.
func handinFilesOfHomework(ctx context.Context, q querier, homeworkID int64) (map[int64][]File, error) {
	rows, err := q.QueryContext(ctx, `SELECT pupil_id, id, name, size, hash, created_at FROM homework_handin_files
		WHERE homework_id = ? ORDER BY id`, homeworkID)
	if err != nil {
		return nil, fmt.Errorf("homework: hand-in files: %w", err)
	}
	defer rows.Close()
	out := map[int64][]File{}
	for rows.Next() {
		var pupil int64
		var f File
		var at string
		if err := rows.Scan(&pupil, &f.ID, &f.Name, &f.Size, &f.Hash, &at); err != nil {
			return nil, fmt.Errorf("homework: hand-in files: %w", err)
		}
		f.CreatedAt, _ = store.ParseTime(at)
		out[pupil] = append(out[pupil], f)
	}
	return out, rows.Err()
}

func handinFile(ctx context.Context, q querier, homeworkID, pupilID, fileID int64) (File, error) {
	var f File
	var at string
	err := q.QueryRowContext(ctx, `SELECT id, name, size, hash, created_at FROM homework_handin_files
		WHERE homework_id = ? AND pupil_id = ? AND id = ?`, homeworkID, pupilID, fileID).Scan(&f.ID, &f.Name, &f.Size, &f.Hash, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return f, errNoFile
	}
	if err != nil {
		return f, fmt.Errorf("homework: hand-in file %d: %w", fileID, err)
	}
	f.CreatedAt, _ = store.ParseTime(at)
	return f, nil
}

func insertHandinFile(ctx context.Context, tx *sql.Tx, homeworkID, pupilID int64, f *File) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO homework_handin_files (homework_id, pupil_id, name, size, hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, homeworkID, pupilID, f.Name, f.Size, f.Hash, store.FormatTime(f.CreatedAt))
	if err != nil {
		return fmt.Errorf("homework: insert hand-in file: %w", err)
	}
	if f.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("homework: insert hand-in file: %w", err)
	}
	return nil
}

func deleteHandinFile(ctx context.Context, tx *sql.Tx, homeworkID, pupilID, fileID int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM homework_handin_files WHERE homework_id = ? AND pupil_id = ? AND id = ?`,
		homeworkID, pupilID, fileID)
	return affectedOne(res, err, "delete hand-in file", errNoFile)
}

// --- blobs

// blobInUse reports whether a homework file or a hand-in file refers to
// the hash.
func blobInUse(ctx context.Context, q querier, hash string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM homework_files WHERE hash = ?)
		OR EXISTS (SELECT 1 FROM homework_handin_files WHERE hash = ?)`, hash, hash).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("homework: blob in use: %w", err)
	}
	return n == 1, nil
}

// referencedBlobs lists every hash the homework tables refer to.
func referencedBlobs(ctx context.Context, q querier) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT hash FROM homework_files UNION SELECT hash FROM homework_handin_files`)
	if err != nil {
		return nil, fmt.Errorf("homework: referenced blobs: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, fmt.Errorf("homework: referenced blobs: %w", err)
		}
		out[h] = true
	}
	return out, rows.Err()
}
