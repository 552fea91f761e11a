package directory_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// fastHash keeps the tests fast; tests about the default parameters use
// directory.DefaultHashParams.
var fastHash = directory.HashParams{Time: 1, MemoryKiB: 8 * 1024, Threads: 1}

// admin is the actor of the admin command line.
var admin = directory.Actor{Name: "cli:root", Service: "cli"}

// start is the tests' "now": the first school day after the summer
// holidays of 2026 in Lower Saxony, 8 o'clock.
var start = time.Date(2026, 8, 20, 8, 0, 0, 0, time.UTC)

// clock is the directory's clock in the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *clock) add(d time.Duration) { c.set(c.now().Add(d)) }

// date sets the clock to 8 o'clock of a YYYY-MM-DD date.
func (c *clock) date(t *testing.T, d string) {
	t.Helper()
	day, err := time.Parse(store.DateFormat, d)
	if err != nil {
		t.Fatal(err)
	}
	c.set(day.Add(8 * time.Hour))
}

// env is a directory over a real database in a temporary folder.
type env struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	dir   *directory.Directory
	log   *audit.Log
	clock *clock
}

func newEnv(t *testing.T, configure ...func(*directory.Config)) *env {
	t.Helper()
	cfg := directory.DefaultConfig
	cfg.Hash = fastHash
	for _, c := range configure {
		c(&cfg)
	}
	db, err := store.Open(filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	lg := audit.NewLog(db)
	t.Cleanup(lg.Close)
	d, err := directory.New(db, cfg, lg)
	if err != nil {
		t.Fatalf("directory.New: %v", err)
	}
	c := &clock{t: start}
	d.SetClock(c.now)
	e := &env{t: t, ctx: context.Background(), db: db, dir: d, log: lg, clock: c}
	if err := d.InitSchool(e.ctx, admin, directory.School{Name: "Grundschule Borsumer Kaspel", Domain: "gsborsum.de"}); err != nil {
		t.Fatalf("InitSchool: %v", err)
	}
	return e
}

// add creates a person and returns them with their one-time password.
func (e *env) add(first, last string, role directory.Role, classes ...string) (directory.Person, string) {
	e.t.Helper()
	p, pw, err := e.dir.AddPerson(e.ctx, admin, directory.NewPerson{FirstName: first, LastName: last, Role: role, Classes: classes})
	if err != nil {
		e.t.Fatalf("AddPerson(%s %s): %v", first, last, err)
	}
	return p, pw
}

// pupil creates a pupil in class and returns the login.
func (e *env) pupil(first, last, class string) string {
	e.t.Helper()
	var classes []string
	if class != "" {
		classes = []string{class}
	}
	p, _ := e.add(first, last, directory.Pupil, classes...)
	return p.Login
}

// withPassword creates a person who has chosen their own password pw.
func (e *env) withPassword(first, last string, role directory.Role, pw string, classes ...string) string {
	e.t.Helper()
	p, _ := e.add(first, last, role, classes...)
	if err := e.dir.ChangePassword(e.ctx, directory.Actor{Name: p.Login, Service: "test"}, p.Login, pw); err != nil {
		e.t.Fatalf("ChangePassword(%s): %v", p.Login, err)
	}
	return p.Login
}

func (e *env) person(login string) directory.Person {
	e.t.Helper()
	p, err := e.dir.Person(e.ctx, login)
	if err != nil {
		e.t.Fatalf("Person(%s): %v", login, err)
	}
	return p
}

// classes lists the classes a person is a member of.
func (e *env) classes(login string) []string {
	e.t.Helper()
	d, err := e.dir.Details(e.ctx, login)
	if err != nil {
		e.t.Fatalf("Details(%s): %v", login, err)
	}
	var out []string
	for _, g := range d.Groups {
		if g.Kind == directory.KindClass {
			out = append(out, g.Name)
		}
	}
	sort.Strings(out)
	return out
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.R.QueryRowContext(e.ctx, query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// audit returns the protocol lines matching q, newest first, after the
// login log is written.
func (e *env) audit(q audit.Query) []audit.Entry {
	e.t.Helper()
	e.log.Flush()
	if q.Limit == 0 {
		q.Limit = 100000
	}
	out, err := audit.List(e.ctx, e.db, q)
	if err != nil {
		e.t.Fatalf("audit.List: %v", err)
	}
	return out
}

func (e *env) auditCount() int {
	e.t.Helper()
	e.log.Flush()
	return e.count(`SELECT COUNT(*) FROM audit`)
}

// checkAudit asserts that exactly one protocol line has action and target,
// written by the command line admin.
func (e *env) checkAudit(action, target string) audit.Entry {
	e.t.Helper()
	got := e.audit(audit.Query{Action: action, Target: target})
	if len(got) != 1 {
		e.t.Fatalf("protocol lines %s %s: %d, want 1", action, target, len(got))
	}
	if got[0].Actor != admin.Name || got[0].Service != "cli" || !got[0].Success {
		e.t.Errorf("protocol line %s %s: actor %q service %q success %v, want %q cli true",
			action, target, got[0].Actor, got[0].Service, got[0].Success, admin.Name)
	}
	return got[0]
}

// login tries a person's login over LDAP from the usual PC.
func (e *env) login(name, pw string) (directory.Principal, error) {
	return e.dir.Authenticate(e.ctx, directory.Credentials{
		Kind: directory.PersonPrincipal, Name: name, Password: pw,
		Source: "192.0.2.10:50123", Service: "ldap", Computer: "PC-01",
	})
}

func TestNew(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct {
		name    string
		cfg     func(*directory.Config)
		wantErr bool
	}{
		{"default", func(*directory.Config) {}, false},
		{"memory too small", func(c *directory.Config) { c.Hash.MemoryKiB = 4096 }, true},
		{"no time", func(c *directory.Config) { c.Hash.Time = 0 }, true},
		{"negative grace", func(c *directory.Config) { c.PurgeGraceDays = -1 }, true},
		{"no grace", func(c *directory.Config) { c.PurgeGraceDays = 0 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := directory.DefaultConfig
			tt.cfg(&cfg)
			_, err := directory.New(db, cfg, nil)
			if gotErr := err != nil; gotErr != tt.wantErr {
				t.Errorf("New = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestInitSchool(t *testing.T) {
	e := newEnv(t)
	s, err := e.dir.School(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "Grundschule Borsumer Kaspel" || s.Domain != "gsborsum.de" {
		t.Errorf("School() = %+v, want the name and domain given to InitSchool", s)
	}
	if got, want := s.BaseDN(), "dc=gsborsum,dc=de"; got != want {
		t.Errorf("BaseDN() = %v, want %v", got, want)
	}
	if got, want := s.Mail("anna.mueller"), "anna.mueller@gsborsum.de"; got != want {
		t.Errorf("Mail() = %v, want %v", got, want)
	}
	groups, err := e.dir.Groups(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range groups {
		if g.Kind != directory.KindRole {
			t.Errorf("group %s of kind %s after init, want only role groups", g.Name, g.Kind)
		}
		names = append(names, g.Name)
	}
	sort.Strings(names)
	if got, want := names, []string{"admins", "lehrer", "schueler", "sekretariat"}; !slices.Equal(got, want) {
		t.Errorf("groups = %v, want %v", got, want)
	}
	e.checkAudit("school.init", "gsborsum.de")

	err = e.dir.InitSchool(e.ctx, admin, directory.School{Name: "Andere Schule", Domain: "andere.de"})
	if !errors.Is(err, directory.ErrInvalid) {
		t.Errorf("second InitSchool = %v, want ErrInvalid", err)
	}
	if s, _ := e.dir.School(e.ctx); s.Domain != "gsborsum.de" {
		t.Errorf("domain after a refused second init = %s, want gsborsum.de", s.Domain)
	}
}

func TestInitSchoolValidates(t *testing.T) {
	tests := []struct {
		name   string
		school directory.School
	}{
		{"empty name", directory.School{Name: " ", Domain: "gsborsum.de"}},
		{"upper case domain", directory.School{Name: "GS", Domain: "GSBorsum.de"}},
		{"no dot", directory.School{Name: "GS", Domain: "gsborsum"}},
		{"with scheme", directory.School{Name: "GS", Domain: "https://gsborsum.de"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.Open(filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			d, err := directory.New(db, directory.Config{Hash: fastHash}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.InitSchool(context.Background(), admin, tt.school); !errors.Is(err, directory.ErrInvalid) {
				t.Errorf("InitSchool(%+v) = %v, want ErrInvalid", tt.school, err)
			}
			if _, err := d.School(context.Background()); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("School() after a refused init = %v, want ErrNotFound", err)
			}
		})
	}
}
