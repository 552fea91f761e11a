package directory_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"kaspel/server/directory"
	"kaspel/server/store"
)

func (e *env) view() *directory.View {
	e.t.Helper()
	v, err := e.dir.View(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(v.Close)
	return v
}

func loginsOf(people []directory.Person) []string {
	var out []string
	for _, p := range people {
		out = append(out, p.Login)
	}
	return out
}

func groupNames(gs []directory.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

func TestViewPeopleBy(t *testing.T) {
	e := newEnv(t)
	anna := e.person(e.pupil("Anna", "Müller", "1a"))
	e.pupil("Ben", "Schäfer", "1a")
	e.add("Carl", "Berg", directory.Teacher)
	v := e.view()
	tests := []struct {
		name  string
		field directory.PersonField
		value string
		want  []string
	}{
		{"login", directory.ByLogin, "anna.mueller", []string{"anna.mueller"}},
		{"login in other case", directory.ByLogin, "ANNA.Mueller", []string{"anna.mueller"}},
		{"unknown login", directory.ByLogin, "niemand", nil},
		{"uid number", directory.ByUIDNumber, strconv.Itoa(anna.UIDNumber), []string{"anna.mueller"}},
		{"uid number not a number", directory.ByUIDNumber, "abc", nil},
		{"unknown uid number", directory.ByUIDNumber, "99999", nil},
		{"role", directory.ByRole, "pupil", []string{"anna.mueller", "ben.schaefer"}},
		{"role teacher", directory.ByRole, "teacher", []string{"carl.berg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.PeopleBy(tt.field, tt.value)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(loginsOf(got), tt.want) {
				t.Errorf("PeopleBy(%v, %q) = %v, want %v", tt.field, tt.value, loginsOf(got), tt.want)
			}
		})
	}
	if _, err := v.PeopleBy(directory.PersonField(99), "x"); err == nil {
		t.Errorf("PeopleBy(unknown field) = nil error, want an error")
	}
	if p, err := v.Person("Anna.Mueller"); err != nil || p.ID != anna.ID {
		t.Errorf("Person(Anna.Mueller) = %+v, %v, want anna", p, err)
	}
	if _, err := v.Person("niemand"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Person(niemand) = %v, want ErrNotFound", err)
	}
}

func TestViewGroups(t *testing.T) {
	e := newEnv(t)
	e.pupil("Anna", "Müller", "1a")
	e.pupil("Ben", "Schäfer", "1a")
	e.pupil("Carla", "Roth", "2a")
	e.add("Carl", "Berg", directory.Teacher, "1a", "2a")
	e.add("Sina", "Sommer", directory.Secretary)
	v := e.view()

	tests := []struct {
		login string
		want  []string
	}{
		{"anna.mueller", []string{"1a", "schueler"}},
		{"carl.berg", []string{"1a", "2a", "lehrer"}},
		{"sina.sommer", []string{"sekretariat"}},
		{"niemand", nil},
	}
	for _, tt := range tests {
		t.Run("GroupsWithMember "+tt.login, func(t *testing.T) {
			got, err := v.GroupsWithMember(tt.login)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(groupNames(got), tt.want) {
				t.Errorf("GroupsWithMember(%s) = %v, want %v", tt.login, groupNames(got), tt.want)
			}
		})
	}

	members := []struct {
		group string
		want  []string
	}{
		{"schueler", []string{"anna.mueller", "ben.schaefer", "carla.roth"}}, // derived from the role
		{"lehrer", []string{"carl.berg"}},
		{"admins", nil},
		{"1a", []string{"anna.mueller", "ben.schaefer", "carl.berg"}},
		{"2A", []string{"carl.berg", "carla.roth"}},
	}
	for _, tt := range members {
		t.Run("MemberLogins "+tt.group, func(t *testing.T) {
			g, ok, err := v.GroupByName(tt.group)
			if err != nil || !ok {
				t.Fatalf("GroupByName(%s) = %v, %v", tt.group, ok, err)
			}
			got, err := v.MemberLogins(g)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("MemberLogins(%s) = %v, want %v", tt.group, got, tt.want)
			}
			if byID, ok, _ := v.GroupByID(g.ID); !ok || byID != g {
				t.Errorf("GroupByID(%d) = %+v, %v, want %+v", g.ID, byID, ok, g)
			}
		})
	}
	if _, ok, _ := v.GroupByName("3c"); ok {
		t.Errorf("GroupByName(3c) found a group that does not exist")
	}
	rg, err := v.RoleGroup(directory.Pupil)
	if err != nil || rg.Name != "schueler" || rg.Kind != directory.KindRole || rg.GIDNumber <= 20000 {
		t.Errorf("RoleGroup(pupil) = %+v, %v, want schueler, a role group with a gid above 20000", rg, err)
	}
	all, err := v.Groups()
	if err != nil || !slices.Equal(groupNames(all), []string{"1a", "2a", "admins", "lehrer", "schueler", "sekretariat"}) {
		t.Errorf("Groups() = %v, %v, want all six sorted by name", groupNames(all), err)
	}

	// Role first, then the classes.
	anna, _ := v.Person("anna.mueller")
	ids, err := v.GroupIDsOf([]directory.Person{anna})
	if err != nil {
		t.Fatal(err)
	}
	c1a, _, _ := v.GroupByName("1a")
	if got := ids[anna.ID]; !slices.Equal(got, []int64{rg.ID, c1a.ID}) {
		t.Errorf("GroupIDsOf(anna) = %v, want [%d %d]", got, rg.ID, c1a.ID)
	}
}

