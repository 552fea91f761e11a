package calendar_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"kaspel/server/calendar"
	"kaspel/server/directory"
)

// swimming is a weekly lesson on Mondays, 8:00–8:45, from 7 September to
// the end of October 2026: 7., 14., 21., 28.09., 5., 12., 19., 26.10.
func swimming() calendar.Input {
	in := lesson("Schwimmen")
	in.Location = "Hallenbad"
	in.Recurrence = &calendar.Recurrence{Freq: "WEEKLY", Until: "2026-10-31"}
	return in
}

// september lists the occurrences of September 2026 as the person sees
// them in the month view: "Title DD.MM. HH:MM-HH:MM".
func (e *env) september(p directory.Person) []string {
	e.t.Helper()
	res, err := e.cal.Occurrences(ctx, p, calendar.Range{From: "2026-09-01", To: "2026-10-01"})
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, o := range res.List {
		out = append(out, o.Event.Title+" "+o.Start.Format("02.01. 15:04")+"-"+o.End.Format("15:04"))
	}
	return out
}

func (e *env) exceptions(id int64) (string, int) {
	e.t.Helper()
	ev, err := e.cal.Event(ctx, e.teacher, id)
	if err != nil {
		e.t.Fatal(err)
	}
	var ex []string
	for _, d := range ev.Exceptions {
		ex = append(ex, d.Format(calendar.DateLayout))
	}
	return strings.Join(ex, " "), ev.Sequence
}

func TestChangeOccurrence(t *testing.T) {
	e := newEnv(t)
	cal := e.calendarOf(e.teacher, "3a")
	ev := e.create(e.teacher, cal, swimming())
	once := e.create(e.teacher, cal, lesson("Ausflug"))
	if err := e.cal.CancelOccurrence(ctx, e.teacher, ev.ID, "2026-10-05"); err != nil {
		t.Fatal(err)
	}
	// The third lesson moves from Monday 8:00 to Wednesday 10:00.
	moved := calendar.Input{Title: "Schwimmen", Location: "Freibad", Start: "2026-09-23T10:00", End: "2026-09-23T10:45"}
	repeating := moved
	repeating.Recurrence = &calendar.Recurrence{Freq: "WEEKLY"}
	broken := moved
	broken.End = "2026-09-23T09:00"
	tests := []struct {
		name string
		who  directory.Person
		id   int64
		date string
		in   calendar.Input
		want string
	}{
		{"pupil (reader only)", e.pupil, ev.ID, "2026-09-21", moved, "forbidden"},
		{"teacher of another class", e.teacher4b, ev.ID, "2026-09-21", moved, "not found"},
		{"not an occurrence", e.teacher, ev.ID, "2026-09-22", moved, "not found"},
		{"after the end", e.teacher, ev.ID, "2026-11-02", moved, "not found"},
		{"no such event", e.teacher, 987654, "2026-09-21", moved, "not found"},
		{"not a date", e.teacher, ev.ID, "21.09.2026", moved, "invalid date"},
		{"event that does not repeat", e.teacher, once.ID, "2026-09-07", moved, "invalid date"},
		{"already cancelled", e.teacher, ev.ID, "2026-10-05", moved, "invalid date"},
		{"recurrence in the input", e.teacher, ev.ID, "2026-09-21", repeating, "invalid recurrence"},
		{"end before start", e.teacher, ev.ID, "2026-09-21", broken, "invalid end"},
		{"teacher", e.teacher, ev.ID, "2026-09-21", moved, "ok"},
		{"again", e.teacher, ev.ID, "2026-09-21", moved, "invalid date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.cal.ChangeOccurrence(ctx, tt.who, tt.id, tt.date, tt.in)
			got := outcome(err)
			var ce *calendar.Error
			if errors.Is(err, calendar.ErrInvalid) && errors.As(err, &ce) {
				got = "invalid " + ce.Field
				if ce.German == "" {
					t.Errorf("got no German message for %v", err)
				}
			}
			if got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if ex, seq := e.exceptions(ev.ID); ex != "2026-09-21 2026-10-05" || seq != 2 {
		t.Errorf("got exceptions %q sequence %d, want 2026-09-21 2026-10-05 and 2", ex, seq)
	}
	want := []string{
		"Schwimmen 07.09. 08:00-08:45",
		"Ausflug 07.09. 08:00-08:45",
		"Schwimmen 14.09. 08:00-08:45",
		"Schwimmen 23.09. 10:00-10:45",
		"Schwimmen 28.09. 08:00-08:45",
	}
	slices.Sort(want)
	got := e.september(e.pupil)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("got September\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The moved lesson is a single event of its own in the class calendar.
	res, err := e.cal.Occurrences(ctx, e.pupil, calendar.Range{From: "2026-09-23", To: "2026-09-24"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.List) != 1 {
		t.Fatalf("got %d occurrences on 23.09., want the moved lesson", len(res.List))
	}
	if n := res.List[0].Event; n.ID == ev.ID || n.UID == ev.UID || n.Rule != nil || n.CalendarID != cal || n.Location != "Freibad" || n.CreatedBy != e.teacher.Login {
		t.Errorf("got %+v, want a new single event in the class calendar, in the Freibad, by the teacher", n)
	}
}

// TestChangeOccurrenceAtomic: when the new event cannot be stored, the
// occurrence is not cancelled either.
func TestChangeOccurrenceAtomic(t *testing.T) {
	e := newEnv(t)
	cal := e.calendarOf(e.teacher, "3a")
	ev := e.create(e.teacher, cal, swimming())
	// The database refuses the new event (as a full disk would), after
	// the cancellation is written in the same transaction.
	if _, err := e.db.W.ExecContext(ctx, `CREATE TRIGGER refuse_test BEFORE INSERT ON calendar_events
		WHEN NEW.title = 'Kaputt' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		in   calendar.Input
	}{
		{"invalid input", calendar.Input{Title: "Schwimmen", Start: "2026-09-23T10:00", End: "2026-09-23T09:00"}},
		{"no title", calendar.Input{Title: " ", Start: "2026-09-23T10:00", End: "2026-09-23T10:45"}},
		{"the insert fails", calendar.Input{Title: "Kaputt", Start: "2026-09-23T10:00", End: "2026-09-23T10:45"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := e.cal.ChangeOccurrence(ctx, e.teacher, ev.ID, "2026-09-21", tt.in); err == nil {
				t.Fatalf("got no error, want one")
			}
			if ex, seq := e.exceptions(ev.ID); ex != "" || seq != 0 {
				t.Errorf("got exceptions %q sequence %d, want none and 0", ex, seq)
			}
			if got := e.september(e.teacher); !slices.Contains(got, "Schwimmen 21.09. 08:00-08:45") || len(got) != 4 {
				t.Errorf("got %v, want the four lessons of September unchanged", got)
			}
		})
	}
}
