package calendar_test

import (
	"path/filepath"
	"testing"

	"kaspel/server/audit"
	"kaspel/server/calendar"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

// A school that ran Kaspel before the calendar was built gets its tables
// at the next start, beside the people and classes it has.
func TestMigrationOntoExistingSchool(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaspel.db")
	db, err := store.Open(path, audit.Migrations, directory.Migrations, session.Migrations)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := directory.New(db, directory.Config{Hash: directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}}, nil)
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

	db, err = store.Open(path, audit.Migrations, directory.Migrations, session.Migrations, calendar.Migrations)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	if dir, err = directory.New(db, directory.Config{Hash: directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}}, nil); err != nil {
		t.Fatal(err)
	}
	cal := calendar.New(db, dir)
	list, err := cal.Calendars(ctx, p, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 4 || list[1].Name != "Klasse 3a" || !list[1].Writable || list[2].Name != calendar.StaffCalendarName {
		t.Fatalf("got %+v, want school, 3a (writable), the staff room's and personal calendars", list)
	}
	if _, err := cal.Create(ctx, p, list[1].ID, lesson("Sport")); err != nil {
		t.Fatal(err)
	}
	// Opening again applies nothing twice.
	db.Close()
	db2, err := store.Open(path, audit.Migrations, directory.Migrations, session.Migrations, calendar.Migrations)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	db2.Close()
}
