package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// Backup writes a consistent copy of the live database to dest, which must
// not exist yet. It uses SQLite's online backup API, so the server keeps
// running (and writing) while it copies.
func (db *DB) Backup(ctx context.Context, dest string) error {
	// Create the file first, readable by the server only like the live
	// database (it holds password hashes); SQLite would make it 0644.
	f, err := os.OpenFile(dest, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("store: backup: %s already exists", dest)
	}
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	f.Close()
	if err := copyDatabase(ctx, db.R, dest, false); err != nil {
		os.Remove(dest)
		return err
	}
	return nil
}

// Restore replaces the live database's content with the database file src
// (made by Backup) and then applies the migrations a newer program brings.
// It goes through SQLite's backup API into the open database, so another
// process that has the database open sees the restored content at its next
// query instead of reading a file that was swapped underneath it.
func (db *DB) Restore(ctx context.Context, src string, sets ...Migrations) error {
	if err := Check(ctx, src); err != nil {
		return err
	}
	if err := copyDatabase(ctx, db.W, src, true); err != nil {
		return err
	}
	return db.migrate(ctx, sets)
}

// Check opens the database file path read-only and runs SQLite's integrity check.
func Check(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("store: check %s: %w", path, err)
	}
	other, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer other.Close()
	var res string
	if err := other.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("store: %s is not a readable database: %w", path, err)
	}
	if res != "ok" {
		return fmt.Errorf("store: %s is damaged: %s", path, res)
	}
	var n int
	if err := other.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n == 0 {
		return fmt.Errorf("store: %s is not a Kaspel database", path)
	}
	return nil
}

// copyDatabase copies between the database behind handle and the file at
// path: from the file into the handle's database if intoHandle, else from
// the handle's database into the file.
func copyDatabase(ctx context.Context, handle *sql.DB, path string, intoHandle bool) error {
	mode := "rwc"
	if intoHandle {
		mode = "ro"
	}
	other, err := sql.Open("sqlite3", "file:"+path+"?mode="+mode)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer other.Close()
	otherConn, err := other.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer otherConn.Close()
	liveConn, err := handle.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connect: %w", err)
	}
	defer liveConn.Close()

	return liveConn.Raw(func(liveDC any) error {
		return otherConn.Raw(func(otherDC any) error {
			live := liveDC.(*sqlite3.SQLiteConn)
			file := otherDC.(*sqlite3.SQLiteConn)
			dst, src := file, live
			if intoHandle {
				dst, src = live, file
			}
			b, err := dst.Backup("main", src, "main")
			if err != nil {
				return fmt.Errorf("store: start backup: %w", err)
			}
			done, err := b.Step(-1)
			if err != nil {
				b.Close()
				return fmt.Errorf("store: copy pages: %w", err)
			}
			if !done {
				b.Close()
				return fmt.Errorf("store: copy pages: incomplete")
			}
			if err := b.Finish(); err != nil {
				return fmt.Errorf("store: finish backup: %w", err)
			}
			return nil
		})
	})
}
