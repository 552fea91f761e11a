package directory_test

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// migrationsUpTo is the directory's migration set as a program knew it
// that had only the first n migrations.
func migrationsUpTo(t *testing.T, n int) store.Migrations {
	t.Helper()
	entries, err := fs.ReadDir(directory.Migrations.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	for _, e := range entries {
		var v int
		fmt.Sscanf(e.Name(), "%d-", &v)
		if v >= 1 && v <= n {
			data, err := fs.ReadFile(directory.Migrations.FS, e.Name())
			if err != nil {
				t.Fatal(err)
			}
			m[e.Name()] = &fstest.MapFile{Data: data}
		}
	}
	if len(m) != n {
		t.Fatalf("%d migrations up to %d, want %d", len(m), n, n)
	}
	return store.Migrations{Component: directory.Migrations.Component, FS: m}
}

// dump returns every row of a table, in order, as text.
func dump(t *testing.T, db *store.DB, table, order string) string {
	t.Helper()
	rows, err := db.R.Query(`SELECT * FROM ` + table + ` ORDER BY ` + order)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	return b.String()
}

// TestUpgradeFrom001 fills a database of the first schema version and
// opens it with the current program: every row stays, and ids are not
// given twice any more.
func TestUpgradeFrom001(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kaspel.db")
	db, err := store.Open(path, audit.Migrations, migrationsUpTo(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	d, err := directory.New(db, directory.Config{Hash: fastHash}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.SetClock((&clock{t: start}).now)
	if err := d.InitSchool(ctx, admin, directory.School{Name: "GS", Domain: "gsborsum.de"}); err != nil {
		t.Fatal(err)
	}
	for _, np := range []directory.NewPerson{
		{FirstName: "Anna", LastName: "Müller", Role: directory.Pupil, Classes: []string{"1a"}, ExternalID: "1001"},
		{FirstName: "Ben", LastName: "Schäfer", Role: directory.Pupil, Classes: []string{"2b"}},
		{FirstName: "Carl", LastName: "Berg", Role: directory.Teacher, Classes: []string{"1a", "2b"}},
	} {
		if _, _, err := d.AddPerson(ctx, admin, np); err != nil {
			t.Fatal(err)
		}
	}
	steps := []error{
		d.RecordConsent(ctx, admin, "anna.mueller", "Maria Müller", "2026-08-01"),
		d.SetRight(ctx, admin, "carl.berg", directory.RightProtocol, true),
		d.Lock(ctx, admin, "ben.schaefer", "Test"),
		d.SetLeaving(ctx, admin, "anna.mueller", "2027-07-31"),
	}
	for _, err := range steps {
		if err != nil {
			t.Fatal(err)
		}
	}
	tables := map[string]string{"people": "id", "memberships": "group_id, person_id", "consents": "id", "rights": "person_id", "groups": "id"}
	before := map[string]string{}
	for table, order := range tables {
		before[table] = dump(t, db, table, order)
	}
	db.Close()

	db, err = store.Open(path, audit.Migrations, directory.Migrations)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	if v, _ := db.Version(ctx, "directory"); v < 2 {
		t.Errorf("directory version after upgrade = %d, want at least 2", v)
	}
	for table, order := range tables {
		if got := dump(t, db, table, order); got != before[table] {
			t.Errorf("%s after upgrade:\n%s\nwant:\n%s", table, got, before[table])
		}
	}
	for _, idx := range []string{"people_role", "people_leaving", "people_names"} {
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ? AND tbl_name = 'people'`, idx).Scan(&n)
		if n != 1 {
			t.Errorf("index %s after upgrade: %d, want 1", idx, n)
		}
	}

	// The directory works on the upgraded database, and the newest id is
	// not given again after its person is gone.
	d, err = directory.New(db, directory.Config{Hash: fastHash}, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := d.AddPerson(ctx, admin, directory.NewPerson{FirstName: "Dora", LastName: "Klein", Role: directory.Pupil, Classes: []string{"1a"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec(`DELETE FROM people WHERE id = ?`, p.ID); err != nil {
		t.Fatal(err)
	}
	q, _, err := d.AddPerson(ctx, admin, directory.NewPerson{FirstName: "Emil", LastName: "Roth", Role: directory.Pupil})
	if err != nil {
		t.Fatal(err)
	}
	if q.ID <= p.ID {
		t.Errorf("id after deleting the newest person (%d) = %d, want a new one", p.ID, q.ID)
	}
	var fk int
	db.R.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_list('memberships') WHERE "table" = 'people'`).Scan(&fk)
	if fk != 1 {
		t.Errorf("memberships refers to people %d times, want 1", fk)
	}
}

// TestUpgradeRights: the rights table of version 2 (with its CHECK on the
// names) becomes open for new rights, and its rows stay.
func TestUpgradeRights(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kaspel.db")
	db, err := store.Open(path, audit.Migrations, migrationsUpTo(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	d, err := directory.New(db, directory.Config{Hash: fastHash}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.InitSchool(ctx, admin, directory.School{Name: "GS", Domain: "gsborsum.de"}); err != nil {
		t.Fatal(err)
	}
	p, _, err := d.AddPerson(ctx, admin, directory.NewPerson{FirstName: "Carl", LastName: "Berg", Role: directory.Teacher})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SetRight(ctx, admin, p.Login, directory.RightProtocol, true); err != nil {
		t.Fatal(err)
	}
	// version 2 refuses the calendar right in the database itself
	if _, err := db.W.Exec(`INSERT INTO rights (person_id, name, granted_by, granted_at) VALUES (?, 'calendar', 'x', 'x')`, p.ID); err == nil {
		t.Fatal("version 2 accepted a calendar right; the test does not test the upgrade")
	}
	db.Close()

	db, err = store.Open(path, audit.Migrations, directory.Migrations)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	d, err = directory.New(db, directory.Config{Hash: fastHash}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.SetRight(ctx, admin, p.Login, directory.RightCalendar, true); err != nil {
		t.Fatalf("grant calendar after the upgrade: %v", err)
	}
	rights, err := d.Rights(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rights, ",") != "calendar,protocol" {
		t.Errorf("rights = %v, want [calendar protocol]", rights)
	}
	if err := d.SetRight(ctx, admin, p.Login, "nonsense", true); err == nil {
		t.Error("an unknown right was granted")
	}
}
