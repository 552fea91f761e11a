package directory_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
	"kaspel/shared/password"
)

func TestAddPerson(t *testing.T) {
	e := newEnv(t)
	p, onetime := e.add("Anna", "Müller", directory.Pupil, "Klasse 1a")
	if p.Login != "anna.mueller" {
		t.Errorf("Login = %q, want anna.mueller", p.Login)
	}
	stored := e.person(p.Login)
	if !stored.MustChange {
		t.Errorf("MustChange = false, want true for a new account")
	}
	if stored.FirstName != "Anna" || stored.LastName != "Müller" || stored.Role != directory.Pupil {
		t.Errorf("stored person = %+v, want Anna Müller, pupil", stored)
	}
	if stored.UIDNumber <= 10000 {
		t.Errorf("UIDNumber = %d, want above 10000", stored.UIDNumber)
	}
	if broken := password.Check(onetime); broken != nil {
		t.Errorf("one-time password %q breaks %v", onetime, broken)
	}
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=8192,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(stored.PasswordHash) {
		t.Errorf("PasswordHash = %q, want an argon2id PHC string with m=8192,t=1,p=1", stored.PasswordHash)
	}
	if strings.Contains(stored.PasswordHash, onetime) {
		t.Errorf("the hash contains the password")
	}
	ok, err := e.dir.Hasher().Verify(e.ctx, stored.PasswordHash, onetime)
	if err != nil || !ok {
		t.Errorf("Verify(stored hash, one-time password) = %v, %v, want true", ok, err)
	}
	if got := e.classes(p.Login); !slices.Equal(got, []string{"1a"}) {
		t.Errorf("classes = %v, want [1a]", got)
	}
	if stored.PasswordChangedAt.IsZero() || stored.CreatedAt.IsZero() {
		t.Errorf("PasswordChangedAt %v, CreatedAt %v, want both set", stored.PasswordChangedAt, stored.CreatedAt)
	}
	l := e.checkAudit("user.add", "anna.mueller")
	if l.Detail != "pupil 1a" && l.Detail != "pupil Klasse 1a" {
		t.Errorf("protocol detail %q, want the role and class", l.Detail)
	}
}

func TestAddPersonNamesakes(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		first, last string
		role        directory.Role
		class       string
		want        string
	}{
		{"Anna", "Müller", directory.Pupil, "1a", "anna.mueller"},
		{"Anna", "Müller", directory.Pupil, "3b", "anna.mueller.2"}, // namesake in another class
		{"Lena", "Schmidt", directory.Pupil, "2a", "lena.schmidt"},
		{"Lena", "Schmidt", directory.Pupil, "2a", "lena.schmidt.2"}, // twins in one class
		{"Lena", "Schmidt", directory.Pupil, "2a", "lena.schmidt.3"},
		{"ANNA", "MUELLER", directory.Teacher, "", "anna.mueller.3"}, // same login, other spelling
		{"Änne", "Groß", directory.Secretary, "", "aenne.gross"},
	}
	for _, tt := range tests {
		var classes []string
		if tt.class != "" {
			classes = []string{tt.class}
		}
		p, _ := e.add(tt.first, tt.last, tt.role, classes...)
		if p.Login != tt.want {
			t.Errorf("AddPerson(%s %s) login = %q, want %q", tt.first, tt.last, p.Login, tt.want)
		}
	}
	if got := e.count(`SELECT COUNT(DISTINCT uid_number) FROM people`); got != len(tests) {
		t.Errorf("%d distinct uid numbers, want %d", got, len(tests))
	}
}

