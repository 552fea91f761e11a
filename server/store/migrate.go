package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migrations is one component's numbered schema changes: files named
// NNN-what.sql at the root of FS, applied in order, each once.
type Migrations struct {
	// Component names the owner ("directory", "audit", "mail"); versions
	// are counted per component.
	Component string
	FS        fs.FS
}

type migration struct {
	version int
	name    string
	sql     string
}

func (m Migrations) list() ([]migration, error) {
	entries, err := fs.ReadDir(m.FS, ".")
	if err != nil {
		return nil, fmt.Errorf("store: read %s migrations: %w", m.Component, err)
	}
	var out []migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "-")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: %s migration %q: name must be NNN-what.sql", m.Component, e.Name())
		}
		body, err := fs.ReadFile(m.FS, e.Name())
		if err != nil {
			return nil, fmt.Errorf("store: read %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m2 := range out {
		if m2.version != i+1 {
			return nil, fmt.Errorf("store: %s migrations are not numbered 1..n without gaps (at %s)", m.Component, m2.name)
		}
	}
	return out, nil
}

// migrate applies all pending migrations of all sets in one transaction:
// either the database moves to the new schema completely or not at all.
func (db *DB) migrate(ctx context.Context, sets []Migrations) error {
	// A table rebuild (how SQLite changes a column or a CHECK) drops the
	// old table, and with foreign keys on, that deletes every row referring
	// to it by ON DELETE CASCADE (memberships, consents, ... of people).
	// So migrations run with foreign keys off, as SQLite's documentation
	// prescribes, and foreign_key_check below catches what they break.
	// The pragma cannot change inside a transaction, hence the pinned
	// connection.
	conn, err := db.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connect: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return fmt.Errorf("store: foreign keys off: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`)
		return fmt.Errorf("store: begin: %w", err)
	}
	err = finish(tx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			component  TEXT NOT NULL,
			version    INTEGER NOT NULL,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL,
			PRIMARY KEY (component, version))`); err != nil {
			return fmt.Errorf("store: create schema_migrations: %w", err)
		}
		for _, set := range sets {
			list, err := set.list()
			if err != nil {
				return err
			}
			var current int
			if err := tx.QueryRowContext(ctx,
				`SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?`,
				set.Component).Scan(&current); err != nil {
				return fmt.Errorf("store: read %s version: %w", set.Component, err)
			}
			if current > len(list) {
				return fmt.Errorf("store: the database's %s schema is version %d, newer than this program knows (%d): use a newer kaspel-server",
					set.Component, current, len(list))
			}
			for _, m := range list[current:] {
				if _, err := tx.ExecContext(ctx, m.sql); err != nil {
					return fmt.Errorf("store: apply %s migration %s: %w", set.Component, m.name, err)
				}
				if _, err := tx.ExecContext(ctx,
					`INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)`,
					set.Component, m.version, m.name, Now()); err != nil {
					return fmt.Errorf("store: record %s migration %s: %w", set.Component, m.name, err)
				}
			}
		}
		rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
		if err != nil {
			return fmt.Errorf("store: foreign key check: %w", err)
		}
		defer rows.Close()
		if rows.Next() {
			var table string
			var rowid sql.NullInt64
			var parent string
			var fkid int
			rows.Scan(&table, &rowid, &parent, &fkid)
			return fmt.Errorf("store: migrations left a broken foreign key in %s (row %d -> %s)", table, rowid.Int64, parent)
		}
		return rows.Err()
	})
	if _, errOn := conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON`); errOn != nil {
		// Never hand back a write connection without foreign keys.
		conn.Raw(func(any) error { return driver.ErrBadConn })
		return errors.Join(err, fmt.Errorf("store: foreign keys on: %w", errOn))
	}
	return err
}

// Version reports the applied schema version of a component (0 if none).
func (db *DB) Version(ctx context.Context, component string) (int, error) {
	var v int
	err := db.R.QueryRowContext(ctx,
		`SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = ?`, component).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("store: read %s version: %w", component, err)
	}
	return v, nil
}
