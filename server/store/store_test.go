package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// notes returns a migration set of the test component "notes" from
// testdata/<dir>.
func notes(dir string) store.Migrations {
	return store.Migrations{Component: "notes", FS: os.DirFS(filepath.Join("testdata", dir))}
}

func open(t *testing.T, path string, sets ...store.Migrations) *store.DB {
	t.Helper()
	db, err := store.Open(path, sets...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func count(t *testing.T, q interface {
	QueryRow(string, ...any) *sql.Row
}, query string, args ...any) int {
	t.Helper()
	var n int
	if err := q.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func hasTable(t *testing.T, db *store.DB, name string) bool {
	t.Helper()
	return count(t, db.R, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name) == 1
}

func TestOpenPragmas(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "kaspel.db"), notes("notes-v1"))
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
		{"query_only", "0"},
	}
	for _, tt := range tests {
		t.Run("W "+tt.pragma, func(t *testing.T) {
			var got string
			if err := db.W.QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("PRAGMA %s = %v, want %v", tt.pragma, got, tt.want)
			}
		})
	}
	t.Run("R is query only", func(t *testing.T) {
		var got string
		if err := db.R.QueryRow("PRAGMA query_only").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != "1" {
			t.Errorf("PRAGMA query_only on R = %v, want 1", got)
		}
		_, err := db.R.Exec(`INSERT INTO notes (title, kind) VALUES ('x', 'memo')`)
		if err == nil {
			t.Errorf("insert through R succeeded, want an error")
		}
	})
	t.Run("W uses BEGIN IMMEDIATE", func(t *testing.T) {
		// An immediate transaction holds the write lock from its start,
		// so a second writer on another connection must get SQLITE_BUSY
		// at once instead of deadlocking later.
		tx, err := db.W.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		other, err := sql.Open("sqlite3", "file:"+db.Path()+"?_busy_timeout=0&_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		otx, err := other.Begin()
		if err == nil {
			otx.Rollback()
			t.Errorf("a second writer began while the first transaction was open, want SQLITE_BUSY")
		}
	})
}

func TestOpenFileMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaspel.db")
	db := open(t, path, notes("notes-v1"))
	if _, err := db.W.Exec(`INSERT INTO notes (title, kind) VALUES ('x', 'memo')`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("%s: mode %v, want %v", filepath.Base(p), got, os.FileMode(0o600))
		}
	}
}

func TestMigrationsAppliedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaspel.db")
	db := open(t, path, notes("notes-v2"))
	rows, err := db.R.Query(`SELECT version, name FROM schema_migrations WHERE component = 'notes' ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, name)
	}
	rows.Close()
	want := []string{"001-notes.sql", "002-kinds.sql"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("schema_migrations = %v, want %v", got, want)
	}
	db.Close()

	// Opening again applies nothing (001 would fail: the table exists).
	db = open(t, path, notes("notes-v2"))
	if n := count(t, db.R, `SELECT COUNT(*) FROM schema_migrations`); n != 2 {
		t.Errorf("schema_migrations has %d rows after a second Open, want 2", n)
	}
	v, err := db.Version(context.Background(), "notes")
	if err != nil || v != 2 {
		t.Errorf("Version(notes) = %d, %v, want 2, nil", v, err)
	}
	v, err = db.Version(context.Background(), "nothing")
	if err != nil || v != 0 {
		t.Errorf("Version(nothing) = %d, %v, want 0, nil", v, err)
	}
}

func TestRealMigrations(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations)
	for _, c := range []string{"audit", "directory"} {
		v, err := db.Version(context.Background(), c)
		if err != nil || v < 1 {
			t.Errorf("Version(%s) = %d, %v, want >= 1", c, v, err)
		}
	}
	for _, table := range []string{"audit", "people", "groups", "memberships", "consents", "rights", "service_accounts"} {
		if !hasTable(t, db, table) {
			t.Errorf("table %s missing", table)
		}
	}
}

// TestUpgrade opens a database made by a program that knew only migration
// 001, then with a program that brings 002 (a table rebuild): the data
// must survive, including rows of a table that refers to the rebuilt one
// with ON DELETE CASCADE.
func TestUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaspel.db")
	db := open(t, path, notes("notes-v1"))
	for _, q := range []string{
		`INSERT INTO notes (id, title, kind) VALUES (1, 'Elternabend', 'memo'), (2, 'Zeugnisse', 'memo')`,
		`INSERT INTO note_links (note_id, url) VALUES (1, 'https://a.example/'), (1, 'https://b.example/'), (2, 'https://c.example/')`,
	} {
		if _, err := db.W.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.W.Exec(`INSERT INTO notes (title, kind) VALUES ('x', 'todo')`); err == nil {
		t.Fatalf("version 1 accepted kind 'todo', want the CHECK to refuse it")
	}
	db.Close()

	db = open(t, path, notes("notes-v2"))
	if v, _ := db.Version(context.Background(), "notes"); v != 2 {
		t.Errorf("version after upgrade = %d, want 2", v)
	}
	var titles []string
	rows, err := db.R.Query(`SELECT title FROM notes ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		titles = append(titles, s)
	}
	rows.Close()
	if got, want := strings.Join(titles, ","), "Elternabend,Zeugnisse"; got != want {
		t.Errorf("notes after upgrade = %v, want %v", got, want)
	}
	if got := count(t, db.R, `SELECT COUNT(*) FROM note_links`); got != 3 {
		t.Errorf("note_links after upgrade: %d rows, want 3 (the rebuild must not cascade)", got)
	}
	// The new schema is there: the new kind, the new column, the index.
	if _, err := db.W.Exec(`INSERT INTO notes (title, kind, pinned) VALUES ('Einkaufen', 'todo', 1)`); err != nil {
		t.Errorf("insert with the version 2 schema: %v", err)
	}
	if got := count(t, db.R, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'notes_title'`); got != 1 {
		t.Errorf("index notes_title: %d, want 1", got)
	}
	// Foreign keys are enforced again after the migration.
	if _, err := db.W.Exec(`INSERT INTO note_links (note_id, url) VALUES (999, 'x')`); err == nil {
		t.Errorf("a dangling link was accepted after the upgrade, want a foreign key error")
	}
	if _, err := db.W.Exec(`DELETE FROM notes WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db.R, `SELECT COUNT(*) FROM note_links WHERE note_id = 1`); got != 0 {
		t.Errorf("links of a deleted note: %d, want 0 (cascade)", got)
	}
}

