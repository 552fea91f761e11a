package directory

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"kaspel/server/store"
)

// View is a read-only snapshot of the directory for one request (an LDAP
// search, say): its queries run in one read transaction, begun at the
// first of them. What it takes from the directory's caches (school,
// groups, accounts by login, member lists) is checked against the
// generation and people version read when the view is first used, so a
// lock or an import from the command line shows at the next request.
// Close it when done.
type View struct {
	ctx context.Context
	tx  *lazyTx
	d   *Directory
	now time.Time

	school *School
	gen    int64 // the generation the school and groups are from
	// peopleVersion is the people version of the snapshot (see
	// peopleCache).
	peopleVersion int64
	groups        []Group
	groupByID     map[int64]Group
	groupIndex    map[string]int // lower-case name -> index
	revoked       map[int64]bool // person id -> consent revoked, as far as read
}

// View opens a snapshot. Its read transaction begins at the first query
// that needs one: an LDAP lookup answered from the caches (see cache.go)
// costs only the version check, which is read outside it.
func (d *Directory) View(ctx context.Context) (*View, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("directory: open view: %w", err)
	}
	return &View{ctx: ctx, tx: &lazyTx{ctx: ctx, db: d.db.R}, d: d, now: d.now()}, nil
}

// Close ends the snapshot.
func (v *View) Close() { v.tx.rollback() }

// lazyTx is a view's read transaction, begun at its first query.
type lazyTx struct {
	ctx context.Context
	db  *sql.DB
	tx  *sql.Tx
	err error
}

func (l *lazyTx) begin() (*sql.Tx, error) {
	if l.tx == nil && l.err == nil {
		if l.tx, l.err = l.db.BeginTx(l.ctx, &sql.TxOptions{ReadOnly: true}); l.err != nil {
			l.err = fmt.Errorf("directory: open view: %w", l.err)
		}
	}
	return l.tx, l.err
}

func (l *lazyTx) begun() bool { return l.tx != nil }

func (l *lazyTx) rollback() {
	if l.tx != nil {
		l.tx.Rollback()
	}
}

func (l *lazyTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	tx, err := l.begin()
	if err != nil {
		return nil, err
	}
	return tx.ExecContext(ctx, query, args...)
}