// TestAddPersonExplicitLogin: a login given by the admin is used as it is,
// but never one that is taken (by a person or a service account) or not a
// valid login.
func TestAddPersonExplicitLogin(t *testing.T) {
	e := newEnv(t)
	p, _, err := e.dir.AddPerson(e.ctx, admin, directory.NewPerson{Login: "admin", FirstName: "Schul", LastName: "Admin", Role: directory.Admin})
	if err != nil || p.Login != "admin" {
		t.Fatalf("AddPerson(login admin) = %q, %v, want admin", p.Login, err)
	}
	if _, err := e.dir.AddServiceAccount(e.ctx, admin, "nslcd"); err != nil {
		t.Fatal(err)
	}
	for _, login := range []string{"admin", "Admin", "nslcd", "a", "Anna.Mueller", "anna mueller", "1anna"} {
		_, _, err := e.dir.AddPerson(e.ctx, admin, directory.NewPerson{Login: login, FirstName: "X", LastName: "Y", Role: directory.Admin})
		if !errors.Is(err, directory.ErrInvalid) {
			t.Errorf("AddPerson(login %q) = %v, want ErrInvalid", login, err)
		}
	}
}

func TestAddPersonInvalid(t *testing.T) {
	e := newEnv(t)
	e.add("Anna", "Müller", directory.Pupil, "1a")
	if _, _, err := e.dir.AddPerson(e.ctx, admin, directory.NewPerson{FirstName: "Ida", LastName: "Ernst", Role: directory.Pupil, ExternalID: "4711"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		np   directory.NewPerson
	}{
		{"unknown role", directory.NewPerson{FirstName: "Ben", LastName: "Berg", Role: "hausmeister"}},
		{"no role", directory.NewPerson{FirstName: "Ben", LastName: "Berg"}},
		{"empty first name", directory.NewPerson{FirstName: " ", LastName: "Berg", Role: directory.Pupil}},
		{"empty last name", directory.NewPerson{FirstName: "Ben", LastName: "", Role: directory.Pupil}},
		{"newline in name", directory.NewPerson{FirstName: "Ben\nDROP", LastName: "Berg", Role: directory.Pupil}},
		{"name too long", directory.NewPerson{FirstName: strings.Repeat("a", 101), LastName: "Berg", Role: directory.Pupil}},
		{"no letters for a login", directory.NewPerson{FirstName: "王", LastName: "芳", Role: directory.Pupil}},
		{"pupil in two classes", directory.NewPerson{FirstName: "Ben", LastName: "Berg", Role: directory.Pupil, Classes: []string{"1a", "2a"}}},
		{"bad class", directory.NewPerson{FirstName: "Ben", LastName: "Berg", Role: directory.Pupil, Classes: []string{"1a!"}}},
		{"role as class", directory.NewPerson{FirstName: "Ben", LastName: "Berg", Role: directory.Teacher, Classes: []string{"lehrer"}}},
		{"second class bad", directory.NewPerson{FirstName: "Ben", LastName: "Berg", Role: directory.Teacher, Classes: []string{"1b", "??"}}},
		{"taken external ID", directory.NewPerson{FirstName: "Ben", LastName: "Berg", Role: directory.Pupil, ExternalID: "4711"}},
	}
	people := e.count(`SELECT COUNT(*) FROM people`)
	groups := e.count(`SELECT COUNT(*) FROM groups`)
	lines := e.auditCount()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, pw, err := e.dir.AddPerson(e.ctx, admin, tt.np)
			if !errors.Is(err, directory.ErrInvalid) {
				t.Errorf("AddPerson = %v, want ErrInvalid", err)
			}
			if p.Login != "" || pw != "" {
				t.Errorf("AddPerson returned %q and a password after an error", p.Login)
			}
			if got := e.count(`SELECT COUNT(*) FROM people`); got != people {
				t.Errorf("people: %d, want %d (nothing added)", got, people)
			}
			if got := e.count(`SELECT COUNT(*) FROM groups`); got != groups {
				t.Errorf("groups: %d, want %d (no class made)", got, groups)
			}
			if got := e.auditCount(); got != lines {
				t.Errorf("protocol lines: %d, want %d", got, lines)
			}
		})
	}
	// The numbers used by the failed attempts are not burnt either.
	p, _ := e.add("Ben", "Berg", directory.Pupil, "1b")
	if p.UIDNumber != 10003 {
		t.Errorf("UIDNumber after failed attempts = %d, want 10003", p.UIDNumber)
	}
}

