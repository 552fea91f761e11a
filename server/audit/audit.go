// Package audit keeps the protocol: who logged in where (success or not,
// from which address and computer) and what admins did. The usage rules let
// only the people named by the head teacher read it, so reading goes through
// List, which the API guards with the "protocol" right.
//
// Admin actions are written with Record inside the transaction of the
// action itself, so an action and its protocol line land together or not at
// all. Logins are many and come in bursts at 8:00; they go through Log,
// which writes them in batches from one goroutine so that a login storm
// costs one fsync per batch instead of one per login.
package audit

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"sync"
	"time"

	"kaspel/server/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the audit table's schema.
var Migrations = store.Migrations{Component: "audit", FS: mustSub(migrationFiles, "migrations")}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}

// Entry is one line of the protocol.
type Entry struct {
	ID       int64
	At       time.Time
	Actor    string // a login, "cli:root", "ldap:cn=sssd,ou=services,..."
	Action   string // login, user.add, user.lock, import, promote, purge, ...
	Target   string // what it was done to, usually a login
	Success  bool
	Source   string // remote address, where there is one
	Service  string // ldap, api, cli
	Computer string // the PC, where the client told us
	Detail   string // free text; never a password
}

// Record writes e inside tx.
func Record(ctx context.Context, tx *sql.Tx, e Entry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, actor, action, target, success, source, service, computer, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		store.FormatTime(e.At), e.Actor, e.Action, e.Target, e.Success, e.Source, e.Service, e.Computer, e.Detail)
	if err != nil {
		return fmt.Errorf("audit: record %s: %w", e.Action, err)
	}
	return nil
}

// Log writes entries asynchronously in batches. The zero value is not
// usable; create it with NewLog and Close it to flush.
type Log struct {
	db      *store.DB
	entries chan Entry
	flushes chan chan struct{}
	done    chan struct{}
	once    sync.Once
}

// NewLog starts the writer goroutine.
func NewLog(db *store.DB) *Log {
	l := &Log{db: db, entries: make(chan Entry, 8192), flushes: make(chan chan struct{}), done: make(chan struct{})}
	go l.run()
	return l
}

// Flush waits until every entry added before it is written.
func (l *Log) Flush() {
	done := make(chan struct{})
	select {
	case l.flushes <- done:
		<-done
	case <-l.done:
	}
}

// Add queues e. It blocks only when thousands of entries are waiting.
func (l *Log) Add(e Entry) {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	l.entries <- e
}

// Close writes what is queued and stops the writer.
func (l *Log) Close() {
	l.once.Do(func() {
		close(l.entries)
		<-l.done
	})
}

func (l *Log) run() {
	defer close(l.done)
	const max = 512
	batch := make([]Entry, 0, max)
	// fill takes what else is already waiting, without waiting for more.
	fill := func() (open bool) {
		for len(batch) < max {
			select {
			case e, ok := <-l.entries:
				if !ok {
					return false
				}
				batch = append(batch, e)
			default:
				return true
			}
		}
		return true
	}
	for {
		select {
		case e, ok := <-l.entries:
			if !ok {
				return
			}
			batch = append(batch[:0], e)
			open := fill()
			l.write(batch)
			if !open {
				return
			}
		case done := <-l.flushes:
			for {
				batch = batch[:0]
				open := fill()
				if len(batch) > 0 {
					l.write(batch)
				}
				if !open || len(batch) < max {
					break
				}
			}
			close(done)
		}
	}
}

func (l *Log) write(batch []Entry) {
	err := l.db.Tx(context.Background(), func(tx *sql.Tx) error {
		for _, e := range batch {
			if err := Record(context.Background(), tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		slog.Error("audit: write protocol batch", "entries", len(batch), "err", err)
	}
}

// Query selects protocol lines; zero fields do not filter.
type Query struct {
	Since, Until time.Time
	Actor        string
	Target       string
	Action       string // exact, or a prefix ending in "." ("user.")
	Limit        int    // default 200
}

// List returns the newest matching entries first.
func List(ctx context.Context, db *store.DB, q Query) ([]Entry, error) {
	var where []string
	var args []any
	if !q.Since.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, store.FormatTime(q.Since))
	}
	if !q.Until.IsZero() {
		where = append(where, "at < ?")
		args = append(args, store.FormatTime(q.Until))
	}
	if q.Actor != "" {
		where = append(where, "actor = ? COLLATE NOCASE")
		args = append(args, q.Actor)
	}
	if q.Target != "" {
		where = append(where, "target = ? COLLATE NOCASE")
		args = append(args, q.Target)
	}
	if q.Action != "" {
		if strings.HasSuffix(q.Action, ".") {
			where = append(where, "substr(action, 1, ?) = ?")
			args = append(args, len(q.Action), q.Action)
		} else {
			where = append(where, "action = ?")
			args = append(args, q.Action)
		}
	}
	if q.Limit <= 0 {
		q.Limit = 200
	}
	query := `SELECT id, at, actor, action, target, success, source, service, computer, detail FROM audit`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC LIMIT ?"
	args = append(args, q.Limit)
	rows, err := db.R.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Success, &e.Source, &e.Service, &e.Computer, &e.Detail); err != nil {
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		e.At, _ = store.ParseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
