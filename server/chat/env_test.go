package chat

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

// The tests run the service on a real SQLite file with the real
// directory, as the server does.

var (
	ctx   = context.Background()
	admin = directory.Actor{Name: "cli:test", Service: "cli"}
	// start is the tests' "now": a school day at 10 o'clock.
	start = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
)

// clock is the shared clock of directory and chat in the tests.
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

// env is a small school: class 3a (Anna, Ben, teacher Tina), class 4b
// (Clara, teacher Otto), the secretary Sabine and the admin Adam.
type env struct {
	t     testing.TB
	db    *store.DB
	dir   *directory.Directory
	svc   *Service
	clock *clock

	anna, ben, clara, tina, otto, sabine, adam directory.Person
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
	e.otto = e.add("Otto", "Weber", directory.Teacher, "4b")
	e.sabine = e.add("Sabine", "Sekretär", directory.Secretary)
	e.adam = e.add("Adam", "Admin", directory.Admin)
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

// classRoom returns the id of the person's room of a class or group.
func (e *env) classRoom(p directory.Person, group string) int64 {
	e.t.Helper()
	rooms, err := e.svc.Rooms(ctx, p)
	if err != nil {
		e.t.Fatalf("Rooms(%s): %v", p.Login, err)
	}
	for _, r := range rooms {
		if r.Kind == GroupRoom && r.Group == group {
			return r.ID
		}
	}
	e.t.Fatalf("%s has no room of %s in %+v", p.Login, group, rooms)
	return 0
}

// direct opens the direct room of two people, which must work.
func (e *env) direct(from, to directory.Person) int64 {
	e.t.Helper()
	r, err := e.svc.OpenDirect(ctx, from, to.Login)
	if err != nil {
		e.t.Fatalf("OpenDirect(%s, %s): %v", from.Login, to.Login, err)
	}
	return r.ID
}

// send writes a message that must go through. The clock moves on a few
// seconds with every message, so that long fills stay within the rate
// limit per minute.
func (e *env) send(from directory.Person, room int64, body string) Message {
	e.t.Helper()
	e.clock.add(7 * time.Second)
	m, err := e.svc.Send(ctx, from, room, body)
	if err != nil {
		e.t.Fatalf("Send(%s, %d, %q): %v", from.Login, room, body, err)
	}
	return m
}

// fill writes n numbered messages into a room, taking turns between the
// writers, and returns their ids in order.
func (e *env) fill(room int64, n int, writers ...directory.Person) []int64 {
	e.t.Helper()
	ids := make([]int64, n)
	for i := range n {
		e.clock.add(time.Minute) // an hour's limit is 100: a minute each keeps every writer well within it
		ids[i] = e.send(writers[i%len(writers)], room, fmt.Sprintf("Nachricht %d", i+1)).ID
	}
	return ids
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

// kindOf is the kind of a chat refusal, 0 for nil or other errors.
func kindOf(err error) Kind {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Kind
	}
	return 0
}

// ids lists the ids of messages.
func ids(list []Message) []int64 {
	out := []int64{}
	for _, m := range list {
		out = append(out, m.ID)
	}
	return out
}
