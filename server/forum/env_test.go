package forum

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

// The tests run the service on a real SQLite file with the real directory,
// as the server does.

var (
	ctx   = context.Background()
	admin = directory.Actor{Name: "cli:test", Service: "cli"}
	// start is the tests' "now": a school day at 10 o'clock in Berlin.
	start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
)

// clock is the shared clock of directory and forum in the tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a small school: class 3a (Anna, Ben, teachers Tina and Mia),
// class 4b (Clara, teacher Otto), the secretary Sabine and the admins
// Adam and Alma.
type env struct {
	t     testing.TB
	db    *store.DB
	dir   *directory.Directory
	svc   *Service
	clock *clock

	anna, ben, clara, tina, mia, otto, sabine, adam, alma directory.Person
}

func newEnv(t testing.TB, configure ...func(*Config)) *env {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations, session.Migrations, Migrations)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	dcfg := directory.DefaultConfig
	dcfg.Hash = directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}
	dir, err := directory.New(db, dcfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: start}
	dir.SetClock(c.now)
	if err := dir.InitSchool(ctx, admin, directory.School{Name: "Grundschule Borsumer Kaspel", Domain: "gsborsum.de"}); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig
	for _, f := range configure {
		f(&cfg)
	}
	svc, err := New(db, dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc.SetClock(c.now)
	e := &env{t: t, db: db, dir: dir, svc: svc, clock: c}
	e.anna = e.add("Anna", "Schmidt", directory.Pupil, "3a")
	e.ben = e.add("Ben", "Becker", directory.Pupil, "3a")
	e.clara = e.add("Clara", "Roth", directory.Pupil, "4b")
	e.tina = e.add("Tina", "Lehmann", directory.Teacher, "3a")
	e.mia = e.add("Mia", "Maurer", directory.Teacher, "3a")
	e.otto = e.add("Otto", "Weber", directory.Teacher, "4b")
	e.sabine = e.add("Sabine", "Sekretär", directory.Secretary)
	e.adam = e.add("Adam", "Admin", directory.Admin)
	e.alma = e.add("Alma", "Admin", directory.Admin)
	return e
}

func (e *env) add(first, last string, role directory.Role, classes ...string) directory.Person {
	e.t.Helper()
	p, _, err := e.dir.AddPerson(ctx, admin, directory.NewPerson{FirstName: first, LastName: last, Role: role, Classes: classes})
	if err != nil {
		e.t.Fatalf("AddPerson %s %s: %v", first, last, err)
	}
	return p
}

// actor is a person acting over the API, for the protocol.
func actor(p directory.Person) directory.Actor {
	return directory.Actor{Name: p.Login, Source: "10.0.0.7", Service: "api"}
}

// forumOf finds a forum in the person's list: a class's name or a school
// forum's name.
func (e *env) forumOf(p directory.Person, name string) Forum {
	e.t.Helper()
	list, err := e.svc.Forums(ctx, p, true)
	if err != nil {
		e.t.Fatalf("Forums for %s: %v", p.Login, err)
	}
	for _, f := range list {
		if f.GroupName == name || f.Kind == SchoolForum && f.Name == name {
			return f
		}
	}
	e.t.Fatalf("%s has no forum %q in %+v", p.Login, name, list)
	return Forum{}
}

// topic opens a topic that must be accepted.
func (e *env) topic(p directory.Person, forumID int64, title, text string) TopicPage {
	e.t.Helper()
	tp, err := e.svc.NewTopic(ctx, p, forumID, title, text)
	if err != nil {
		e.t.Fatalf("NewTopic by %s: %v", p.Login, err)
	}
	return tp
}

// reply posts an answer that must be accepted.
func (e *env) reply(p directory.Person, topicID int64, text string) Post {
	e.t.Helper()
	post, err := e.svc.Reply(ctx, p, topicID, text)
	if err != nil {
		e.t.Fatalf("Reply by %s: %v", p.Login, err)
	}
	return post
}

// moderate names a moderator that must be accepted.
func (e *env) moderate(by directory.Person, forumID int64, who directory.Person) {
	e.t.Helper()
	if err := e.svc.AddModerator(ctx, by, actor(by), forumID, who.Login); err != nil {
		e.t.Fatalf("%s names %s: %v", by.Login, who.Login, err)
	}
}

func (e *env) protocol(action string) []audit.Entry {
	e.t.Helper()
	list, err := audit.List(ctx, e.db, audit.Query{Action: action})
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// count runs a COUNT query.
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.R.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// kindOf is the kind of a forum refusal, 0 for nil or other errors.
func kindOf(err error) Kind {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return 0
}
