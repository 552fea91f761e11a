package mail

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
	"kaspel/server/session"
	"kaspel/server/store"
)

// The tests run the service on a real SQLite file with the real directory
// and blob store, as the server does.

var (
	ctx   = context.Background()
	admin = directory.Actor{Name: "cli:test", Service: "cli"}
	// start is the tests' "now": a school day at 10 o'clock.
	start = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
)

// clock is the shared clock of directory and mail in the tests.
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
// (Clara, teacher Otto), the secretary Sabine and the admins Adam and Alma.
type env struct {
	t     testing.TB
	db    *store.DB
	dir   *directory.Directory
	blobs *blobs.Store
	svc   *Service
	clock *clock

	anna, ben, clara, tina, otto, sabine, adam, alma directory.Person
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
	e := &env{t: t, db: db, dir: dir, blobs: bl, svc: svc, clock: c}
	e.anna = e.add("Anna", "Schmidt", directory.Pupil, "3a")
	e.ben = e.add("Ben", "Becker", directory.Pupil, "3a")
	e.clara = e.add("Clara", "Roth", directory.Pupil, "4b")
	e.tina = e.add("Tina", "Lehmann", directory.Teacher, "3a")
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

// send sends a message that must go through.
func (e *env) send(from directory.Person, d Draft) Message {
	e.t.Helper()
	m, err := e.svc.Send(ctx, from, d)
	if err != nil {
		e.t.Fatalf("Send from %s to %v: %v", from.Login, d.To, err)
	}
	return m
}

// inbox lists the ids in a person's folder, newest first.
func (e *env) folder(p directory.Person, f Folder) []int64 {
	e.t.Helper()
	pg, err := e.svc.Page(ctx, p.ID, f, 0, MaxPage)
	if err != nil {
		e.t.Fatalf("Page(%s, %s): %v", p.Login, f, err)
	}
	ids := []int64{}
	for _, m := range pg.Messages {
		ids = append(ids, m.ID)
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

// blobFiles counts the files in the blob store (not the tmp folder's).
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

// kindOf is the kind of a mail refusal, 0 for nil or other errors.
func kindOf(err error) Kind {
	var me *Error
	if errors.As(err, &me) {
		return me.Kind
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
