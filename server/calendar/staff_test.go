package calendar_test

import (
	"testing"

	"kaspel/server/calendar"
	"kaspel/server/directory"
)

// The staff room's calendar: every teacher reads and writes it (a class
// teacher and one without a class alike), admins do with "all"; pupils
// and the secretary neither see nor reach it.
func TestStaffRoomCalendar(t *testing.T) {
	e := newEnv(t)
	staff := e.calendarOf(e.teacher, "lehrer")
	if got := e.calendarOf(e.writer, "lehrer"); got != staff {
		t.Fatalf("two teachers see two staff calendars: %d, %d", staff, got)
	}
	conf := e.create(e.teacher, staff, calendar.Input{Title: "Gesamtkonferenz", Start: "2026-09-09T14:00", End: "2026-09-09T16:00"})
	title := "Gesamtkonferenz (Aula)"
	if _, err := e.cal.Update(ctx, e.teacher4b, conf.ID, calendar.Change{Input: calendar.Input{Title: title, Start: "2026-09-09T14:00", End: "2026-09-09T16:00"}}); err != nil {
		t.Errorf("another teacher changing it: %v", err)
	}
	if got := e.calendarOf(e.admin, "lehrer"); got != staff {
		t.Errorf("the admin's (all) staff calendar: %d, want %d", got, staff)
	}
	for _, p := range []directory.Person{e.pupil, e.secretary} {
		list, err := e.cal.Calendars(ctx, p, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if c.ID == staff {
				t.Errorf("%s lists the staff calendar", p.Login)
			}
		}
		if _, err := e.cal.Event(ctx, p, conf.ID); outcome(err) != "not found" {
			t.Errorf("%s reading the conference: %s", p.Login, outcome(err))
		}
		if _, err := e.cal.Create(ctx, p, staff, lesson("Streich")); outcome(err) != "not found" {
			t.Errorf("%s writing into it: %s", p.Login, outcome(err))
		}
		res, err := e.cal.Occurrences(ctx, p, calendar.Range{From: "2026-09-01", To: "2026-10-01"})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range res.List {
			if o.Event.ID == conf.ID {
				t.Errorf("%s sees the conference in the month", p.Login)
			}
		}
	}
	res, err := e.cal.Occurrences(ctx, e.writer, calendar.Range{From: "2026-09-01", To: "2026-10-01"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, o := range res.List {
		found = found || o.Event.ID == conf.ID && o.Event.Title == title
	}
	if !found {
		t.Error("a teacher's month does not show the conference")
	}
}
