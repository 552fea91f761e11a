package pcroom

import (
	"path/filepath"
	"testing"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

// The PC room's first schema comes to schools whose database the server
// made before it had a PC room: it is added beside the existing tables,
// and the people stay. Opening again applies nothing twice.
func TestUpgradeFromServerWithoutPCRoom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaspel.db")
	before := []store.Migrations{audit.Migrations, directory.Migrations, session.Migrations}
	db, err := store.Open(path, before...)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.New(db, testDirConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.InitSchool(ctx, admin, directory.School{Name: "Grundschule", Domain: "gs.de"}); err != nil {
		t.Fatal(err)
	}
	anna, _, err := dir.AddPerson(ctx, admin, directory.NewPerson{FirstName: "Anna", LastName: "Schmidt", Role: directory.Pupil, Classes: []string{"3a"}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	for range 2 {
		db, err = store.Open(path, append(before, Migrations)...)
		if err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		if v, err := db.Version(ctx, "pcroom"); err != nil || v != 1 {
			t.Errorf("pcroom schema version %d, %v, want 1", v, err)
		}
		dir, err = directory.New(db, testDirConfig(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if p, err := dir.Person(ctx, anna.Login); err != nil || p.ID != anna.ID {
			t.Errorf("Anna after the upgrade: %+v, %v", p, err)
		}
		svc := New(db, dir)
		if _, err := svc.Rooms(ctx); err != nil {
			t.Errorf("rooms after the upgrade: %v", err)
		}
		db.Close()
	}
}

func testDirConfig() directory.Config {
	c := directory.DefaultConfig
	c.Hash = directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}
	return c
}