func TestPersonNotFound(t *testing.T) {
	e := newEnv(t)
	actions := map[string]func() error{
		"Person":        func() error { _, err := e.dir.Person(e.ctx, "niemand"); return err },
		"Details":       func() error { _, err := e.dir.Details(e.ctx, "niemand"); return err },
		"Lock":          func() error { return e.dir.Lock(e.ctx, admin, "niemand", "x") },
		"Unlock":        func() error { return e.dir.Unlock(e.ctx, admin, "niemand") },
		"ResetPassword": func() error { _, err := e.dir.ResetPassword(e.ctx, admin, "niemand"); return err },
		"ChangePassword": func() error {
			return e.dir.ChangePassword(e.ctx, admin, "niemand", "Sonne-Hase-47")
		},
		"EditPerson":    func() error { return e.dir.EditPerson(e.ctx, admin, "niemand", directory.Edit{}) },
		"SetLeaving":    func() error { return e.dir.SetLeaving(e.ctx, admin, "niemand", "2027-07-31") },
		"HoldBack":      func() error { return e.dir.HoldBack(e.ctx, admin, "niemand", true) },
		"SetRight":      func() error { return e.dir.SetRight(e.ctx, admin, "niemand", directory.RightProtocol, true) },
		"RecordConsent": func() error { return e.dir.RecordConsent(e.ctx, admin, "niemand", "Eltern", "2026-08-01") },
		"RevokeConsent": func() error { return e.dir.RevokeConsent(e.ctx, admin, "niemand", "2026-08-01") },
	}
	for name, fn := range actions {
		t.Run(name, func(t *testing.T) {
			if err := fn(); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s(niemand) = %v, want ErrNotFound", name, err)
			}
		})
	}
	if n := e.auditCount(); n != 1 { // school.init
		t.Errorf("protocol lines after failed actions: %d, want 1", n)
	}
}

func TestLockUnlock(t *testing.T) {
	e := newEnv(t)
	anna := e.pupil("Anna", "Müller", "1a")
	if err := e.dir.Lock(e.ctx, admin, anna, "  "); !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("Lock without reason = %v, want ErrInvalid", err)
	}
	if err := e.dir.Unlock(e.ctx, admin, anna); !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("Unlock of an unlocked account = %v, want ErrInvalid", err)
	}
	if err := e.dir.Lock(e.ctx, admin, anna, " Passwort weitergegeben "); err != nil {
		t.Fatal(err)
	}
	p := e.person(anna)
	if !p.Locked() || p.LockedBy != "cli:root" || p.LockReason != "Passwort weitergegeben" || !p.LockedAt.Equal(start) {
		t.Errorf("after Lock: locked %v by %q reason %q at %v, want locked by cli:root, the reason, at %v",
			p.Locked(), p.LockedBy, p.LockReason, p.LockedAt, start)
	}
	if l := e.checkAudit("user.lock", anna); l.Detail != "Passwort weitergegeben" {
		t.Errorf("lock protocol detail %q, want the reason", l.Detail)
	}
	if err := e.dir.Unlock(e.ctx, admin, anna); err != nil {
		t.Fatal(err)
	}
	p = e.person(anna)
	if p.Locked() || p.LockedBy != "" || p.LockReason != "" {
		t.Errorf("after Unlock: %+v, want no lock", p)
	}
	if l := e.checkAudit("user.unlock", anna); !strings.Contains(l.Detail, "Passwort weitergegeben") {
		t.Errorf("unlock protocol detail %q, want the old reason", l.Detail)
	}
}

func TestResetPassword(t *testing.T) {
	e := newEnv(t)
	anna := e.withPassword("Anna", "Müller", directory.Pupil, "Sonne-Hase-47", "1a")
	pw, err := e.dir.ResetPassword(e.ctx, admin, anna)
	if err != nil {
		t.Fatal(err)
	}
	if broken := password.Check(pw); broken != nil {
		t.Errorf("reset password %q breaks %v", pw, broken)
	}
	if !e.person(anna).MustChange {
		t.Errorf("MustChange after reset = false, want true")
	}
	if _, err := e.login(anna, "Sonne-Hase-47"); !errors.Is(err, directory.ErrInvalidCredentials) {
		t.Errorf("old password after reset = %v, want ErrInvalidCredentials", err)
	}
	if pr, err := e.login(anna, pw); err != nil || !pr.MustChange {
		t.Errorf("new password after reset = %+v, %v, want ok with MustChange", pr, err)
	}
	e.checkAudit("user.passwd", anna)
}

