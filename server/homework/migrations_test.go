package homework

import (
	"path/filepath"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

// A school that ran Kaspel before homework was built gets its tables at
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
	tina, _, err := dir.AddPerson(ctx, admin, directory.NewPerson{FirstName: "Tina", LastName: "Lehmann", Role: directory.Teacher, Classes: []string{"3a"}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = store.Open(path, audit.Migrations, directory.Migrations, session.Migrations, Migrations)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if dir, err = directory.New(db, hash, nil); err != nil {
		t.Fatal(err)
	}
	bl, err := blobs.Open(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(db, dir, bl, DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	svc.SetClock(func() time.Time { return start })
	if _, err := svc.Create(ctx, tina, maths()); err != nil {
		t.Fatalf("homework for a class of the old school: %v", err)
	}
	db.Close()
	db2, err := store.Open(path, audit.Migrations, directory.Migrations, session.Migrations, Migrations)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	var n int
	if err := db2.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM homework`).Scan(&n); err != nil || n != 1 {
		t.Errorf("after reopening: got %d homework, %v; want 1", n, err)
	}
	db2.Close()
}
