package pcroom

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
	admin = directory.Actor{Name: "adam.admin", Source: "10.0.0.2", Service: "api"}
	tina  = directory.Actor{Name: "tina.lehmann", Source: "10.0.0.3", Service: "api"}
	start = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
)

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

// env is a school with two pupils and a room "PC-Raum" with a PC-room
// computer PC-01 and PC-02 and the staff computer Lehrer-PC, each
// enrolled with its own code.
type env struct {
	t     testing.TB
	db    *store.DB
	dir   *directory.Directory
	svc   *Service
	clock *clock

	anna, ben directory.Person
	room      Room
	pc1, pc2  Computer
	staffPC   Computer
	keys      map[string]string
}

func newEnv(t testing.TB) *env {
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
	e := &env{t: t, db: db, dir: dir, svc: New(db, dir), clock: c, keys: map[string]string{}}
	e.svc.SetClock(c.now)
	for _, p := range []struct {
		dst         *directory.Person
		first, last string
	}{{&e.anna, "Anna", "Schmidt"}, {&e.ben, "Ben", "Becker"}} {
		*p.dst, _, err = dir.AddPerson(ctx, admin, directory.NewPerson{FirstName: p.first, LastName: p.last, Role: directory.Pupil, Classes: []string{"3a"}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if e.room, err = e.svc.AddRoom(ctx, admin, "PC-Raum", "1. Stock"); err != nil {
		t.Fatal(err)
	}
	e.pc1 = e.enroll("PC-01", ModePCRoom)
	e.pc2 = e.enroll("PC-02", ModePCRoom)
	e.staffPC = e.enroll("Lehrer-PC", ModeStaff)
	return e
}

// code makes one enrollment code.
func (e *env) code(room int64) string {
	e.t.Helper()
	codes, err := e.svc.CreateCodes(ctx, admin, 1, 0, room)
	if err != nil {
		e.t.Fatal(err)
	}
	return codes[0].Plain
}

// enroll enrolls a computer in the env's room with a fresh code.
func (e *env) enroll(name, mode string) Computer {
	e.t.Helper()
	pc, key, err := e.svc.Enroll(ctx, Enrollment{Code: e.code(0), Name: name, Room: e.room.Name, Mode: mode, Source: "10.0.1.1"})
	if err != nil {
		e.t.Fatalf("enroll %s: %v", name, err)
	}
	e.keys[name] = key
	return pc
}

// protocol lists the protocol lines of an action, oldest first.
func (e *env) protocol(action string) []audit.Entry {
	e.t.Helper()
	list, err := audit.List(ctx, e.db, audit.Query{Action: action, Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
		list[i], list[j] = list[j], list[i]
	}
	return list
}

// wantKind fails unless err is a refusal of the kind.
func wantKind(t testing.TB, err error, kind Kind, what string) {
	t.Helper()
	e, ok := AsError(err)
	if !ok || e.Kind != kind {
		t.Errorf("%s: got %v, want a refusal of kind %d", what, err, kind)
	}
	if ok && e.German == "" {
		t.Errorf("%s: refusal without a German message", what)
	}
}

func wantIs(t testing.TB, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("%s: got %v, want %v", what, err, target)
	}
}
