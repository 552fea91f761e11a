package files

// All SQL of the files module lives in this file.

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

// --- folders

type folderRow struct {
	id       int64
	kind     Kind
	ownerID  int64
	groupID  int64
	parentID int64
	name     string
}

const folderCols = `id, kind, COALESCE(owner_id, 0), COALESCE(group_id, 0), COALESCE(parent_id, 0), name`

func scanFolder(s scanner) (folderRow, error) {
	var f folderRow
	err := s.Scan(&f.id, &f.kind, &f.ownerID, &f.groupID, &f.parentID, &f.name)
	return f, err
}

func queryFolders(ctx context.Context, q querier, where string, args ...any) ([]folderRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+folderCols+` FROM files_folders `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("files: folders: %w", err)
	}
	defer rows.Close()
	var out []folderRow
	for rows.Next() {
		f, err := scanFolder(rows)
		if err != nil {
			return nil, fmt.Errorf("files: folders: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func folderByID(ctx context.Context, q querier, id int64) (folderRow, error) {
	f, err := scanFolder(q.QueryRowContext(ctx, `SELECT `+folderCols+` FROM files_folders WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNoFolder
	}
	if err != nil {
		return f, fmt.Errorf("files: folder %d: %w", id, err)
	}
	return f, nil
}

// roots lists the root of a person's personal tree and the group and
// drop roots of the groups.
func roots(ctx context.Context, q querier, ownerID int64, groupIDs []int64) ([]folderRow, error) {
	return queryFolders(ctx, q, `WHERE parent_id IS NULL AND (owner_id = ? OR group_id IN (SELECT value FROM json_each(?)))`,
		ownerID, store.IDsJSON(groupIDs))
}

func insertRoot(ctx context.Context, tx *sql.Tx, kind Kind, ownerID, groupID int64, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO files_folders (kind, owner_id, group_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, kind, nullID(ownerID), nullID(groupID), store.FormatTime(at))
	if err != nil {
		return fmt.Errorf("files: create %s root: %w", kind, err)
	}
	return nil
}

func subfolders(ctx context.Context, q querier, parentID int64) ([]folderRow, error) {
	return queryFolders(ctx, q, `WHERE parent_id = ? ORDER BY name COLLATE NOCASE`, parentID)
}

// folderPath lists a folder's ancestors and itself, the root first.
func folderPath(ctx context.Context, q querier, id int64) ([]folderRow, error) {
	list, err := queryFolders(ctx, q, `WHERE id IN (
		WITH RECURSIVE up(id, parent) AS (
			SELECT id, parent_id FROM files_folders WHERE id = ?
			UNION ALL SELECT f.id, f.parent_id FROM files_folders f JOIN up ON f.id = up.parent
		) SELECT id FROM up)`, id)
	if err != nil {
		return nil, err
	}
	byParent := map[int64]folderRow{}
	for _, f := range list {
		byParent[f.parentID] = f
	}
	out := make([]folderRow, 0, len(list))
	for next, ok := byParent[0]; ok; next, ok = byParent[next.id] {
		out = append(out, next)
		if len(out) > len(list) {
			return nil, fmt.Errorf("files: folder %d: cycle in the tree", id)
		}
	}
	return out, nil
}

// isBelow tells whether the folder lies in the tree below (or is) the
// folder top.
func isBelow(ctx context.Context, q querier, folderID, top int64) (bool, error) {
	path, err := folderPath(ctx, q, folderID)
	if err != nil {
		return false, err
	}
	for _, f := range path {
		if f.id == top {
			return true, nil
		}
	}
	return false, nil
}

// treeFolders counts the folders of the tree a folder belongs to.
func treeFolders(ctx context.Context, q querier, f folderRow) (int, error) {
	var n int
	var err error
	if f.kind == Personal {
		err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM files_folders WHERE owner_id = ?`, f.ownerID).Scan(&n)
	} else {
		err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM files_folders WHERE group_id = ? AND kind = ?`, f.groupID, f.kind).Scan(&n)
	}
	if err != nil {
		return 0, fmt.Errorf("files: count folders: %w", err)
	}
	return n, nil
}

// nameTaken tells whether a file or subfolder of the folder has the name
// (case-insensitively, as Windows sees it). With scope set, only that
// person's files count (a drop folder: each pupil hands in apart). The
// file and folder named by exceptFile and exceptFolder are left out (a
// rename to the same name).
func nameTaken(ctx context.Context, q querier, folderID, scope int64, name string, exceptFile, exceptFolder int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM files_files WHERE folder_id = ? AND name = ? COLLATE NOCASE AND id <> ? AND (? = 0 OR owner_id = ?))
		+ (SELECT COUNT(*) FROM files_folders WHERE parent_id = ? AND name = ? COLLATE NOCASE AND id <> ?)`,
		folderID, name, exceptFile, scope, scope, folderID, name, exceptFolder).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("files: check name: %w", err)
	}
	return n > 0, nil
}

func insertFolder(ctx context.Context, tx *sql.Tx, parent folderRow, name string, at time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO files_folders (kind, owner_id, group_id, parent_id, name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		parent.kind, nullID(parent.ownerID), nullID(parent.groupID), parent.id, name, store.FormatTime(at))
	if err != nil {
		return 0, fmt.Errorf("files: create folder: %w", err)
	}
	return res.LastInsertId()
}

func renameFolder(ctx context.Context, tx *sql.Tx, id int64, name string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE files_folders SET name = ? WHERE id = ? AND parent_id IS NOT NULL`, name, id); err != nil {
		return fmt.Errorf("files: rename folder %d: %w", id, err)
	}
	return nil
}

// deleteFolder deletes a subfolder; its subfolders and files go with it
// (ON DELETE CASCADE), their blobs with the next sweep.
func deleteFolder(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM files_folders WHERE id = ? AND parent_id IS NOT NULL`, id); err != nil {
		return fmt.Errorf("files: delete folder %d: %w", id, err)
	}
	return nil
}

