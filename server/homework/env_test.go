package homework

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/files"
	"kaspel/server/session"
	"kaspel/server/store"
)

// The tests run the service on a real SQLite file with the real directory
// and blob store, as the server does.

var (
	ctx   = context.Background()
	admin = directory.Actor{Name: "cli:test", Service: "cli"}
	// start is the tests' "now": Monday, 30 November 2026, 10 o'clock in
	// Berlin.
	start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
)

// clock is the shared clock of directory and homework in the tests.
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
// class 4b (Clara, teacher Otto), the secretary Sabine and the admin Adam.
type env struct {
	t     testing.TB
	db    *store.DB
	dir   *directory.Directory
	blobs *blobs.Store
	svc   *Service
	files *files.Service
	clock *clock

	anna, ben, clara, tina, mia, otto, sabine, adam directory.Person
}

func newEnv(t testing.TB, configure ...func(*Config)) *env {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations, session.Migrations, Migrations,
		files.Migrations)
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
	bl, err := blobs.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig
	for _, f := range configure {
		f(&cfg)
	}
	svc, err := New(db, dir, bl, cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc.SetClock(c.now)
	// The files module ("Meine Dateien"), connected as the API does.
	fs, err := files.New(db, dir, bl, files.DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	fs.SetClock(c.now)
	svc.SetFiles(fs)
	e := &env{t: t, db: db, dir: dir, blobs: bl, svc: svc, files: fs, clock: c}
	e.anna = e.add("Anna", "Schmidt", directory.Pupil, "3a")
	e.ben = e.add("Ben", "Becker", directory.Pupil, "3a")
	e.clara = e.add("Clara", "Roth", directory.Pupil, "4b")
	e.tina = e.add("Tina", "Lehmann", directory.Teacher, "3a")
	e.mia = e.add("Mia", "Maurer", directory.Teacher, "3a")
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

// days moves the clock on by whole days.
func (e *env) days(n int) { e.clock.add(time.Duration(n) * 24 * time.Hour) }

// set sets a homework that must be accepted.
func (e *env) set(by directory.Person, in Input) Homework {
	e.t.Helper()
	h, err := e.svc.Create(ctx, by, in)
	if err != nil {
		e.t.Fatalf("Create by %s: %v", by.Login, err)
	}
	return h
}

// maths is a homework for 3a from today (Monday) to Wednesday.
func maths() Input {
	return Input{Group: "3a", Title: "Mathe: Seite 12", Text: "Nummer 1 bis 4", Start: "2026-11-30", Due: "2026-12-02"}
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

// blobFiles counts the files in the blob store.
func (e *env) blobFiles() int {
	e.t.Helper()
	n := 0
	err := filepath.WalkDir(e.blobs.Dir(), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			n++
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// kindOf is the kind of a homework refusal, 0 for nil or other errors.
func kindOf(err error) Kind {
	var he *Error
	if errors.As(err, &he) {
		return he.Kind
	}
	return 0
}

// pattern yields n bytes of a repeating pattern without holding them.
type pattern struct{ n, off int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	if int64(len(b)) > p.n-p.off {
		b = b[:p.n-p.off]
	}
	for i := range b {
		b[i] = byte((p.off + int64(i)) % 251)
	}
	p.off += int64(len(b))
	return len(b), nil
}

func bytesOf(n int64) io.Reader { return &pattern{n: n} }
