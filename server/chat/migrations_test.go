package chat

import (
	"path/filepath"
	"testing"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

// A school that ran Kaspel before the chat was built gets its tables at
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
		svc, err := New(db, dir, DefaultConfig)
		if err != nil {
			t.Fatal(err)
		}
		rooms, err := svc.Rooms(ctx, p)
		if err != nil || len(rooms) != 1 || rooms[0].Title != "Klasse 3a" {
			t.Fatalf("rooms after the upgrade: %+v, %v", rooms, err)
		}
		if _, err := svc.Send(ctx, p, rooms[0].ID, "Hallo"); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
}