// --- files

type fileRow struct {
	id         int64
	folderID   int64
	ownerID    int64
	ownerLogin string
	ownerName  string
	name       string
	size       int64
	hash       string
	createdAt  time.Time
	updatedAt  time.Time
}

const fileCols = `id, folder_id, owner_id, owner_login, owner_name, name, size, hash, created_at, updated_at`

func scanFile(s scanner) (fileRow, error) {
	var f fileRow
	var created, updated string
	if err := s.Scan(&f.id, &f.folderID, &f.ownerID, &f.ownerLogin, &f.ownerName, &f.name, &f.size, &f.hash, &created, &updated); err != nil {
		return f, err
	}
	f.createdAt, _ = store.ParseTime(created)
	f.updatedAt, _ = store.ParseTime(updated)
	return f, nil
}

func fileByID(ctx context.Context, q querier, id int64) (fileRow, error) {
	f, err := scanFile(q.QueryRowContext(ctx, `SELECT `+fileCols+` FROM files_files WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNoFile
	}
	if err != nil {
		return f, fmt.Errorf("files: file %d: %w", id, err)
	}
	return f, nil
}

// filesIn lists a folder's files by name; with scope set only that
// person's.
func filesIn(ctx context.Context, q querier, folderID, scope int64) ([]fileRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+fileCols+` FROM files_files WHERE folder_id = ? AND (? = 0 OR owner_id = ?)
		ORDER BY name COLLATE NOCASE, id`, folderID, scope, scope)
	if err != nil {
		return nil, fmt.Errorf("files: files of folder %d: %w", folderID, err)
	}
	defer rows.Close()
	var out []fileRow
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, fmt.Errorf("files: files of folder %d: %w", folderID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

func insertFile(ctx context.Context, tx *sql.Tx, f fileRow) (int64, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO files_files (folder_id, owner_id, owner_login, owner_name, name, size, hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.folderID, f.ownerID, f.ownerLogin, f.ownerName, f.name, f.size, f.hash,
		store.FormatTime(f.createdAt), store.FormatTime(f.updatedAt))
	if err != nil {
		return 0, fmt.Errorf("files: insert file: %w", err)
	}
	return res.LastInsertId()
}

func updateFile(ctx context.Context, tx *sql.Tx, id, folderID int64, name string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE files_files SET folder_id = ?, name = ?, updated_at = ? WHERE id = ?`,
		folderID, name, store.FormatTime(at), id); err != nil {
		return fmt.Errorf("files: update file %d: %w", id, err)
	}
	return nil
}

func deleteFile(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM files_files WHERE id = ?`, id); err != nil {
		return fmt.Errorf("files: delete file %d: %w", id, err)
	}
	return nil
}

// usedBy is the sum of the sizes and the number of the files a person
// stored (anywhere: own folders, a class's folders, drop folders).
func usedBy(ctx context.Context, q querier, ownerID int64) (bytes int64, count int, err error) {
	err = q.QueryRowContext(ctx, `SELECT COALESCE(SUM(size), 0), COUNT(*) FROM files_files WHERE owner_id = ?`, ownerID).Scan(&bytes, &count)
	if err != nil {
		return 0, 0, fmt.Errorf("files: usage: %w", err)
	}
	return bytes, count, nil
}

// blobInUse reports whether a file refers to the hash.
func blobInUse(ctx context.Context, q querier, hash string) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM files_files WHERE hash = ?)`, hash).Scan(&n); err != nil {
		return false, fmt.Errorf("files: blob in use: %w", err)
	}
	return n == 1, nil
}
