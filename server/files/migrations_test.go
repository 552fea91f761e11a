package files

import (
	"path/filepath"
	"strings"
	"testing"

	"kaspel/server/audit"
	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

// A school that ran Kaspel before the files module was built gets its tables at
// the next start, beside the people and classes it has; opening again
// applies nothing twice.
func TestMigrationOntoExistingSchool(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaspel.db")
	hash := directory.Config{Hash: directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}}
	db, err := store.Open(path, audit.Migrations, directory.Migrations, session.Migrations)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.New(db, hash, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.InitSchool(ctx, admin, directory.School{Name: "Grundschule", Domain: "gs.de"}); err != nil {
		t.Fatal(err)
	}
	p, _, err := dir.AddPerson(ctx, admin, directory.NewPerson{FirstName: "Tina", LastName: "Lehmann", Role: directory.Teacher, Classes: []string{"3a"}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	for range 2 {
		db, err = store.Open(path, audit.Migrations, directory.Migrations, session.Migrations, Migrations)
		if err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		if dir, err = directory.New(db, hash, nil); err != nil {
			t.Fatal(err)
		}
		bl, err := blobs.Open(filepath.Join(filepath.Dir(path), "blobs"))
		if err != nil {
			t.Fatal(err)
		}
		svc, err := New(db, dir, bl, DefaultConfig)
		if err != nil {
			t.Fatal(err)
		}
		class := classFolderOf(t, svc, p)
		if _, err := svc.Upload(ctx, p, class, "Blatt.txt", 4, strings.NewReader("Text")); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
}

// classFolderOf is the class folder of 3a as the teacher sees it.
func classFolderOf(t *testing.T, svc *Service, p directory.Person) int64 {
	t.Helper()
	list, err := svc.Roots(ctx, p)
	if err != nil {
		t.Fatalf("roots after the upgrade: %v", err)
	}
	for _, f := range list {
		if f.Kind == Group && f.Name == "Klasse 3a" && f.MayUpload {
			return f.ID
		}
	}
	t.Fatalf("no writable folder of 3a in %+v", list)
	return 0
}