func TestOpenRefuses(t *testing.T) {
	tests := []struct {
		name  string
		first store.Migrations // applied before, if set
		sets  []store.Migrations
		want  string
	}{
		{"newer database", notes("notes-v2"), []store.Migrations{notes("notes-v1")}, "newer than this program"},
		{"gap in numbers", store.Migrations{}, []store.Migrations{notes("notes-gap")}, "without gaps"},
		{"bad file name", store.Migrations{}, []store.Migrations{notes("notes-badname")}, "NNN-what.sql"},
		{"failing migration", store.Migrations{}, []store.Migrations{notes("notes-broken")}, "002-broken.sql"},
		{"broken foreign key", store.Migrations{}, []store.Migrations{notes("notes-badfk")}, "foreign key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kaspel.db")
			if tt.first.FS != nil {
				db := open(t, path, tt.first)
				db.Close()
			}
			db, err := store.Open(path, tt.sets...)
			if err == nil {
				db.Close()
				t.Fatalf("Open succeeded, want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestMigrationsAllOrNothing: when one migration fails, none of the
// migrations of that Open is applied, not even those of other components.
func TestMigrationsAllOrNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaspel.db")
	other := store.Migrations{Component: "other", FS: os.DirFS(filepath.Join("testdata", "notes-v1"))}
	if _, err := store.Open(path, other, notes("notes-broken")); err == nil {
		t.Fatal("Open succeeded, want the error of 002-broken.sql")
	}
	// Look with a plain connection: Open would create schema_migrations.
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if n := count(t, raw, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`); n != 0 {
		t.Errorf("%d tables after a failed migration, want none", n)
	}
}

func TestTxRollsBack(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "kaspel.db"), notes("notes-v1"))
	ctx := context.Background()
	boom := errors.New("boom")
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO notes (title, kind) VALUES ('lost', 'memo')`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Tx = %v, want %v", err, boom)
	}
	if n := count(t, db.R, `SELECT COUNT(*) FROM notes`); n != 0 {
		t.Errorf("notes after a failed Tx: %d, want 0", n)
	}
	err = db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO notes (title, kind) VALUES ('kept', 'memo')`)
		return err
	})
	if err != nil {
		t.Fatalf("Tx: %v", err)
	}
	if n := count(t, db.R, `SELECT COUNT(*) FROM notes WHERE title = 'kept'`); n != 1 {
		t.Errorf("notes after a good Tx: %d, want 1", n)
	}
}

// TestTxPanic: a panic inside a transaction (recovered further up, as
// net/http does for a handler) must not leave the only write connection
// in an open transaction, which would stop every later write.
func TestTxPanic(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "kaspel.db"), notes("notes-v1"))
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("the panic did not reach the caller")
			}
		}()
		db.Tx(context.Background(), func(tx *sql.Tx) error {
			tx.Exec(`INSERT INTO notes (title, kind) VALUES ('lost', 'memo')`)
			panic("bug")
		})
	}()
	// The deadline only matters when the test fails (the connection is
	// stuck); a passing run does not wait.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO notes (title, kind) VALUES ('after', 'memo')`)
		return err
	})
	if err != nil {
		t.Fatalf("Tx after a panic: %v, want nil", err)
	}
	if n := count(t, db.R, `SELECT COUNT(*) FROM notes WHERE title = 'lost'`); n != 0 {
		t.Errorf("the panicking transaction's row was kept")
	}
}