func TestViewUsable(t *testing.T) {
	e := newEnv(t)
	ok := e.pupil("Anna", "Müller", "1a")
	locked := e.pupil("Ben", "Schäfer", "1a")
	left := e.pupil("Carla", "Roth", "4a")
	lastDay := e.pupil("Dora", "Klein", "4a")
	revoked := e.pupil("Emil", "Roth", "2a")
	reconsented := e.pupil("Finn", "Lang", "2a")
	teacher, _ := e.add("Carl", "Berg", directory.Teacher)
	must(t, e.dir.Lock(e.ctx, admin, locked, "Test"))
	must(t, e.dir.SetLeaving(e.ctx, admin, left, "2026-08-19"))
	must(t, e.dir.SetLeaving(e.ctx, admin, lastDay, "2026-08-20"))
	must(t, e.dir.RevokeConsent(e.ctx, admin, revoked, "2026-08-20"))
	must(t, e.dir.RevokeConsent(e.ctx, admin, reconsented, "2026-08-19"))
	must(t, e.dir.RecordConsent(e.ctx, admin, reconsented, "Eltern Lang", "2026-08-20"))

	v := e.view()
	if !v.Now().Equal(start) {
		t.Errorf("View.Now() = %v, want the directory's clock %v", v.Now(), start)
	}
	tests := []struct {
		login string
		want  bool
	}{
		{ok, true},
		{locked, false},
		{left, false},
		{lastDay, true},
		{revoked, false},
		{reconsented, true},
		{teacher.Login, true},
	}
	for _, tt := range tests {
		t.Run(tt.login, func(t *testing.T) {
			p, err := v.Person(tt.login)
			if err != nil {
				t.Fatal(err)
			}
			got, err := v.Usable(p)
			if err != nil || got != tt.want {
				t.Errorf("Usable(%s) = %v, %v, want %v", tt.login, got, err, tt.want)
			}
		})
	}
	// The same answers when the consents of everybody were read at once.
	v2 := e.view()
	var people []directory.Person
	for _, tt := range tests {
		p, err := v2.Person(tt.login)
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, p)
	}
	must(t, v2.PrefetchConsents(people))
	for i, tt := range tests {
		if got, err := v2.Usable(people[i]); err != nil || got != tt.want {
			t.Errorf("after PrefetchConsents: Usable(%s) = %v, %v, want %v", tt.login, got, err, tt.want)
		}
	}
}

// TestViewSnapshot: a view sees the directory as it was when opened; the
// next view sees later changes.
func TestViewSnapshot(t *testing.T) {
	e := newEnv(t)
	e.pupil("Anna", "Müller", "1a")
	v := e.view()
	if people, _ := v.PeopleBy(directory.ByRole, "pupil"); len(people) != 1 {
		t.Fatalf("pupils in the view: %d, want 1", len(people))
	}
	e.pupil("Ben", "Schäfer", "1a")
	must(t, e.dir.Lock(e.ctx, admin, "anna.mueller", "Test"))
	if people, _ := v.PeopleBy(directory.ByRole, "pupil"); len(people) != 1 || people[0].Locked() {
		t.Errorf("the open view sees later changes: %+v", people)
	}
	v2 := e.view()
	people, _ := v2.PeopleBy(directory.ByRole, "pupil")
	if len(people) != 2 || !people[0].Locked() {
		t.Errorf("a new view = %v, want both pupils and anna locked", loginsOf(people))
	}
	var all []string
	must(t, v2.EachPerson(func(p directory.Person) error { all = append(all, p.Login); return nil }))
	if !slices.Equal(all, []string{"anna.mueller", "ben.schaefer"}) {
		t.Errorf("EachPerson = %v, want both in id order", all)
	}
	ids, err := v2.AllPeopleIDs()
	if err != nil || len(ids) != 2 {
		t.Errorf("AllPeopleIDs() = %v, %v, want two ids", ids, err)
	}
	byIDs, err := v2.PeopleByIDs(ids)
	if err != nil || !slices.Equal(loginsOf(byIDs), all) {
		t.Errorf("PeopleByIDs = %v, %v, want %v", loginsOf(byIDs), err, all)
	}
	s, err := v2.School()
	if err != nil || s.Domain != "gsborsum.de" {
		t.Errorf("School() = %+v, %v", s, err)
	}
}