func (l *lazyTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	tx, err := l.begin()
	if err != nil {
		return nil, err
	}
	return tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs the query in the transaction; if that cannot
// begin (the request was cancelled), on the pool, where it fails the same
// way (a *sql.Row cannot be made with an error).
func (l *lazyTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	tx, err := l.begin()
	if err != nil {
		return l.db.QueryRowContext(ctx, query, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// Now is the time the view was opened.
func (v *View) Now() time.Time { return v.now }

// School returns the school's name and domain.
func (v *View) School() (School, error) {
	if err := v.loadGroups(); err != nil {
		return School{}, err
	}
	return *v.school, nil
}

// loadGroups reads the school and the groups, from the directory's cache
// when the generation in this snapshot says nothing changed.
func (v *View) loadGroups() error {
	if v.groups != nil {
		return nil
	}
	// Read outside the transaction when none has begun: what is then
	// read inside it is as new as these numbers or newer, so nothing older
	// than a version is ever kept under it.
	var q querier = v.tx
	if !v.tx.begun() {
		q = v.d.db.R
	}
	gen, people, err := versions(v.ctx, q)
	if err != nil {
		return err
	}
	v.peopleVersion = people
	s, gs, err := v.d.cached(v.ctx, v.tx, gen)
	if err != nil {
		return err
	}
	v.school = &s
	v.gen = gen
	v.groups, v.groupByID, v.groupIndex = gs.list, gs.byID, gs.index
	return nil
}

// Generation is the number that changes with every change of the groups
// or the school (see cache.go): what a reader derives from them can be
// kept while it stays the same.
func (v *View) Generation() (int64, error) {
	if err := v.loadGroups(); err != nil {
		return 0, err
	}
	return v.gen, nil
}

// Groups lists all groups, sorted by name. A school has few (tens), so
// they are read once per view.
func (v *View) Groups() ([]Group, error) {
	if err := v.loadGroups(); err != nil {
		return nil, err
	}
	return v.groups, nil
}

// GroupByName finds a group by name, case-insensitively.
func (v *View) GroupByName(name string) (Group, bool, error) {
	if err := v.loadGroups(); err != nil {
		return Group{}, false, err
	}
	i, ok := v.groupIndex[lower(name)]
	if !ok {
		return Group{}, false, nil
	}
	return v.groups[i], true, nil
}

// GroupByID finds a group by its id.
func (v *View) GroupByID(id int64) (Group, bool, error) {
	if err := v.loadGroups(); err != nil {
		return Group{}, false, err
	}
	g, ok := v.groupByID[id]
	return g, ok, nil
}

// RoleGroup is the group of a role.
func (v *View) RoleGroup(r Role) (Group, error) {
	g, ok, err := v.GroupByName(r.GroupName())
	if err != nil {
		return g, err
	}
	if !ok {
		return g, fmt.Errorf("directory: role group %s missing", r.GroupName())
	}
	return g, nil
}

// Person finds a person by login (case-insensitive).
func (v *View) Person(login string) (Person, error) {
	return personByLogin(v.ctx, v.tx, login)
}

// PersonField names the indexed fields people can be looked up by.
type PersonField int

// The lookup fields.
const (
	ByLogin PersonField = iota
	ByUIDNumber
	ByRole
)

// PeopleBy looks people up by an indexed field.
func (v *View) PeopleBy(f PersonField, value string) ([]Person, error) {
	switch f {
	case ByLogin:
		return queryPeople(v.ctx, v.tx, "WHERE login = ?", value)
	case ByUIDNumber:
		n, err := strconv.Atoi(value)
		if err != nil {
			return nil, nil
		}
		return queryPeople(v.ctx, v.tx, "WHERE uid_number = ?", n)
	case ByRole:
		return queryPeople(v.ctx, v.tx, "WHERE role = ? ORDER BY id", value)
	}
	return nil, fmt.Errorf("directory: unknown lookup field %d", f)
}

// PeopleByIDs loads people by id, in id order.
func (v *View) PeopleByIDs(ids []int64) ([]Person, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return queryPeople(v.ctx, v.tx, "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", store.IDsJSON(ids))
}

// EachPerson calls fn for every person, in id order.
func (v *View) EachPerson(fn func(Person) error) error {
	return eachPerson(v.ctx, v.tx, fn, "ORDER BY id")
}

// AllPeopleIDs lists every person's id, in order.
func (v *View) AllPeopleIDs() ([]int64, error) {
	rows, err := v.tx.QueryContext(v.ctx, `SELECT id FROM people ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("directory: list ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// GroupIDsOf returns, per person, the ids of all their groups: the role
// group first, then the explicit memberships.
func (v *View) GroupIDsOf(people []Person) (map[int64][]int64, error) {
	if err := v.loadGroups(); err != nil {
		return nil, err
	}
	var explicit map[int64][]int64
	var err error
	if len(people) > 1000 {
		explicit, err = allMemberships(v.ctx, v.tx)
	} else {
		ids := make([]int64, len(people))
		for i, p := range people {
			ids[i] = p.ID
		}
		explicit, err = explicitGroupIDs(v.ctx, v.tx, ids)
	}
	if err != nil {
		return nil, err
	}
	out := make(map[int64][]int64, len(people))
	for _, p := range people {
		list := make([]int64, 0, 1+len(explicit[p.ID]))
		if i, ok := v.groupIndex[p.Role.GroupName()]; ok {
			list = append(list, v.groups[i].ID)
		}
		out[p.ID] = append(list, explicit[p.ID]...)
	}
	return out, nil
}

// MemberLogins lists the logins of a group's members, sorted.
func (v *View) MemberLogins(g Group) ([]string, error) {
	if err := v.loadGroups(); err != nil {
		return nil, err
	}
	key := "m\x00" + strconv.FormatInt(g.ID, 10)
	if l, ok := v.d.people.get(v.gen, v.peopleVersion, key); ok {
		return slices.Clone(l.([]string)), nil
	}
	l, err := memberLogins(v.ctx, v.tx, g)
	if err != nil {
		return nil, err
	}
	v.d.people.put(v.gen, v.peopleVersion, key, slices.Clone(l))
	return l, nil
}

// GroupsWithMember lists the groups a login belongs to (role and explicit).
func (v *View) GroupsWithMember(login string) ([]Group, error) {
	p, err := personByLogin(v.ctx, v.tx, login)
	if err != nil {
		return nil, nil // no such person: member of nothing
	}
	ids, err := v.GroupIDsOf([]Person{p})
	if err != nil {
		return nil, err
	}
	var out []Group
	for _, id := range ids[p.ID] {
		if g, ok := v.groupByID[id]; ok {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Usable reports whether a person may log in now (not locked, not left,
// consent not revoked), for attributes that tell LDAP clients so.
func (v *View) Usable(p Person) (bool, error) {
	if p.Locked() || p.HasLeft(v.now) {
		return false, nil
	}
	if p.Role != Pupil {
		return true, nil
	}
	if revoked, ok := v.revoked[p.ID]; ok {
		return !revoked, nil
	}
	revoked, err := revokedConsent(v.ctx, v.tx, p.ID)
	if err != nil {
		return false, err
	}
	if v.revoked == nil {
		v.revoked = map[int64]bool{}
	}
	v.revoked[p.ID] = revoked
	return !revoked, nil
}

// PrefetchConsents reads the consent state of many people with one query,
// so that Usable on each of them costs no query of its own.
func (v *View) PrefetchConsents(people []Person) error {
	ids := make([]int64, 0, len(people))
	for _, p := range people {
		if p.Role == Pupil {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	revoked, err := revokedAmong(v.ctx, v.tx, ids)
	if err != nil {
		return err
	}
	if v.revoked == nil {
		v.revoked = make(map[int64]bool, len(ids))
	}
	for _, id := range ids {
		v.revoked[id] = revoked[id]
	}
	return nil
}

// ServiceAccount finds a service account by name.
func (v *View) ServiceAccount(name string) (ServiceAccount, error) {
	return serviceByName(v.ctx, v.tx, name)
}

// ServiceAccounts lists the service accounts.
func (v *View) ServiceAccounts() ([]ServiceAccount, error) {
	return listServices(v.ctx, v.tx)
}

func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return toLowerSlow(s)
		}
	}
	return s
}

// Account is a person with everything an LDAP entry shows about them.
type Account struct {
	Person
	// GroupIDs are the ids of all the person's groups, the role group
	// first.
	GroupIDs []int64
	// Usable says whether the person may log in now.
	Usable bool
}

// AccountsBy looks people up by an indexed field, with their groups and
// whether they may log in, in one query.
func (v *View) AccountsBy(f PersonField, value string) ([]Account, error) {
	if err := v.loadGroups(); err != nil {
		return nil, err
	}
	key := "a\x00" + strconv.Itoa(int(f)) + "\x00" + value
	var list []account
	if l, ok := v.d.people.get(v.gen, v.peopleVersion, key); ok {
		list = l.([]account)
	} else {
		var err error
		switch f {
		case ByLogin:
			list, err = queryAccounts(v.ctx, v.tx, "WHERE login = ?", value)
		case ByUIDNumber:
			n, convErr := strconv.Atoi(value)
			if convErr != nil {
				return nil, nil
			}
			list, err = queryAccounts(v.ctx, v.tx, "WHERE uid_number = ?", n)
		case ByRole:
			list, err = queryAccounts(v.ctx, v.tx, "WHERE role = ? ORDER BY id", value)
		default:
			return nil, fmt.Errorf("directory: unknown lookup field %d", f)
		}
		if err != nil {
			return nil, err
		}
		if len(list) <= peopleCacheMaxRows {
			v.d.people.put(v.gen, v.peopleVersion, key, list)
		}
	}
	out := make([]Account, len(list))
	for i, a := range list {
		ids := make([]int64, 0, 1+len(a.groups))
		if j, ok := v.groupIndex[a.person.Role.GroupName()]; ok {
			ids = append(ids, v.groups[j].ID)
		}
		ids = append(ids, a.groups...) // sorted by queryAccounts
		usable := !a.person.Locked() && !a.person.HasLeft(v.now) && !(a.person.Role == Pupil && a.revoked)
		out[i] = Account{Person: a.person, GroupIDs: ids, Usable: usable}
	}
	return out, nil
}
