package files

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"kaspel/server/audit"
	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

// The tests run the service on a real SQLite file with the real
// directory and blob store, as the server does.

var (
	ctx   = context.Background()
	admin = directory.Actor{Name: "cli:test", Service: "cli"}
)

// env is a small school: class 3a (Anna, Ben, teacher Tina), class 4b
// (Clara, teacher Otto), the secretary Sabine and the admin Adam.
type env struct {
	t     testing.TB
	db    *store.DB
	dir   *directory.Directory
	blobs *blobs.Store
	svc   *Service

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
	e := &env{t: t, db: db, dir: dir, blobs: bl, svc: svc}
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

// root returns the id of one of the person's top folders: kind and, for
// group and drop folders, the group.
func (e *env) root(p directory.Person, kind Kind, group string) int64 {
	e.t.Helper()
	list, err := e.svc.Roots(ctx, p)
	if err != nil {
		e.t.Fatalf("Roots(%s): %v", p.Login, err)
	}
	for _, f := range list {
		if f.Kind == kind && f.Group == group {
			return f.ID
		}
	}
	e.t.Fatalf("%s has no %s folder %q in %+v", p.Login, kind, group, list)
	return 0
}

// home is the person's own folder.
func (e *env) home(p directory.Person) int64 { return e.root(p, Personal, "") }

// upload stores a small file that must go through.
func (e *env) upload(p directory.Person, folder int64, name, content string) File {
	e.t.Helper()
	f, err := e.svc.Upload(ctx, p, folder, name, int64(len(content)), strings.NewReader(content))
	if err != nil {
		e.t.Fatalf("Upload(%s, %d, %q): %v", p.Login, folder, name, err)
	}
	return f
}

// names lists the names of files.
func names(list []File) []string {
	out := []string{}
	for _, f := range list {
		out = append(out, f.Name)
	}
	return out
}

// kindOf is the kind of a files refusal, 0 for nil or other errors.
func kindOf(err error) ErrorKind {
	var fe *Error
	if errors.As(err, &fe) {
		return fe.Kind
	}
	return 0
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
	filepath.WalkDir(e.blobs.Dir(), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// filler yields n bytes of 'x' without holding them.
type filler struct{ n int64 }

func (f *filler) Read(b []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(b)) > f.n {
		b = b[:f.n]
	}
	for i := range b {
		b[i] = 'x'
	}
	f.n -= int64(len(b))
	return len(b), nil
}

// untouchable fails the test when read: what must be refused before a
// byte is read.
type untouchable struct{ t testing.TB }

func (u untouchable) Read([]byte) (int, error) {
	u.t.Error("the content was read, want it refused before")
	return 0, io.EOF
}