func TestViewServiceAccounts(t *testing.T) {
	e := newEnv(t)
	if _, err := e.dir.AddServiceAccount(e.ctx, admin, "sssd"); err != nil {
		t.Fatal(err)
	}
	v := e.view()
	a, err := v.ServiceAccount("SSSD")
	if err != nil || a.Name != "sssd" || a.PasswordHash == "" {
		t.Errorf("ServiceAccount(SSSD) = %+v, %v, want sssd with a hash", a, err)
	}
	if _, err := v.ServiceAccount("nslcd"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ServiceAccount(nslcd) = %v, want ErrNotFound", err)
	}
	list, err := v.ServiceAccounts()
	if err != nil || len(list) != 1 {
		t.Errorf("ServiceAccounts() = %+v, %v, want one", list, err)
	}
}

// TestAccountsBy: the one-query read for LDAP gives the same groups and
// the same usability as the separate reads.
func TestAccountsBy(t *testing.T) {
	e := newEnv(t)
	anna := e.pupil("Anna", "Müller", "1a")
	ben := e.pupil("Ben", "Schäfer", "2b")
	must(t, e.dir.Lock(e.ctx, admin, ben, "Test"))
	carla := e.pupil("Carla", "Roth", "2b")
	must(t, e.dir.RevokeConsent(e.ctx, admin, carla, "2026-08-20"))
	v := e.view()
	for _, login := range []string{anna, ben, carla} {
		accts, err := v.AccountsBy(directory.ByLogin, strings.ToUpper(login))
		if err != nil || len(accts) != 1 {
			t.Fatalf("AccountsBy(%s) = %v, %v", login, accts, err)
		}
		a := accts[0]
		p, err := v.Person(login)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := v.GroupIDsOf([]directory.Person{p})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.GroupIDs, ids[p.ID]) {
			t.Errorf("%s: GroupIDs %v, want %v", login, a.GroupIDs, ids[p.ID])
		}
		usable, err := v.Usable(p)
		if err != nil || a.Usable != usable {
			t.Errorf("%s: Usable %v, want %v (%v)", login, a.Usable, usable, err)
		}
	}
	if accts, err := v.AccountsBy(directory.ByLogin, "niemand"); err != nil || len(accts) != 0 {
		t.Errorf("unknown login: %v, %v", accts, err)
	}
}

// The accounts and member lists a view hands LDAP come from memory while
// nothing changed, and every change — a lock, a class move, a consent
// revoked, also by another process — shows in the next view.
func TestPeopleCacheNeverStale(t *testing.T) {
	e := newEnv(t)
	e.pupil("Anna", "Müller", "1a")
	e.pupil("Ben", "Schäfer", "1a")
	other, err := directory.New(e.db, directory.Config{Hash: fastHash, PurgeGraceDays: 30}, nil) // another process
	if err != nil {
		t.Fatal(err)
	}
	// Each look opens and closes its own view, as a request does.
	view := func() *directory.View {
		t.Helper()
		v, err := e.dir.View(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	anna := func() directory.Account {
		t.Helper()
		v := view()
		defer v.Close()
		as, err := v.AccountsBy(directory.ByLogin, "anna.mueller")
		if err != nil || len(as) != 1 {
			t.Fatalf("AccountsBy = %v, %v", as, err)
		}
		return as[0]
	}
	members := func(class string) []string {
		t.Helper()
		v := view()
		defer v.Close()
		g, ok, err := v.GroupByName(class)
		if err != nil || !ok {
			t.Fatalf("group %s: %v", class, err)
		}
		l, err := v.MemberLogins(g)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	groupsOf := func(a directory.Account) []string {
		v := view()
		defer v.Close()
		var out []string
		for _, id := range a.GroupIDs {
			g, _, _ := v.GroupByID(id)
			out = append(out, g.Name)
		}
		return out
	}
	if a := anna(); !a.Usable || !slices.Equal(groupsOf(a), []string{"schueler", "1a"}) {
		t.Fatalf("anna: usable %v, groups %v", a.Usable, groupsOf(a))
	}
	if m := members("1a"); !slices.Equal(m, []string{"anna.mueller", "ben.schaefer"}) {
		t.Fatalf("1a = %v", m)
	}
	anna()                                   // from the cache now
	members("1a")[0] = "changed by a caller" // must not reach the cache

	must(t, e.dir.Lock(e.ctx, admin, "anna.mueller", "Test"))
	if anna().Usable {
		t.Error("a lock is not seen")
	}
	must(t, e.dir.Unlock(e.ctx, admin, "anna.mueller"))
	if m := members("1a"); m[0] != "anna.mueller" {
		t.Errorf("a caller changed the cached member list: %v", m)
	}
	classes := []string{"1b"}
	must(t, other.EditPerson(e.ctx, admin, "ben.schaefer", directory.Edit{Classes: &classes}))
	if m := members("1a"); !slices.Equal(m, []string{"anna.mueller"}) {
		t.Errorf("after another process moved ben: 1a = %v", m)
	}
	classes = []string{"1b"}
	must(t, other.EditPerson(e.ctx, admin, "anna.mueller", directory.Edit{Classes: &classes}))
	if a := anna(); !slices.Equal(groupsOf(a), []string{"schueler", "1b"}) {
		t.Errorf("after another process moved anna: %v", groupsOf(a))
	}
	must(t, other.RevokeConsent(e.ctx, admin, "anna.mueller", "2026-11-27"))
	if anna().Usable {
		t.Error("a revoked consent is not seen")
	}
}
