package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/store"
)

func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func countAudit(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.R.QueryRow(`SELECT COUNT(*) FROM audit`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRecordInTx(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	boom := errors.New("the action failed")
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := audit.Record(ctx, tx, audit.Entry{Actor: "cli:root", Action: "user.lock", Target: "anna.mueller", Success: true}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx = %v, want %v", err, boom)
	}
	if n := countAudit(t, db); n != 0 {
		t.Errorf("audit rows after a rolled back action: %d, want 0", n)
	}

	at := time.Date(2026, 9, 1, 7, 59, 0, 0, time.UTC)
	want := audit.Entry{At: at, Actor: "cli:root", Action: "user.lock", Target: "anna.mueller", Success: true,
		Source: "192.0.2.7:4242", Service: "cli", Computer: "PC-03", Detail: "Passwort weitergegeben"}
	err = db.Tx(ctx, func(tx *sql.Tx) error { return audit.Record(ctx, tx, want) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := audit.List(ctx, db, audit.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("List: %d entries, want 1", len(got))
	}
	want.ID = got[0].ID
	if !got[0].At.Equal(want.At) {
		t.Errorf("At = %v, want %v", got[0].At, want.At)
	}
	got[0].At = want.At
	if got[0] != want {
		t.Errorf("List()[0] = %+v, want %+v", got[0], want)
	}
}

func TestRecordSetsTime(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	before := time.Now().Add(-time.Second)
	if err := db.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{Actor: "a", Action: "x"})
	}); err != nil {
		t.Fatal(err)
	}
	got, err := audit.List(ctx, db, audit.Query{})
	if err != nil || len(got) != 1 {
		t.Fatalf("List = %v, %v", got, err)
	}
	if got[0].At.Before(before.Truncate(time.Second)) {
		t.Errorf("At = %v, want the time of recording (after %v)", got[0].At, before)
	}
}

func TestLogAddFlush(t *testing.T) {
	db := openDB(t)
	l := audit.NewLog(db)
	defer l.Close()
	const n = 1500 // more than one batch
	for i := 0; i < n; i++ {
		l.Add(audit.Entry{Actor: fmt.Sprintf("kind%d", i), Action: "login", Target: fmt.Sprintf("kind%d", i), Success: i%2 == 0, Service: "ldap"})
	}
	l.Flush()
	if got := countAudit(t, db); got != n {
		t.Errorf("audit rows after Flush: %d, want %d", got, n)
	}
	var ok int
	db.R.QueryRow(`SELECT COUNT(*) FROM audit WHERE success = 1`).Scan(&ok)
	if ok != n/2 {
		t.Errorf("successful logins: %d, want %d", ok, n/2)
	}
	// Flush with nothing queued returns.
	l.Flush()
}

func TestLogClose(t *testing.T) {
	db := openDB(t)
	l := audit.NewLog(db)
	for i := 0; i < 10; i++ {
		l.Add(audit.Entry{Actor: "x", Action: "login"})
	}
	l.Close()
	if got := countAudit(t, db); got != 10 {
		t.Errorf("audit rows after Close: %d, want 10", got)
	}
	l.Close() // twice is fine
	l.Flush() // after Close returns at once
}

func TestList(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	base := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	entries := []audit.Entry{
		{At: base, Actor: "anna.mueller", Action: "login", Target: "anna.mueller", Success: true},
		{At: base.Add(1 * time.Minute), Actor: "cli:root", Action: "user.lock", Target: "ben.schaefer", Success: true},
		{At: base.Add(2 * time.Minute), Actor: "cli:root", Action: "user.unlock", Target: "ben.schaefer", Success: true},
		{At: base.Add(3 * time.Minute), Actor: "(unknown)", Action: "login", Target: "(unknown)"},
		{At: base.Add(4 * time.Minute), Actor: "cli:root", Action: "users", Target: "x"},
		{At: base.Add(5 * time.Minute), Actor: "Ben.Schaefer", Action: "login", Target: "Ben.Schaefer", Success: true},
		{At: base.Add(6 * time.Minute), Actor: "cli:root", Action: "import", Detail: "7 new"},
	}
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for _, e := range entries {
			if err := audit.Record(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Each entry is named by its minute after base.
	tests := []struct {
		name string
		q    audit.Query
		want []int
	}{
		{"all, newest first", audit.Query{}, []int{6, 5, 4, 3, 2, 1, 0}},
		{"target, any case", audit.Query{Target: "ben.schaefer"}, []int{5, 2, 1}},
		{"action exact", audit.Query{Action: "login"}, []int{5, 3, 0}},
		{"action exact is not a prefix", audit.Query{Action: "user"}, nil},
		{"action prefix", audit.Query{Action: "user."}, []int{2, 1}},
		{"actor", audit.Query{Actor: "CLI:ROOT"}, []int{6, 4, 2, 1}},
		{"since is inclusive", audit.Query{Since: base.Add(5 * time.Minute)}, []int{6, 5}},
		{"until is exclusive", audit.Query{Until: base.Add(2 * time.Minute)}, []int{1, 0}},
		{"since and until", audit.Query{Since: base.Add(time.Minute), Until: base.Add(3 * time.Minute)}, []int{2, 1}},
		{"since in another zone", audit.Query{Since: base.Add(5 * time.Minute).In(time.FixedZone("CEST", 2*3600))}, []int{6, 5}},
		{"limit", audit.Query{Limit: 2}, []int{6, 5}},
		{"limit with filter", audit.Query{Action: "login", Limit: 1}, []int{5}},
		{"combined", audit.Query{Action: "login", Target: "(unknown)"}, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := audit.List(ctx, db, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var minutes []int
			for _, e := range got {
				minutes = append(minutes, int(e.At.Sub(base)/time.Minute))
			}
			if fmt.Sprint(minutes) != fmt.Sprint(tt.want) {
				t.Errorf("List(%+v) = minutes %v, want %v", tt.q, minutes, tt.want)
			}
		})
	}
}

func TestListDefaultLimit(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		for i := 0; i < 250; i++ {
			if err := audit.Record(ctx, tx, audit.Entry{Actor: "x", Action: "login", Detail: fmt.Sprint(i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := audit.List(ctx, db, audit.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 200 {
		t.Errorf("List without limit: %d entries, want 200", len(got))
	}
	if len(got) > 0 && got[0].Detail != "249" {
		t.Errorf("first entry %q, want the newest (249)", got[0].Detail)
	}
}

func TestListInjection(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	db.Tx(ctx, func(tx *sql.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{Actor: "x", Action: "login", Target: "a"})
	})
	got, err := audit.List(ctx, db, audit.Query{Target: "' OR 1=1 --", Action: "%."})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("List with quotes and wildcards found %d entries, want 0", len(got))
	}
}
