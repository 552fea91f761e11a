package calendar_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/server/audit"
	"kaspel/server/calendar"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

var ctx = context.Background()

var admin = directory.Actor{Name: "cli:root", Service: "cli"}

// env is the calendar over a real database with a small school: classes
// 3a and 4b with a teacher and a pupil each, a secretary, an admin, a
// teacher holding the calendar right, and a group "chor" with the 3a
// teacher and the 4b pupil.
type env struct {
	t   testing.TB
	db  *store.DB
	dir *directory.Directory
	cal *calendar.Service

	pupil, pupil4b, teacher, teacher4b, secretary, admin, writer directory.Person
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations, session.Migrations, calendar.Migrations)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := directory.DefaultConfig
	cfg.Hash = directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}
	dir, err := directory.New(db, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.InitSchool(ctx, admin, directory.School{Name: "Grundschule Borsumer Kaspel", Domain: "gsborsum.de"}); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, dir: dir, cal: calendar.New(db, dir)}
	e.pupil = e.person("Anna", "Schmidt", directory.Pupil, "3a")
	e.pupil4b = e.person("Clara", "Roth", directory.Pupil, "4b")
	e.teacher = e.person("Tina", "Lehmann", directory.Teacher, "3a")
	e.teacher4b = e.person("Otto", "Weber", directory.Teacher, "4b")
	e.secretary = e.person("Sabine", "Sekretär", directory.Secretary)
	e.admin = e.person("Adam", "Admin", directory.Admin)
	e.writer = e.person("Paula", "Plan", directory.Teacher)
	if err := dir.SetRight(ctx, admin, e.writer.Login, directory.RightCalendar, true); err != nil {
		t.Fatal(err)
	}
	// The directory has no call that makes a group other than a class
	// yet; make the choir as one will.
	if _, err := db.W.ExecContext(ctx, `INSERT INTO groups (name, kind, gid_number, description, created_at)
		VALUES ('chor', 'group', 29999, '', '2026-08-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.ExecContext(ctx, `INSERT INTO memberships (group_id, person_id)
		SELECT g.id, p.id FROM groups g, people p WHERE g.name = 'chor' AND p.login IN (?, ?)`, e.teacher.Login, e.pupil4b.Login); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) person(first, last string, role directory.Role, classes ...string) directory.Person {
	e.t.Helper()
	p, _, err := e.dir.AddPerson(ctx, admin, directory.NewPerson{FirstName: first, LastName: last, Role: role, Classes: classes})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

// calendarOf returns the id of a calendar in p's list: "public",
// "personal" or a group's name.
func (e *env) calendarOf(p directory.Person, which string) int64 {
	e.t.Helper()
	list, err := e.cal.Calendars(ctx, p, p.Role == directory.Admin)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range list {
		if string(c.Kind) == which || c.GroupName == which {
			return c.ID
		}
	}
	e.t.Fatalf("%s has no calendar %q", p.Login, which)
	return 0
}

func (e *env) create(p directory.Person, cal int64, in calendar.Input) calendar.Event {
	e.t.Helper()
	ev, err := e.cal.Create(ctx, p, cal, in)
	if err != nil {
		e.t.Fatalf("create %q as %s: %v", in.Title, p.Login, err)
	}
	return ev
}

func lesson(title string) calendar.Input {
	return calendar.Input{Title: title, Start: "2026-09-07T08:00", End: "2026-09-07T08:45"}
}

// outcome names what happened: "ok", "forbidden", "not found", or the error.
func outcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, calendar.ErrForbidden):
		return "forbidden"
	case calendar.IsNotFound(err):
		return "not found"
	}
	return err.Error()
}

func TestCalendarsListed(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		who  directory.Person
		all  bool
		want string // name:writable, in order
	}{
		{"pupil", e.pupil, false, "Schulkalender:false Klasse 3a:false Mein Kalender:true"},
		{"pupil in a group", e.pupil4b, false, "Schulkalender:false Klasse 4b:false chor:false Mein Kalender:true"},
		{"class teacher", e.teacher, false, "Schulkalender:false Klasse 3a:true chor:true Lehrerzimmer:true Mein Kalender:true"},
		{"secretary", e.secretary, false, "Schulkalender:false Mein Kalender:true"},
		{"calendar right", e.writer, false, "Schulkalender:true Lehrerzimmer:true Mein Kalender:true"},
		{"admin", e.admin, false, "Schulkalender:true Mein Kalender:true"},
		{"admin, all", e.admin, true, "Schulkalender:true Klasse 3a:true Klasse 4b:true chor:true Lehrerzimmer:true Mein Kalender:true"},
		{"pupil asking for all", e.pupil, true, "Schulkalender:false Klasse 3a:false Mein Kalender:true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := e.cal.Calendars(ctx, tt.who, tt.all)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range list {
				got = append(got, c.Name+":"+map[bool]string{true: "true", false: "false"}[c.Writable])
				if !strings.HasPrefix(c.Colour, "#") || len(c.Colour) != 7 {
					t.Errorf("%s: got colour %q, want #RRGGBB", c.Name, c.Colour)
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got %v, want %v", g, tt.want)
			}
		})
	}
	// The same calendars every time: created once.
	a, b := e.calendarOf(e.pupil, "3a"), e.calendarOf(e.teacher, "3a")
	if a != b {
		t.Errorf("got class calendar %d for the pupil and %d for the teacher, want the same", a, b)
	}
	if p, q := e.calendarOf(e.pupil, "personal"), e.calendarOf(e.teacher, "personal"); p == q {
		t.Errorf("got personal calendar %d for both, want one each", p)
	}
}

func TestWhoMayWrite(t *testing.T) {
	e := newEnv(t)
	public := e.calendarOf(e.admin, "public")
	class3a := e.calendarOf(e.admin, "3a")
	class4b := e.calendarOf(e.admin, "4b")
	chor := e.calendarOf(e.admin, "chor")
	teachersOwn := e.calendarOf(e.teacher, "personal")
	pupilsOwn := e.calendarOf(e.pupil, "personal")
	tests := []struct {
		who  string
		p    directory.Person
		cal  int64
		want string
	}{
		{"pupil / public", e.pupil, public, "forbidden"},
		{"pupil / own class", e.pupil, class3a, "forbidden"},
		{"pupil / other class", e.pupil, class4b, "not found"},
		{"pupil / own personal", e.pupil, pupilsOwn, "ok"},
		{"pupil / teacher's personal", e.pupil, teachersOwn, "not found"},
		{"pupil in group / group", e.pupil4b, chor, "forbidden"},
		{"class teacher / own class", e.teacher, class3a, "ok"},
		{"class teacher / other class", e.teacher, class4b, "not found"},
		{"class teacher / group", e.teacher, chor, "ok"},
		{"class teacher / public", e.teacher, public, "forbidden"},
		{"other teacher / 3a", e.teacher4b, class3a, "not found"},
		{"secretary / public", e.secretary, public, "forbidden"},
		{"secretary / class", e.secretary, class3a, "not found"},
		{"calendar right / public", e.writer, public, "ok"},
		{"calendar right / class", e.writer, class3a, "not found"},
		{"admin / public", e.admin, public, "ok"},
		{"admin / class", e.admin, class4b, "ok"},
		{"admin / teacher's personal", e.admin, teachersOwn, "not found"},
		{"admin / no such calendar", e.admin, 999999, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.who, func(t *testing.T) {
			_, err := e.cal.Create(ctx, tt.p, tt.cal, lesson("Probe"))
			if got := outcome(err); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if errors.Is(err, calendar.ErrForbidden) {
				var ce *calendar.Error
				if !errors.As(err, &ce) || ce.German == "" {
					t.Errorf("got %v, want a German message", err)
				}
			}
		})
	}
}

func TestEventsOnlyForReaders(t *testing.T) {
	e := newEnv(t)
	class := e.create(e.teacher, e.calendarOf(e.teacher, "3a"), lesson("Sport"))
	private := e.create(e.teacher, e.calendarOf(e.teacher, "personal"), lesson("Zahnarzt"))
	public := e.create(e.writer, e.calendarOf(e.writer, "public"), calendar.Input{Title: "Sommerfest", AllDay: true, Start: "2026-09-07", End: "2026-09-07"})
	tests := []struct {
		name string
		p    directory.Person
		ev   calendar.Event
		want string // outcome of reading, then of changing and deleting
	}{
		{"pupil reads class event", e.pupil, class, "ok forbidden forbidden"},
		{"teacher of 4b", e.teacher4b, class, "not found not found not found"},
		{"owner reads private", e.teacher, private, "ok ok ok"},
		{"admin and private", e.admin, private, "not found not found not found"},
		{"pupil and private", e.pupil, private, "not found not found not found"},
		{"secretary reads public", e.secretary, public, "ok forbidden forbidden"},
		{"pupil reads public", e.pupil, public, "ok forbidden forbidden"},
		{"admin changes public", e.admin, public, "ok ok ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, rerr := e.cal.Event(ctx, tt.p, tt.ev.ID)
			in := calendar.Input{Title: tt.ev.Title + "!", AllDay: tt.ev.AllDay,
				Start: calendar.FormatWall(tt.ev.Start, tt.ev.AllDay), End: calendar.FormatWall(tt.ev.End, tt.ev.AllDay)}
			_, uerr := e.cal.Update(ctx, tt.p, tt.ev.ID, calendar.Change{Input: in})
			derr := e.cal.Delete(ctx, tt.p, tt.ev.ID)
			if got := outcome(rerr) + " " + outcome(uerr) + " " + outcome(derr); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOccurrencesOfMyCalendars(t *testing.T) {
	e := newEnv(t)
	e.create(e.teacher, e.calendarOf(e.teacher, "3a"), lesson("Sport 3a"))
	e.create(e.teacher4b, e.calendarOf(e.teacher4b, "4b"), lesson("Sport 4b"))
	e.create(e.teacher, e.calendarOf(e.teacher, "personal"), lesson("Zahnarzt"))
	e.create(e.pupil, e.calendarOf(e.pupil, "personal"), lesson("Geburtstag Oma"))
	e.create(e.writer, e.calendarOf(e.writer, "public"), lesson("Schulversammlung"))
	e.create(e.teacher, e.calendarOf(e.teacher, "chor"), lesson("Chorprobe"))
	tests := []struct {
		name string
		p    directory.Person
		cals []int64
		want string
	}{
		{"pupil 3a", e.pupil, nil, "Geburtstag Oma, Schulversammlung, Sport 3a"},
		{"pupil 4b in the choir", e.pupil4b, nil, "Chorprobe, Schulversammlung, Sport 4b"},
		{"class teacher", e.teacher, nil, "Chorprobe, Schulversammlung, Sport 3a, Zahnarzt"},
		{"admin, own calendars", e.admin, nil, "Schulversammlung"},
		{"admin asks for 4b", e.admin, []int64{e.calendarOf(e.admin, "4b")}, "Sport 4b"},
		{"pupil asks for the class only", e.pupil, []int64{e.calendarOf(e.pupil, "3a")}, "Sport 3a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.cal.Occurrences(ctx, tt.p, calendar.Range{From: "2026-09-01", To: "2026-10-01", Calendars: tt.cals})
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, o := range res.List {
				titles = append(titles, o.Event.Title)
			}
			slices.Sort(titles)
			if got := strings.Join(titles, ", "); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("someone else's calendar", func(t *testing.T) {
		_, err := e.cal.Occurrences(ctx, e.pupil, calendar.Range{From: "2026-09-01", To: "2026-10-01", Calendars: []int64{e.calendarOf(e.teacher, "personal")}})
		if got := outcome(err); got != "not found" {
			t.Errorf("got %v, want not found", got)
		}
	})
}

func TestValidation(t *testing.T) {
	e := newEnv(t)
	cal := e.calendarOf(e.teacher, "personal")
	ok := lesson("Sport")
	weekly := func(r calendar.Recurrence) calendar.Input {
		in := ok
		in.Recurrence = &r
		return in
	}
	tests := []struct {
		name  string
		in    calendar.Input
		field string // "" : accepted
	}{
		{"fine", ok, ""},
		{"empty title", calendar.Input{Title: "  ", Start: ok.Start, End: ok.End}, "title"},
		{"long title", calendar.Input{Title: strings.Repeat("ä", calendar.MaxTitle+1), Start: ok.Start, End: ok.End}, "title"},
		{"title of max length", calendar.Input{Title: strings.Repeat("ä", calendar.MaxTitle), Start: ok.Start, End: ok.End}, ""},
		{"control character", calendar.Input{Title: "Sport\x07", Start: ok.Start, End: ok.End}, "title"},
		{"newline in title", calendar.Input{Title: "Sport\nhalle", Start: ok.Start, End: ok.End}, "title"},
		{"newline in description", calendar.Input{Title: "Sport", Description: "Turnbeutel\nnicht vergessen", Start: ok.Start, End: ok.End}, ""},
		{"long location", calendar.Input{Title: "Sport", Location: strings.Repeat("x", calendar.MaxLocation+1), Start: ok.Start, End: ok.End}, "location"},
		{"long description", calendar.Input{Title: "Sport", Description: strings.Repeat("x", calendar.MaxDescription+1), Start: ok.Start, End: ok.End}, "description"},
		{"end before start", calendar.Input{Title: "Sport", Start: "2026-09-07T09:00", End: "2026-09-07T08:00"}, "end"},
		{"end equals start", calendar.Input{Title: "Sport", Start: "2026-09-07T09:00", End: "2026-09-07T09:00"}, "end"},
		{"bad start", calendar.Input{Title: "Sport", Start: "7.9.2026 8:00", End: ok.End}, "start"},
		{"date for a timed event", calendar.Input{Title: "Sport", Start: "2026-09-07", End: "2026-09-07"}, "start"},
		{"all-day one day", calendar.Input{Title: "Wandertag", AllDay: true, Start: "2026-09-07", End: "2026-09-07"}, ""},
		{"all-day last day before first", calendar.Input{Title: "Fahrt", AllDay: true, Start: "2026-09-07", End: "2026-09-06"}, "end"},
		{"typo year", calendar.Input{Title: "Sport", Start: "0226-09-07T08:00", End: "0226-09-07T09:00"}, "start"},
		{"longer than a year", calendar.Input{Title: "Fahrt", AllDay: true, Start: "2026-09-07", End: "2027-09-08"}, "end"},
		{"weekly", weekly(calendar.Recurrence{Freq: "weekly", ByDay: []string{"mo", "TH"}}), ""},
		{"unknown frequency", weekly(calendar.Recurrence{Freq: "HOURLY"}), "recurrence"},
		{"no frequency", weekly(calendar.Recurrence{}), "recurrence"},
		{"interval too big", weekly(calendar.Recurrence{Freq: "WEEKLY", Interval: 100}), "recurrence"},
		{"count and until", weekly(calendar.Recurrence{Freq: "WEEKLY", Count: 3, Until: "2026-12-01"}), "recurrence"},
		{"count too big", weekly(calendar.Recurrence{Freq: "DAILY", Count: calendar.MaxCount + 1}), "recurrence"},
		{"negative count", weekly(calendar.Recurrence{Freq: "DAILY", Count: -1}), "recurrence"},
		{"until before start", weekly(calendar.Recurrence{Freq: "WEEKLY", Until: "2026-09-01"}), "recurrence"},
		{"until not a date", weekly(calendar.Recurrence{Freq: "WEEKLY", Until: "bald"}), "recurrence"},
		{"byday monthly", weekly(calendar.Recurrence{Freq: "MONTHLY", ByDay: []string{"MO"}}), "recurrence"},
		{"byday with ordinal", weekly(calendar.Recurrence{Freq: "WEEKLY", ByDay: []string{"1MO"}}), "recurrence"},
		{"start not on a byday", weekly(calendar.Recurrence{Freq: "WEEKLY", ByDay: []string{"TU", "WE"}}), "recurrence"},
		{"yearly 1000 times", weekly(calendar.Recurrence{Freq: "YEARLY", Count: 1000}), "recurrence"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.cal.Create(ctx, e.teacher, cal, tt.in)
			var ce *calendar.Error
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("got %v, want it accepted", err)
			case tt.field == "":
			case !errors.Is(err, calendar.ErrInvalid) || !errors.As(err, &ce):
				t.Errorf("got %v, want invalid %s", err, tt.field)
			case ce.Field != tt.field || ce.German == "":
				t.Errorf("got field %q message %q, want field %q with a German message", ce.Field, ce.German, tt.field)
			}
		})
	}
}

func TestUpdate(t *testing.T) {
	e := newEnv(t)
	class := e.calendarOf(e.teacher, "3a")
	own := e.calendarOf(e.teacher, "personal")
	ev := e.create(e.teacher, class, lesson("Sport"))
	if ev.Sequence != 0 || ev.UID == "" || !strings.HasSuffix(ev.UID, "@gsborsum.de") {
		t.Fatalf("got sequence %d uid %q, want 0 and a uid of the school's domain", ev.Sequence, ev.UID)
	}
	zero, one := 0, 1
	in := lesson("Sport in der Halle")
	up, err := e.cal.Update(ctx, e.teacher, ev.ID, calendar.Change{Input: in, Sequence: &zero})
	if err != nil {
		t.Fatal(err)
	}
	if up.Title != "Sport in der Halle" || up.Sequence != 1 || up.UID != ev.UID {
		t.Errorf("got %q seq %d uid %q, want the new title, sequence 1, the same uid", up.Title, up.Sequence, up.UID)
	}
	t.Run("stale sequence", func(t *testing.T) {
		_, err := e.cal.Update(ctx, e.teacher, ev.ID, calendar.Change{Input: in, Sequence: &zero})
		if !errors.Is(err, calendar.ErrConflict) {
			t.Errorf("got %v, want a conflict", err)
		}
		if _, err := e.cal.Update(ctx, e.teacher, ev.ID, calendar.Change{Input: in, Sequence: &one}); err != nil {
			t.Errorf("got %v, want the current sequence accepted", err)
		}
	})
	t.Run("move to a calendar the teacher cannot write", func(t *testing.T) {
		_, err := e.cal.Update(ctx, e.teacher, ev.ID, calendar.Change{Input: in, Calendar: e.calendarOf(e.admin, "4b")})
		if got := outcome(err); got != "not found" {
			t.Errorf("got %v, want not found", got)
		}
		_, err = e.cal.Update(ctx, e.teacher, ev.ID, calendar.Change{Input: in, Calendar: e.calendarOf(e.admin, "public")})
		if got := outcome(err); got != "forbidden" {
			t.Errorf("got %v, want forbidden", got)
		}
	})
	t.Run("move to the own calendar", func(t *testing.T) {
		moved, err := e.cal.Update(ctx, e.teacher, ev.ID, calendar.Change{Input: in, Calendar: own})
		if err != nil {
			t.Fatal(err)
		}
		if moved.CalendarID != own {
			t.Errorf("got calendar %d, want %d", moved.CalendarID, own)
		}
		if _, err := e.cal.Event(ctx, e.pupil, ev.ID); !calendar.IsNotFound(err) {
			t.Errorf("pupil reads the moved event: got %v, want not found", err)
		}
	})
}

func TestCancelOccurrence(t *testing.T) {
	e := newEnv(t)
	cal := e.calendarOf(e.teacher, "3a")
	in := lesson("Schwimmen")
	in.Recurrence = &calendar.Recurrence{Freq: "WEEKLY", Until: "2026-10-31"}
	ev := e.create(e.teacher, cal, in)
	once := e.create(e.teacher, cal, lesson("Ausflug"))
	// Occurrences three days long, one a day: three of them overlap each day.
	long := e.create(e.teacher, cal, calendar.Input{Title: "Projekt", AllDay: true, Start: "2026-10-01", End: "2026-10-03",
		Recurrence: &calendar.Recurrence{Freq: "DAILY", Count: 10}})
	tests := []struct {
		name string
		who  directory.Person
		id   int64
		date string
		want string
	}{
		{"pupil", e.pupil, ev.ID, "2026-10-12", "forbidden"},
		{"not an occurrence", e.teacher, ev.ID, "2026-10-13", "not found"},
		{"after the end", e.teacher, ev.ID, "2026-11-02", "not found"},
		{"not a date", e.teacher, ev.ID, "12.10.2026", "invalid"},
		{"event that does not repeat", e.teacher, once.ID, "2026-09-07", "invalid"},
		{"teacher", e.teacher, ev.ID, "2026-10-12", "ok"},
		{"again", e.teacher, ev.ID, "2026-10-12", "ok"},
		{"first occurrence", e.teacher, ev.ID, "2026-09-07", "ok"},
		{"overlapping occurrences", e.teacher, long.ID, "2026-10-03", "ok"},
		{"after the count", e.teacher, long.ID, "2026-10-11", "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.cal.CancelOccurrence(ctx, tt.who, tt.id, tt.date)
			got := outcome(err)
			if errors.Is(err, calendar.ErrInvalid) {
				got = "invalid"
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	got, err := e.cal.Event(ctx, e.pupil, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ex []string
	for _, d := range got.Exceptions {
		ex = append(ex, d.Format(calendar.DateLayout))
	}
	if s := strings.Join(ex, " "); s != "2026-09-07 2026-10-12" || got.Sequence != 2 {
		t.Errorf("got exceptions %v sequence %d, want 2026-09-07 2026-10-12 and 2", s, got.Sequence)
	}
	res, err := e.cal.Occurrences(ctx, e.pupil, calendar.Range{From: "2026-10-01", To: "2026-11-01"})
	if err != nil {
		t.Fatal(err)
	}
	var days []string
	var projekt []string
	for _, o := range res.List {
		switch o.Event.ID {
		case ev.ID:
			days = append(days, o.Start.Format("02.01."))
		case long.ID:
			projekt = append(projekt, o.Start.Format("02.01."))
		}
	}
	if s := strings.Join(projekt, " "); s != "01.10. 02.10. 04.10. 05.10. 06.10. 07.10. 08.10. 09.10. 10.10." {
		t.Errorf("got Projekt on %v, want every day of its ten but 03.10.", s)
	}
	if s := strings.Join(days, " "); s != "05.10. 19.10. 26.10." {
		t.Errorf("got %v, want 05.10. 19.10. 26.10.", s)
	}
}

func TestRangeQuery(t *testing.T) {
	e := newEnv(t)
	cal := e.calendarOf(e.teacher, "personal")
	e.create(e.teacher, cal, calendar.Input{Title: "Vor dem Monat", Start: "2026-09-30T22:00", End: "2026-10-01T00:00"})
	e.create(e.teacher, cal, calendar.Input{Title: "Über Mitternacht", Start: "2026-09-30T23:00", End: "2026-10-01T01:00"})
	e.create(e.teacher, cal, calendar.Input{Title: "Herbstferien", AllDay: true, Start: "2026-10-12", End: "2026-10-24"})
	e.create(e.teacher, cal, calendar.Input{Title: "Letzter Tag", AllDay: true, Start: "2026-10-31", End: "2026-10-31"})
	e.create(e.teacher, cal, calendar.Input{Title: "Nach dem Monat", AllDay: true, Start: "2026-11-01", End: "2026-11-01"})
	old := calendar.Input{Title: "Seit 2015", Start: "2015-01-05T07:30", End: "2015-01-05T08:00", Recurrence: &calendar.Recurrence{Freq: "WEEKLY"}}
	e.create(e.teacher, cal, old)
	ended := calendar.Input{Title: "Vorbei", Start: "2025-01-06T07:30", End: "2025-01-06T08:00", Recurrence: &calendar.Recurrence{Freq: "DAILY", Count: 10}}
	e.create(e.teacher, cal, ended)
	res, err := e.cal.Occurrences(ctx, e.teacher, calendar.Range{From: "2026-10-01", To: "2026-11-01", Calendars: []int64{cal}})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, o := range res.List {
		count[o.Event.Title]++
	}
	want := map[string]int{"Über Mitternacht": 1, "Herbstferien": 1, "Letzter Tag": 1, "Seit 2015": 4}
	for k, v := range want {
		if count[k] != v {
			t.Errorf("%s: got %d occurrences, want %d", k, count[k], v)
		}
	}
	for k := range count {
		if _, ok := want[k]; !ok {
			t.Errorf("got %s, want it outside the range", k)
		}
	}
	for _, r := range []calendar.Range{{From: "2026-10-01", To: "2026-10-01"}, {From: "2026-10-01", To: "2028-01-01"}, {From: "gestern", To: "2026-10-01"}} {
		t.Run(r.From+".."+r.To, func(t *testing.T) {
			if _, err := e.cal.Occurrences(ctx, e.teacher, r); !errors.Is(err, calendar.ErrInvalid) {
				t.Errorf("got %v, want invalid", err)
			}
		})
	}
}

func TestTruncated(t *testing.T) {
	e := newEnv(t)
	cal := e.calendarOf(e.teacher, "personal")
	for i := range 15 {
		in := calendar.Input{Title: "Täglich", Start: "2026-01-01T08:00", End: "2026-01-01T09:00", Recurrence: &calendar.Recurrence{Freq: "DAILY"}}
		in.Title += string(rune('A' + i))
		e.create(e.teacher, cal, in)
	}
	res, err := e.cal.Occurrences(ctx, e.teacher, calendar.Range{From: "2026-01-01", To: "2027-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.List) != calendar.MaxOccurrences || !res.Truncated {
		t.Errorf("got %d occurrences truncated=%v, want %d and truncated", len(res.List), res.Truncated, calendar.MaxOccurrences)
	}
}

// A person's personal calendar goes with them, a class's calendar with
// the class: the database deletes them by cascade.
func TestDeletedWithPersonAndGroup(t *testing.T) {
	e := newEnv(t)
	own := e.calendarOf(e.pupil, "personal")
	private := e.create(e.pupil, own, lesson("Geheim"))
	class := e.calendarOf(e.teacher4b, "4b")
	classEvent := e.create(e.teacher4b, class, lesson("Sport 4b"))

	// The pupil leaves and is purged after the grace period.
	if err := e.dir.SetLeaving(ctx, admin, e.pupil.Login, "2026-07-31"); err != nil {
		t.Fatal(err)
	}
	e.dir.SetClock(func() time.Time { return time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC) })
	purged, err := e.dir.Purge(ctx, admin, directory.PurgeOptions{})
	if err != nil || len(purged) != 1 {
		t.Fatalf("purge: got %v, %v, want one person purged", purged, err)
	}
	// There is no directory call to delete a class yet; do what one will.
	if _, err := e.db.W.ExecContext(ctx, `DELETE FROM groups WHERE name = '4b'`); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		table string
		id    int64
	}{
		{"calendars", own}, {"calendar_events", private.ID}, {"calendars", class}, {"calendar_events", classEvent.ID},
	}
	for _, tt := range tests {
		t.Run(tt.table, func(t *testing.T) {
			var n int
			if err := e.db.R.QueryRowContext(ctx, `SELECT count(*) FROM `+tt.table+` WHERE id = ?`, tt.id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("got %d rows with id %d, want 0", n, tt.id)
			}
		})
	}
	if _, err := e.cal.Event(ctx, e.admin, classEvent.ID); !calendar.IsNotFound(err) {
		t.Errorf("got %v, want not found", err)
	}
}