func TestChangePassword(t *testing.T) {
	e := newEnv(t)
	p, onetime := e.add("Anna", "Müller", directory.Pupil, "1a")
	self := directory.Actor{Name: p.Login, Service: "api"}

	err := e.dir.ChangePassword(e.ctx, self, p.Login, "sonne")
	var pe *directory.PolicyError
	if !errors.As(err, &pe) {
		t.Fatalf("ChangePassword(weak) = %v, want a *PolicyError", err)
	}
	if want := []password.Rule{password.RuleLength, password.RuleUpper, password.RuleDigit, password.RuleSpecial}; !slices.Equal(pe.Broken, want) {
		t.Errorf("PolicyError.Broken = %v, want %v", pe.Broken, want)
	}
	if !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("PolicyError is not ErrInvalid")
	}
	if !strings.Contains(err.Error(), "a digit") {
		t.Errorf("PolicyError text %q, want the broken rules in English", err)
	}

	err = e.dir.ChangePassword(e.ctx, self, p.Login, onetime)
	if !errors.Is(err, directory.ErrSamePassword) || !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("ChangePassword(same) = %v, want ErrSamePassword and ErrInvalid", err)
	}
	if n := len(e.audit(audit.Query{Action: "password.change"})); n != 0 {
		t.Errorf("%d protocol lines after refused changes, want 0", n)
	}
	if !e.person(p.Login).MustChange {
		t.Errorf("MustChange cleared by a refused change")
	}

	if err := e.dir.ChangePassword(e.ctx, self, p.Login, "Grüne-Wiese-29"); err != nil {
		t.Fatal(err)
	}
	if e.person(p.Login).MustChange {
		t.Errorf("MustChange after own change = true, want false")
	}
	if _, err := e.login(p.Login, "Grüne-Wiese-29"); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
	if _, err := e.login(p.Login, onetime); !errors.Is(err, directory.ErrInvalidCredentials) {
		t.Errorf("login with the one-time password after the change = %v, want ErrInvalidCredentials", err)
	}
	got := e.audit(audit.Query{Action: "password.change", Target: p.Login})
	if len(got) != 1 || got[0].Actor != p.Login || got[0].Service != "api" {
		t.Errorf("protocol = %+v, want one line by %s over api", got, p.Login)
	}
}

