// Package store opens Kaspel's SQLite database and applies the embedded
// migrations of every component that keeps tables in it.
//
// The database runs in WAL mode with synchronous=FULL: every committed
// transaction is on disk before the commit returns, because accounts, mail
// and loans must never be lost. Writes go through a single connection that
// starts its transactions with BEGIN IMMEDIATE, so two writers never
// deadlock on a lock upgrade; reads go through a pool of query-only
// connections that WAL lets run beside the writer. Other processes (the
// admin command line while the server runs) open the same file and SQLite's
// own locking keeps them consistent, which is why nothing here caches rows.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"time"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver
)

// ErrNotFound is returned by lookups that find no row. Packages with their
// own storage wrap it so that callers can test with errors.Is.
var ErrNotFound = errors.New("not found")

// DB is an open Kaspel database.
type DB struct {
	// W is the write handle: one connection, BEGIN IMMEDIATE transactions.
	W *sql.DB
	// R is the read handle: several query-only connections.
	R    *sql.DB
	path string
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

func dsn(path string, write bool) string {
	q := url.Values{}
	q.Set("_fk", "true")
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", "FULL")
	// Keep prepared statements per connection: the same few queries run
	// for every LDAP search, and preparing them cost more than running them.
	q.Set("_stmt_cache_size", "64")
	if write {
		q.Set("_txlock", "immediate")
	} else {
		q.Set("_txlock", "deferred")
		q.Set("_query_only", "true")
	}
	return "file:" + url.PathEscape(path) + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path and brings every
// given component's schema up to date.
func Open(path string, sets ...Migrations) (*DB, error) {
	return OpenWith(path, Options{}, sets...)
}

// Options tune Open.
type Options struct {
	// ReadConns is the size of the read pool; 0 means twice the cores,
	// at least 8. Tests set 1: code that asks the pool for a second
	// connection while it holds one (a query beside an open view) then
	// hangs at once instead of only under load.
	ReadConns int
}

// OpenWith is Open with options.
func OpenWith(path string, o Options, sets ...Migrations) (*DB, error) {
	// Create the file ourselves so that it (and the -wal and -shm files
	// SQLite makes with the same mode) is readable by the server only: it
	// holds password hashes.
	if f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
		f.Close()
	}
	w, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db := &DB{W: w, path: path}
	if err := db.migrate(context.Background(), sets); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s for reading: %w", path, err)
	}
	n := o.ReadConns
	if n <= 0 {
		n = 2 * runtime.GOMAXPROCS(0)
		if n < 8 {
			n = 8
		}
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	db.R = r
	return db, nil
}

// Close closes both handles.
func (db *DB) Close() error {
	var errR error
	if db.R != nil {
		errR = db.R.Close()
	}
	return errors.Join(db.W.Close(), errR)
}

// Tx runs fn in one write transaction: committed if fn returns nil, rolled
// back otherwise. Every change Kaspel makes goes through here, so a failing
// command leaves nothing half-written.
func (db *DB) Tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	return finish(tx, fn)
}

// finish runs fn in tx and commits or rolls back. A panic in fn rolls back
// too before it goes on up: the write handle has one connection, and a
// transaction left open on it would stop every later write.
func finish(tx *sql.Tx, fn func(*sql.Tx) error) error {
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// Now is the time format used in every table: RFC 3339 in UTC, to the
// second, which sorts as text.
func Now() string { return FormatTime(time.Now()) }

// FormatTime formats t the way the tables store times.
func FormatTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// ParseTime reads a time written by FormatTime; an empty string is the zero time.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339, s)
}

// DateFormat is how calendar dates (leaving dates, consent dates) are stored.
const DateFormat = "2006-01-02"