func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db := open(t, filepath.Join(dir, "kaspel.db"), notes("notes-v1"))
	insert := func(title string) {
		t.Helper()
		if _, err := db.W.Exec(`INSERT INTO notes (title, kind) VALUES (?, 'memo')`, title); err != nil {
			t.Fatal(err)
		}
	}
	titles := func() string {
		t.Helper()
		rows, err := db.R.Query(`SELECT title FROM notes ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return strings.Join(out, ",")
	}
	insert("before backup")
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	fi, err := os.Stat(backup)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("backup file mode %v, want %v (it holds password hashes)", got, os.FileMode(0o600))
	}
	if err := store.Check(ctx, backup); err != nil {
		t.Errorf("Check(backup): %v", err)
	}
	if err := db.Backup(ctx, backup); err == nil {
		t.Errorf("a second Backup over the same file succeeded, want an error")
	}

	insert("after backup")
	if got, want := titles(), "before backup,after backup"; got != want {
		t.Fatalf("notes = %v, want %v", got, want)
	}
	if err := db.Restore(ctx, backup, notes("notes-v1")); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if got, want := titles(), "before backup"; got != want {
		t.Errorf("notes after Restore (read handle) = %v, want %v", got, want)
	}
	var n int
	db.W.QueryRow(`SELECT COUNT(*) FROM notes`).Scan(&n)
	if n != 1 {
		t.Errorf("notes after Restore (write handle) = %d, want 1", n)
	}
	// The restored database is live: writes work and last.
	insert("after restore")
	if got, want := titles(), "before backup,after restore"; got != want {
		t.Errorf("notes = %v, want %v", got, want)
	}
}

// TestRestoreMigrates: a backup from an older program is brought up to
// the running program's schema by Restore.
func TestRestoreMigrates(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	old := open(t, filepath.Join(dir, "old.db"), notes("notes-v1"))
	if _, err := old.W.Exec(`INSERT INTO notes (title, kind) VALUES ('alt', 'memo')`); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "old-backup.db")
	if err := old.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	db := open(t, filepath.Join(dir, "kaspel.db"), notes("notes-v2"))
	if err := db.Restore(ctx, backup, notes("notes-v2")); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if v, _ := db.Version(ctx, "notes"); v != 2 {
		t.Errorf("version after Restore = %d, want 2", v)
	}
	if n := count(t, db.R, `SELECT COUNT(*) FROM notes WHERE title = 'alt' AND pinned = 0`); n != 1 {
		t.Errorf("restored note with the new column: %d, want 1", n)
	}
}

func TestCheckRejects(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("Das ist keine Datenbank, sondern eine Einkaufsliste.\n"), 0o600)
	foreign := filepath.Join(dir, "foreign.db")
	other, err := sql.Open("sqlite3", foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec(`CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	other.Close()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)

	tests := []struct {
		name, path string
	}{
		{"text file", text},
		{"missing file", filepath.Join(dir, "missing.db")},
		{"SQLite but not Kaspel", foreign},
		{"empty file", empty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := store.Check(ctx, tt.path); err == nil {
				t.Errorf("Check(%s) = nil, want an error", filepath.Base(tt.path))
			}
		})
	}

	// Restore refuses such a file and leaves the live database alone.
	db := open(t, filepath.Join(dir, "kaspel.db"), notes("notes-v1"))
	db.W.Exec(`INSERT INTO notes (title, kind) VALUES ('stays', 'memo')`)
	if err := db.Restore(ctx, text, notes("notes-v1")); err == nil {
		t.Errorf("Restore(text file) = nil, want an error")
	}
	if n := count(t, db.R, `SELECT COUNT(*) FROM notes WHERE title = 'stays'`); n != 1 {
		t.Errorf("live notes after a refused Restore: %d, want 1", n)
	}
}

func TestTimeFormat(t *testing.T) {
	at := time.Date(2026, 8, 20, 7, 55, 3, 999, time.FixedZone("CEST", 2*3600))
	s := store.FormatTime(at)
	if want := "2026-08-20T05:55:03Z"; s != want {
		t.Errorf("FormatTime = %v, want %v", s, want)
	}
	back, err := store.ParseTime(s)
	if err != nil || !back.Equal(at.Truncate(time.Second)) {
		t.Errorf("ParseTime(%s) = %v, %v, want %v", s, back, err, at.Truncate(time.Second))
	}
	if z, err := store.ParseTime(""); err != nil || !z.IsZero() {
		t.Errorf("ParseTime(\"\") = %v, %v, want the zero time", z, err)
	}
}
