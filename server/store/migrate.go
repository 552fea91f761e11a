package store

import (
	"context"
	"database/sql"
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
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			component  TEXT NOT NULL,
			version    INTEGER NOT NULL,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL,
			PRIMARY KEY (component, version))`); err != nil {
			return fmt.Errorf("store: create schema_migrations: %w", err)
		}
		// Table rebuilds in later migrations may break foreign keys for a
		// moment; they are checked at commit and by foreign_key_check.
		if _, err := tx.ExecContext(ctx, `PRAGMA defer_foreign_keys = ON`); err != nil {
			return fmt.Errorf("store: defer foreign keys: %w", err)
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
