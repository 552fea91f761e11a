package demo_test

import (
	"context"
	"testing"
	"time"

	"kaspel/server/demo"
	"kaspel/server/directory"
	"kaspel/server/lending"
	"kaspel/server/mail"
	"kaspel/server/testrig"
)

// The demo's lending is a school in November: most pupils registered and
// paid with their books out, some left for the kiosk.
func TestDemoLending(t *testing.T) {
	ctx := context.Background()
	rig := testrig.New(t, testrig.Options{})
	actor := directory.Actor{Name: "cli:test", Service: "cli"}
	if _, err := demo.Create(ctx, rig.Dir, actor); err != nil {
		t.Fatal(err)
	}
	admin, err := rig.Dir.Person(ctx, rig.AddPerson("Kai", "Koordinator", directory.Admin, "Geheim-Passwort-1"))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := lending.New(rig.DB, rig.Dir, mail.NewNotices(rig.Dir), lending.DefaultConfig)
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 11, 27, 9, 0, 0, 0, time.Local)
	svc.SetClock(func() time.Time { return today })
	sum, err := demo.Lending(ctx, svc, rig.Dir, admin, actor, today)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Year.Name != "2026/27" || sum.Year.Start != "2026-08-06" {
		t.Errorf("year %s from %s, want 2026/27 from 2026-08-06", sum.Year.Name, sum.Year.Start)
	}
	pupils, err := rig.Dir.List(ctx, directory.ListQuery{Role: directory.Pupil})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Registered == 0 || sum.Registered >= len(pupils) || sum.Paid == 0 || sum.Paid >= sum.Registered {
		t.Errorf("%d pupils, %d registered, %d paid: want some of each left", len(pupils), sum.Registered, sum.Paid)
	}
	// Every paid pupil got the books of the grade's list; a 3rd grader's
	// panel shows the year's list of grade 3, all of it lent.
	var lent, unregistered bool
	for _, p := range pupils {
		panel, err := svc.PupilPanel(ctx, admin, p.Login, sum.Year.ID)
		if err != nil {
			t.Fatal(err)
		}
		if panel.Registration == nil {
			unregistered = true
			continue
		}
		if p.Classes[0][0] == '3' && len(panel.Loans) == len(sum.ByGrade[3]) && len(panel.Missing) == 0 {
			lent = true
		}
	}
	if !lent || !unregistered {
		t.Errorf("a 3rd grader with all books lent: %v; an unregistered pupil: %v", lent, unregistered)
	}
	if sum.Issued == 0 || len(sum.ByGrade[3]) != 4 {
		t.Errorf("%d books lent; grade 3 lends %d titles, want 4", sum.Issued, len(sum.ByGrade[3]))
	}
}