func TestEditPerson(t *testing.T) {
	e := newEnv(t)
	anna := e.pupil("Anna", "Müller", "1a")
	first, last := "Anna-Lena", "Meyer"
	if err := e.dir.EditPerson(e.ctx, admin, anna, directory.Edit{FirstName: &first, LastName: &last}); err != nil {
		t.Fatal(err)
	}
	p := e.person(anna) // the login stays
	if p.FirstName != "Anna-Lena" || p.LastName != "Meyer" || p.Login != "anna.mueller" {
		t.Errorf("after name change: %s %s login %s, want Anna-Lena Meyer login anna.mueller", p.FirstName, p.LastName, p.Login)
	}
	if _, err := e.dir.Person(e.ctx, "anna-lena.meyer"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Person(anna-lena.meyer) = %v, want ErrNotFound: the login must not change", err)
	}
	if l := e.checkAudit("user.edit", anna); l.Detail != "first name; last name" {
		t.Errorf("protocol detail %q, want %q", l.Detail, "first name; last name")
	}

	classes := []string{"2A"}
	if err := e.dir.EditPerson(e.ctx, admin, anna, directory.Edit{Classes: &classes}); err != nil {
		t.Fatal(err)
	}
	if got := e.classes(anna); !slices.Equal(got, []string{"2a"}) {
		t.Errorf("classes after edit = %v, want [2a]", got)
	}
	two := []string{"2a", "3a"}
	if err := e.dir.EditPerson(e.ctx, admin, anna, directory.Edit{Classes: &two}); !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("EditPerson(pupil in two classes) = %v, want ErrInvalid", err)
	}
	empty := " "
	if err := e.dir.EditPerson(e.ctx, admin, anna, directory.Edit{FirstName: &empty}); !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("EditPerson(empty first name) = %v, want ErrInvalid", err)
	}
	bad := directory.Role("hausmeister")
	if err := e.dir.EditPerson(e.ctx, admin, anna, directory.Edit{Role: &bad}); !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("EditPerson(unknown role) = %v, want ErrInvalid", err)
	}
	if p := e.person(anna); p.FirstName != "Anna-Lena" || p.Role != directory.Pupil {
		t.Errorf("after refused edits: %+v, want unchanged", p)
	}
	if got := e.classes(anna); !slices.Equal(got, []string{"2a"}) {
		t.Errorf("classes after a refused edit = %v, want [2a]", got)
	}

	// A teacher may teach several classes; becoming one allows it.
	teacher := directory.Teacher
	if err := e.dir.EditPerson(e.ctx, admin, anna, directory.Edit{Role: &teacher, Classes: &two}); err != nil {
		t.Fatal(err)
	}
	if got := e.classes(anna); !slices.Equal(got, []string{"2a", "3a"}) {
		t.Errorf("classes of the teacher = %v, want [2a 3a]", got)
	}
	if n := len(e.audit(audit.Query{Action: "user.edit", Target: anna})); n != 3 {
		t.Errorf("user.edit lines: %d, want 3 (refused edits write none)", n)
	}
}

func TestSetLeaving(t *testing.T) {
	e := newEnv(t)
	anna := e.pupil("Anna", "Müller", "4a")
	for _, bad := range []string{"31.07.2027", "2027-02-30", "morgen"} {
		if err := e.dir.SetLeaving(e.ctx, admin, anna, bad); !errors.Is(err, directory.ErrInvalid) {
			t.Errorf("SetLeaving(%q) = %v, want ErrInvalid", bad, err)
		}
	}
	if err := e.dir.SetLeaving(e.ctx, admin, anna, "2027-07-31"); err != nil {
		t.Fatal(err)
	}
	if got := e.person(anna).LeavingDate; got != "2027-07-31" {
		t.Errorf("LeavingDate = %q, want 2027-07-31", got)
	}
	if l := e.checkAudit("user.leave", anna); l.Detail != "2027-07-31" {
		t.Errorf("protocol detail %q, want the date", l.Detail)
	}
	if err := e.dir.SetLeaving(e.ctx, admin, anna, ""); err != nil {
		t.Fatal(err)
	}
	if got := e.person(anna).LeavingDate; got != "" {
		t.Errorf("LeavingDate after clearing = %q, want empty", got)
	}
	if n := e.count(`SELECT COUNT(*) FROM people WHERE leaving_date IS NULL AND login = ?`, anna); n != 1 {
		t.Errorf("leaving_date after clearing is not NULL")
	}
}

func TestHoldBack(t *testing.T) {
	e := newEnv(t)
	anna := e.pupil("Anna", "Müller", "2a")
	carl, _ := e.add("Carl", "Berg", directory.Teacher, "2a")
	if err := e.dir.HoldBack(e.ctx, admin, anna, true); err != nil {
		t.Fatal(err)
	}
	if !e.person(anna).HoldBack {
		t.Errorf("HoldBack = false after HoldBack(true)")
	}
	if l := e.checkAudit("user.hold-back", anna); l.Detail != "true" {
		t.Errorf("protocol detail %q, want true", l.Detail)
	}
	if err := e.dir.HoldBack(e.ctx, admin, anna, false); err != nil {
		t.Fatal(err)
	}
	if e.person(anna).HoldBack {
		t.Errorf("HoldBack = true after HoldBack(false)")
	}
	if err := e.dir.HoldBack(e.ctx, admin, carl.Login, true); !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("HoldBack(teacher) = %v, want ErrInvalid", err)
	}
}

