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
	groups *groupSet
}

// groupSet is the group list with its lookups, built once per generation
// and shared read-only by every view (a search used to build both maps
// anew).
type groupSet struct {
	list  []Group
	byID  map[int64]Group
	index map[string]int // lower-case name -> position in list
}

func newGroupSet(list []Group) *groupSet {
	s := &groupSet{list: list, byID: make(map[int64]Group, len(list)), index: make(map[string]int, len(list))}
	for i, g := range list {
		s.byID[g.ID] = g
		s.index[lower(g.Name)] = i
	}
	return s
}

// cached returns the school and groups as of generation gen, loading them
// with q if the cache holds another generation.
func (d *Directory) cached(ctx context.Context, q querier, gen int64) (School, *groupSet, error) {
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
	list, err := queryGroups(ctx, q, "ORDER BY name")
	if err != nil {
		return School{}, nil, err
	}
	groups := newGroupSet(list)
	d.cache.mu.Lock()
	d.cache.gen, d.cache.valid, d.cache.school, d.cache.groups = gen, true, s, groups
	d.cache.mu.Unlock()
	return s, groups, nil
}

// InvalidateCaches makes every process that has the database open read
// the school, the groups and the people again: after a restore, the
// generation and people version of the restored database may be ones a
// process has seen before.
func (d *Directory) InvalidateCaches(ctx context.Context) error {
	return d.db.Tx(ctx, func(tx *sql.Tx) error { return bumpGeneration(ctx, tx) })
}

// peopleCache keeps what LDAP reads about people at every login — the
// account found by a login name or uid number, and the member list of a
// group — while the people version (raised by triggers on every change
// of a person, a membership or a consent record; migration 006) is the
// one they were read at. Lookups that find many people (a role) are not
// kept; the whole cache is dropped when it grows past peopleCacheMax.
type peopleCache struct {
	mu      sync.Mutex
	version int64
	gen     int64 // the generation too: member lists of roles follow the groups
	valid   bool
	entries map[string]any // []account or []string, never changed once stored
}

const (
	peopleCacheMax     = 8192
	peopleCacheMaxRows = 4
)

func (c *peopleCache) get(gen, version int64, key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid || c.version != version || c.gen != gen {
		return nil, false
	}
	v, ok := c.entries[key]
	return v, ok
}

func (c *peopleCache) put(gen, version int64, key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid || c.version != version || c.gen != gen || len(c.entries) >= peopleCacheMax {
		c.entries = map[string]any{}
		c.version, c.gen, c.valid = version, gen, true
	}
	c.entries[key] = v
}
