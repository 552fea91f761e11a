package lending

import (
	"path/filepath"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/mail"
	"kaspel/server/session"
	"kaspel/server/store"
)

// A school that ran Kaspel before the lending was built gets its tables
// at the next start, beside the people and classes it has; opening again
// applies nothing twice. Purging a pupil keeps the loans and payments
// (the school's records) and drops the registration (the family's data).
func TestMigrationOntoExistingSchool(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaspel.db")
	hash := directory.Config{Hash: directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}}
	db, err := store.Open(path, audit.Migrations, directory.Migrations, session.Migrations, mail.Migrations)
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
	anna, _, err := dir.AddPerson(ctx, admin, directory.NewPerson{FirstName: "Anna", LastName: "Schmidt", Role: directory.Pupil, Classes: []string{"3a"}})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = store.Open(path, audit.Migrations, directory.Migrations, session.Migrations, mail.Migrations, Migrations)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	if v, err := db.Version(ctx, "lending"); err != nil || v != 3 {
		t.Errorf("lending schema version: got %d, %v", v, err)
	}
	if dir, err = directory.New(db, hash, nil); err != nil {
		t.Fatal(err)
	}
	dir.SetClock(func() time.Time { return start })
	svc, err := New(db, dir, mail.NewNotices(dir), DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	svc.SetClock(func() time.Time { return start })
	e := &env{t: t, db: db, dir: dir, svc: svc, clock: &clock{t: start}}
	e.kai = e.add("Kai", "Koordinator", directory.Admin)
	e.sabine = e.add("Sabine", "Sekretär", directory.Secretary)
	e.year = e.createYear(testYear())
	maths := e.title(TitleInput{ISBN: isbn("978312345678"), Title: "Mathe 4", Price: 2495, YearsOfUse: 1})
	if _, err := svc.PutList(ctx, e.kai, e.year.ID, 4, []int64{maths.ID}, true); err != nil {
		t.Fatal(err)
	}
	e.register(anna, RegistrationInput{Package: true})
	e.pay(anna, 873)
	code := e.copies(maths, 1)[0]
	e.scan(e.sabine, ScanRequest{Code: code, Pupil: anna.Login})

	if err := dir.SetLeaving(ctx, admin, anna.Login, "2026-01-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := dir.Purge(ctx, admin, directory.PurgeOptions{}); err != nil {
		t.Fatalf("purge with lending records: %v", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM people WHERE login = ?`, anna.Login); n != 0 {
		t.Fatalf("Anna not purged")
	}
	for _, c := range []struct {
		query string
		want  int
	}{
		{`SELECT COUNT(*) FROM lending_loans WHERE person_id IS NULL AND pupil_name = 'Anna Schmidt'`, 1},
		{`SELECT COUNT(*) FROM lending_payments`, 1},
		{`SELECT COUNT(*) FROM lending_accounts WHERE person_id IS NULL`, 1},
		{`SELECT COUNT(*) FROM lending_registrations`, 0},
	} {
		if n := e.count(c.query); n != c.want {
			t.Errorf("%s: got %d, want %d", c.query, n, c.want)
		}
	}
	c, err := svc.GetCopy(ctx, e.sabine, code)
	if err != nil || len(c.History) != 1 || c.History[0].PupilName != "Anna Schmidt" || c.History[0].PersonID != 0 {
		t.Errorf("the copy's history after the purge: %+v, %v", c.History, err)
	}
	db.Close()
	db2, err := store.Open(path, audit.Migrations, directory.Migrations, session.Migrations, mail.Migrations, Migrations)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	db2.Close()
}