func TestRights(t *testing.T) {
	e := newEnv(t)
	carl, _ := e.add("Carl", "Berg", directory.Teacher)
	has := func() bool {
		t.Helper()
		ok, err := e.dir.HasRight(e.ctx, carl.ID, directory.RightProtocol)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if has() {
		t.Errorf("HasRight before granting = true")
	}
	if err := e.dir.SetRight(e.ctx, admin, carl.Login, directory.RightProtocol, true); err != nil {
		t.Fatal(err)
	}
	if !has() {
		t.Errorf("HasRight after granting = false")
	}
	e.checkAudit("right.grant", carl.Login)
	d, err := e.dir.Details(e.ctx, carl.Login)
	if err != nil || !slices.Equal(d.Rights, []string{"protocol"}) {
		t.Errorf("Details().Rights = %v, %v, want [protocol]", d.Rights, err)
	}
	if err := e.dir.SetRight(e.ctx, admin, carl.Login, directory.RightProtocol, true); err != nil {
		t.Errorf("granting twice = %v, want nil", err)
	}
	if err := e.dir.SetRight(e.ctx, admin, carl.Login, directory.RightProtocol, false); err != nil {
		t.Fatal(err)
	}
	if has() {
		t.Errorf("HasRight after revoking = true")
	}
	e.checkAudit("right.revoke", carl.Login)
	if err := e.dir.SetRight(e.ctx, admin, carl.Login, "root", true); !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("SetRight(root) = %v, want ErrInvalid", err)
	}
}

func TestList(t *testing.T) {
	e := newEnv(t)
	e.pupil("Zoe", "Adler", "10a")
	e.pupil("Ben", "Schäfer", "2a")
	e.pupil("anna", "schmidt", "2a")
	e.pupil("Anna", "Müller", "2a")
	e.pupil("Paul", "Zander", "9b")
	e.pupil("Ömer", "Özdemir", "9b")
	e.pupil("Mia", "Berg", "9b")
	e.add("Carl", "Berg", directory.Teacher)
	left := e.pupil("Lea", "Alt", "2a")
	e.dir.SetLeaving(e.ctx, admin, left, "2026-08-19")

	logins := func(q directory.ListQuery) []string {
		t.Helper()
		list, err := e.dir.List(e.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, l := range list {
			out = append(out, l.Login)
		}
		return out
	}
	tests := []struct {
		name string
		q    directory.ListQuery
		want []string
	}{
		// German order: Ä with A, Ö with O, not after Z; 10a after 9b;
		// people without a class last.
		{"everyone by class, last and first name", directory.ListQuery{},
			[]string{"anna.mueller", "ben.schaefer", "anna.schmidt", "mia.berg", "oemer.oezdemir", "paul.zander", "zoe.adler", "carl.berg"}},
		{"a class", directory.ListQuery{Class: "2A"}, []string{"anna.mueller", "ben.schaefer", "anna.schmidt"}},
		{"a class with leavers", directory.ListQuery{Class: "2a", Leavers: true}, []string{"lea.alt", "anna.mueller", "ben.schaefer", "anna.schmidt"}},
		{"teachers", directory.ListQuery{Role: directory.Teacher}, []string{"carl.berg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := logins(tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("List(%+v) = %v, want %v", tt.q, got, tt.want)
			}
		})
	}
	list, _ := e.dir.List(e.ctx, directory.ListQuery{Class: "10a"})
	if len(list) != 1 || !slices.Equal(list[0].Classes, []string{"10a"}) {
		t.Errorf("List(10a) = %+v, want zoe.adler with class 10a", list)
	}
	if _, err := e.dir.List(e.ctx, directory.ListQuery{Class: "!"}); !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("List(bad class) = %v, want ErrInvalid", err)
	}
}

