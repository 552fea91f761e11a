package directory

import (
	"context"
	"database/sql"
	"sync"
)

// cache keeps the school and the group list, which every LDAP search and
// API request needs and which change a few times a year. An entry is
// used only while the database's generation number (raised by triggers
// on every change of groups and settings, also from the command line in
// another process) is the one it was read at.
type cache struct {
	mu     sync.Mutex
	gen    int64
	valid  bool
	school School
	groups []Group
}

// cached returns the school and groups as of generation gen, loading them
// with q if the cache holds another generation.
func (d *Directory) cached(ctx context.Context, q querier, gen int64) (School, []Group, error) {
	d.cache.mu.Lock()
	if d.cache.valid && d.cache.gen == gen {
		s, g := d.cache.school, d.cache.groups
		d.cache.mu.Unlock()
		return s, g, nil
	}
	d.cache.mu.Unlock()
	s, err := schoolOf(ctx, q)
	if err != nil {
		return School{}, nil, err
	}
	groups, err := queryGroups(ctx, q, "ORDER BY name")
	if err != nil {
		return School{}, nil, err
	}
	d.cache.mu.Lock()
	d.cache.gen, d.cache.valid, d.cache.school, d.cache.groups = gen, true, s, groups
	d.cache.mu.Unlock()
	return s, groups, nil
}

// InvalidateCaches makes every process that has the database open read
// the school and the groups again: after a restore, the generation number
// of the restored database may be one a process has seen before.
func (d *Directory) InvalidateCaches(ctx context.Context) error {
	return d.db.Tx(ctx, func(tx *sql.Tx) error { return bumpGeneration(ctx, tx) })
}