func TestDetails(t *testing.T) {
	e := newEnv(t)
	anna := e.pupil("Anna", "Müller", "1a")
	e.dir.RecordConsent(e.ctx, admin, anna, "Maria Müller", "2026-08-01")
	d, err := e.dir.Details(context.Background(), anna)
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	for _, g := range d.Groups {
		groups = append(groups, string(g.Kind)+":"+g.Name)
	}
	if want := []string{"role:schueler", "class:1a"}; !slices.Equal(groups, want) {
		t.Errorf("Details().Groups = %v, want %v (role first)", groups, want)
	}
	if d.Consent == nil || d.Consent.Guardian != "Maria Müller" || d.Consent.SignedOn != "2026-08-01" || d.Consent.Revoked() {
		t.Errorf("Details().Consent = %+v, want signed by Maria Müller on 2026-08-01", d.Consent)
	}
	if d.Rights != nil {
		t.Errorf("Details().Rights = %v, want none", d.Rights)
	}
}

func TestAddDemoPeople(t *testing.T) {
	e := newEnv(t)
	people, err := e.dir.AddDemoPeople(e.ctx, admin, []directory.NewPerson{
		{FirstName: "Anna", LastName: "Müller", Role: directory.Pupil, Classes: []string{"1a"}},
		{FirstName: "Carl", LastName: "Berg", Role: directory.Teacher},
	}, "Demo-Schule-2026")
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{people[0].Login, people[1].Login}; !slices.Equal(got, []string{"anna.mueller", "carl.berg"}) {
		t.Errorf("demo logins = %v", got)
	}
	for _, p := range people {
		pr, err := e.login(p.Login, "Demo-Schule-2026")
		if err != nil || pr.MustChange {
			t.Errorf("demo login %s = %+v, %v, want ok without MustChange", p.Login, pr, err)
		}
	}
	e.checkAudit("demo.add", "")
}

// An edit is one transaction: when a later part is refused, the earlier
// ones are not applied, and the protocol has no line for them.
func TestEditPersonAllOrNothing(t *testing.T) {
	e := newEnv(t)
	teacher, _ := e.add("Tina", "Lehmann", directory.Teacher, "3a")
	pupil, _ := e.add("Anna", "Schmidt", directory.Pupil, "3a")
	lines := e.auditCount()
	name, yes, leaving := "Tinka", true, "2027-07-31"

	err := e.dir.EditPerson(e.ctx, admin, teacher.Login, directory.Edit{FirstName: &name, LeavingDate: &leaving, HoldBack: &yes})
	if !errors.Is(err, directory.ErrInvalid) {
		t.Fatalf("holding back a teacher: got %v", err)
	}
	if p, _ := e.dir.Person(e.ctx, teacher.Login); p.FirstName != "Tina" || p.LeavingDate != "" {
		t.Errorf("the refused edit changed the teacher: %q, leaving %q", p.FirstName, p.LeavingDate)
	}
	// The role changes in the same edit; holding back then refers to it.
	role := directory.Teacher
	err = e.dir.EditPerson(e.ctx, admin, pupil.Login, directory.Edit{Role: &role, HoldBack: &yes})
	if !errors.Is(err, directory.ErrInvalid) {
		t.Fatalf("a pupil made a teacher and held back: got %v", err)
	}
	if p, _ := e.dir.Person(e.ctx, pupil.Login); p.Role != directory.Pupil {
		t.Errorf("the refused edit changed the role to %s", p.Role)
	}
	if got := e.auditCount(); got != lines {
		t.Errorf("protocol lines after refused edits: %d, want %d", got, lines)
	}
	// All parts at once: each in the protocol.
	if err := e.dir.EditPerson(e.ctx, admin, pupil.Login, directory.Edit{FirstName: &name, LeavingDate: &leaving, HoldBack: &yes}); err != nil {
		t.Fatal(err)
	}
	if p, _ := e.dir.Person(e.ctx, pupil.Login); p.FirstName != "Tinka" || p.LeavingDate != leaving || !p.HoldBack {
		t.Errorf("the edit: %q, leaving %q, held back %v", p.FirstName, p.LeavingDate, p.HoldBack)
	}
	if got := e.auditCount(); got != lines+3 {
		t.Errorf("protocol lines: %d, want %d", got, lines+3)
	}
}
