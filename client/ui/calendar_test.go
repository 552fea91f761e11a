package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/shared/wire"
)

// calTestDay is a day of 2026; the world's clock stands on Friday,
// 27 November 2026.
func calTestDay(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }

// calOpen taps the calendar tile and waits for month and agenda.
func calOpen(t *testing.T, u *UI) *CalendarScreen {
	t.Helper()
	if u.Home == nil || u.Home.Tiles[wire.ModuleCalendar] == nil {
		t.Fatal("no calendar tile on the home screen")
	}
	test.Tap(u.Home.Tiles[wire.ModuleCalendar])
	u.Wait()
	s, ok := u.screen(wire.ModuleCalendar).(*CalendarScreen)
	if !ok {
		t.Fatal("the calendar screen is not open")
	}
	if s.Message.Text != "" {
		t.Fatalf("calendar message after opening: %q", s.Message.Text)
	}
	return s
}

// calCell is the grid cell of a date; the test fails if the month view
// does not show it.
func calCell(t *testing.T, s *CalendarScreen, d time.Time) *CalendarDay {
	t.Helper()
	c := s.Day(d)
	if c == nil {
		t.Fatalf("the month view (%s) does not show %s", s.Month.Text, d.Format(calDateLayout))
	}
	return c
}

// calHasChip tells whether the cell draws an entry with the text.
func calHasChip(c *CalendarDay, text string) bool {
	return slices.ContainsFunc(calChipTexts(c), func(s string) bool { return strings.Contains(s, text) })
}

func calChipTexts(c *CalendarDay) []string {
	var out []string
	for _, ch := range c.Chips {
		out = append(out, ch.Text)
	}
	return out
}

// calFindRow is the first row whose button names the title.
func calFindRow(rows []*CalendarRow, title string) *CalendarRow {
	for _, r := range rows {
		if strings.Contains(r.Text.Text, title) {
			return r
		}
	}
	return nil
}

// calOpenOn taps a day and then the event with the title in its list.
func calOpenOn(t *testing.T, u *UI, s *CalendarScreen, d time.Time, title string) *EventView {
	t.Helper()
	test.Tap(calCell(t, s, d))
	r := calFindRow(s.DayRows, title)
	if r == nil {
		t.Fatalf("%s: %q not in the day list %v", d.Format(calDateLayout), title, calRowTexts(s.DayRows))
	}
	test.Tap(r.Open)
	u.Wait()
	if s.Event == nil {
		t.Fatalf("the event %q did not open; message %q", title, s.Message.Text)
	}
	return s.Event
}

func calRowTexts(rows []*CalendarRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Text.Text)
	}
	return out
}

// calNewEvent opens the editor for the selected day.
func calNewEvent(t *testing.T, s *CalendarScreen, d time.Time) *EventEditor {
	t.Helper()
	test.Tap(calCell(t, s, d))
	test.Tap(s.New)
	if s.Editor == nil {
		t.Fatal("the editor did not open")
	}
	if got, want := s.Editor.StartDate.Text, calShortDate(d); got != want {
		t.Errorf("editor's day: got %q, want the selected day %q", got, want)
	}
	return s.Editor
}

// calSave taps save and fails unless the editor closed.
func calSave(t *testing.T, u *UI, s *CalendarScreen, e *EventEditor) {
	t.Helper()
	test.Tap(e.Save)
	u.Wait()
	if s.Editor != nil {
		t.Fatalf("not saved: %s", e)
	}
}

// calRetype replaces what a field holds (a person selects all and types).
func calRetype(e *widget.Entry, text string) {
	e.SetText("")
	test.Type(e, text)
}

func TestCalendarClassEvent(t *testing.T) {
	w := newWorld(t)
	teacher := w.newUI(config.ModeStaff)
	w.loggedIn(teacher, w.Teacher)
	ts := calOpen(t, teacher)

	e := calNewEvent(t, ts, calTestDay(11, 30))
	if !slices.Contains(e.Calendar.Options, "Klasse 3a") {
		t.Fatalf("the class teacher is not offered the class calendar: %v", e.Calendar.Options)
	}
	if e.Calendar.Selected != "Mein Kalender" {
		t.Errorf("a new event starts in %q, want the own calendar", e.Calendar.Selected)
	}
	test.Type(e.Title, "Wandertag")
	e.Calendar.SetSelected("Klasse 3a")
	test.Tap(e.AllDay)
	if e.times.Visible() {
		t.Error("the times still show for an all-day event")
	}
	test.Type(e.Location, "Borsumer Wald")
	calSave(t, teacher, ts, e)
	if !strings.Contains(ts.Message.Text, "gespeichert") {
		t.Errorf("message after saving: %q", ts.Message.Text)
	}
	if c := calCell(t, ts, calTestDay(11, 30)); !calHasChip(c, "Wandertag") {
		t.Errorf("the teacher's month does not show the event: %v", calChipTexts(c))
	}

	// A pupil of 3a sees it in the month, in the day list and in the
	// agenda, in the class's colour, and cannot change it.
	pupil := w.newUI(config.ModeStaff)
	w.loggedIn(pupil, w.Pupil)
	ps := calOpen(t, pupil)
	c := calCell(t, ps, calTestDay(11, 30))
	if !calHasChip(c, "Wandertag") {
		t.Fatalf("the pupil of 3a does not see the class event on 30 November: %v", calChipTexts(c))
	}
	if r := calFindRow(ps.AgendaRows, "Wandertag"); r == nil {
		t.Errorf("the agenda of the pupil of 3a lacks the event: %v", calRowTexts(ps.AgendaRows))
	} else if cal, _ := ps.calendar(r.Occurrence.CalendarID); cal.Kind != wire.CalendarGroup || cal.Group != "3a" {
		t.Errorf("the event is in calendar %+v, want the class 3a's", cal)
	}
	v := calOpenOn(t, pupil, ps, calTestDay(11, 30), "Wandertag")
	if v.Edit.Visible() || v.Delete.Visible() || !v.ReadOnly.Visible() {
		t.Errorf("a pupil may change the class event: edit %v, delete %v", v.Edit.Visible(), v.Delete.Visible())
	}
	if !strings.Contains(v.Location.Text, "Borsumer Wald") || !strings.Contains(v.Calendar.Text, "Klasse 3a") {
		t.Errorf("event view: location %q, calendar %q", v.Location.Text, v.Calendar.Text)
	}
	test.Tap(v.Back)

	// The legend filters: the class calendar off, the event is gone.
	f := ps.Filter[c.Occurrences[0].CalendarID]
	if f == nil || f.Text != "Klasse 3a" {
		t.Fatalf("no legend entry for the class calendar: %v", f)
	}
	test.Tap(f)
	if calHasChip(calCell(t, ps, calTestDay(11, 30)), "Wandertag") || calFindRow(ps.AgendaRows, "Wandertag") != nil {
		t.Error("the class event still shows with the class calendar switched off")
	}
	test.Tap(f)
	if !calHasChip(calCell(t, ps, calTestDay(11, 30)), "Wandertag") {
		t.Error("the class event does not come back with the class calendar switched on")
	}

	// The pupil's editor does not offer the class calendar.
	pe := calNewEvent(t, ps, calTestDay(11, 30))
	if slices.Contains(pe.Calendar.Options, "Klasse 3a") || slices.Contains(pe.Calendar.Options, "Schulkalender") {
		t.Errorf("the pupil is offered calendars they may not write: %v", pe.Calendar.Options)
	}
	if !slices.Equal(pe.Calendar.Options, []string{"Mein Kalender"}) {
		t.Errorf("the pupil's calendars to write: %v, want only the own", pe.Calendar.Options)
	}
	test.Tap(pe.Cancel)
	if ps.Editor != nil {
		t.Error("cancel left the editor open")
	}

	// A pupil of 4b sees nothing of it.
	other := w.newUI(config.ModeStaff)
	w.loggedIn(other, w.OtherPupil)
	oth := calOpen(t, other)
	if c := calCell(t, oth, calTestDay(11, 30)); calHasChip(c, "Wandertag") || len(c.Occurrences) != 0 {
		t.Errorf("the pupil of 4b sees %v on 30 November", calChipTexts(c))
	}
	if r := calFindRow(oth.AgendaRows, "Wandertag"); r != nil {
		t.Error("the agenda of the pupil of 4b shows the class 3a's event")
	}
	for _, f := range oth.Filter {
		if f.Text == "Klasse 3a" {
			t.Error("the pupil of 4b has the class 3a's calendar in the legend")
		}
	}
}

func TestCalendarPersonalEvents(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	s := calOpen(t, u)

	if s.Month.Text != "November 2026" || s.Weekdays[0].Text != "Mo" || s.Weekdays[6].Text != "So" {
		t.Errorf("month %q, weekdays %q…%q; want November 2026, Mo…So", s.Month.Text, s.Weekdays[0].Text, s.Weekdays[6].Text)
	}
	if !s.Days[0].Date.Equal(calTestDay(10, 26)) || s.Days[0].InMonth {
		t.Errorf("the grid starts on %s (in month %v), want Monday 26 October, pale", s.Days[0].Date, s.Days[0].InMonth)
	}
	for _, d := range s.Days {
		if d.Today != d.Date.Equal(calTestDay(11, 27)) {
			t.Errorf("%s marked as today: %v", d.Date.Format(calDateLayout), d.Today)
		}
	}
	if !strings.Contains(s.DayTitle.Text, "Heute") || !strings.Contains(s.DayTitle.Text, "Freitag, 27. November 2026") {
		t.Errorf("the day list's title: %q", s.DayTitle.Text)
	}

	// A weekly event starting Monday 2 November; first with the end before
	// the start: the server's German answer shows in the editor.
	e := calNewEvent(t, s, calTestDay(11, 2))
	test.Type(e.Title, "Schwimmen")
	calRetype(e.StartTime, "8:00")
	calRetype(e.EndTime, "7:30")
	e.Repeat.SetSelected("jede Woche")
	if !e.untilRow.Visible() {
		t.Error("no end of the series to choose for a weekly event")
	}
	test.Tap(e.Save)
	u.Wait()
	if s.Editor != e || !strings.Contains(e.Message.Text, "Das Ende muss nach dem Beginn liegen") {
		t.Fatalf("end before start: editor open %v, message %q", s.Editor == e, e.Message.Text)
	}
	calRetype(e.EndTime, "8.45")
	calSave(t, u, s, e)

	mondays := func(title string, m time.Month, days ...int) {
		t.Helper()
		for _, d := range days {
			if c := calCell(t, s, calTestDay(m, d)); !calHasChip(c, "08:00 "+title) {
				t.Errorf("%d.%d.: the weekly event is missing: %v", d, m, calChipTexts(c))
			}
			if c := calCell(t, s, calTestDay(m, d).AddDate(0, 0, 1)); calHasChip(c, title) {
				t.Errorf("the weekly event shows on the Tuesday after %d.%d.", d, m)
			}
		}
	}
	mondays("Schwimmen", 11, 2, 9, 16, 23, 30)
	if calHasChip(calCell(t, s, calTestDay(10, 26)), "Schwimmen") {
		t.Error("the series shows before its start")
	}
	if calFindRow(s.AgendaRows, "Schwimmen") == nil {
		t.Errorf("the agenda lacks the weekly event: %v", calRowTexts(s.AgendaRows))
	}

	// Month navigation.
	if s.Next.Text != "Dezember" || s.Prev.Text != "Oktober" {
		t.Errorf("navigation buttons: %q, %q", s.Prev.Text, s.Next.Text)
	}
	test.Tap(s.Next)
	u.Wait()
	if s.Month.Text != "Dezember 2026" {
		t.Fatalf("after next: %q", s.Month.Text)
	}
	mondays("Schwimmen", 12, 7, 14, 21, 28)
	test.Tap(s.Prev)
	u.Wait()
	test.Tap(s.Prev)
	u.Wait()
	if s.Month.Text != "Oktober 2026" {
		t.Fatalf("after previous twice: %q", s.Month.Text)
	}
	for _, d := range s.Days {
		if d.InMonth && calHasChip(d, "Schwimmen") {
			t.Errorf("the series shows in October, before it starts: %s", d.Date.Format(calDateLayout))
		}
	}
	test.Tap(s.Today)
	u.Wait()
	if s.Month.Text != "November 2026" || !s.Selected().Equal(calTestDay(11, 27)) {
		t.Fatalf("after today: %q, selected %s", s.Month.Text, s.Selected())
	}

	// Change it: a new title and a place, for the whole series.
	v := calOpenOn(t, u, s, calTestDay(11, 9), "Schwimmen")
	if !strings.Contains(v.Repeat.Text, "jede Woche") || !v.DeleteOne.Visible() || !v.Edit.Visible() {
		t.Errorf("event view: repeat %q, delete one %v, edit %v", v.Repeat.Text, v.DeleteOne.Visible(), v.Edit.Visible())
	}
	test.Tap(v.Edit)
	e = s.Editor
	if e == nil || e.Title.Text != "Schwimmen" || e.StartDate.Text != "02.11.2026" || e.StartTime.Text != "08:00" ||
		e.EndTime.Text != "08:45" || e.Repeat.Selected != "jede Woche" || e.Calendar.Selected != "Mein Kalender" {
		t.Fatalf("the editor is not filled with the event: %v", e)
	}
	calRetype(e.Title, "Turnen")
	test.Type(e.Location, "Turnhalle")
	calSave(t, u, s, e)
	mondays("Turnen", 11, 2, 9, 16, 23, 30)
	if c := calCell(t, s, calTestDay(11, 9)); !calHasChip(c, "Turnen") || calHasChip(c, "Schwimmen") {
		t.Errorf("after the change 9 November shows %v", calChipTexts(c))
	}

	// Delete one day of the series; "Nein" first keeps it.
	v = calOpenOn(t, u, s, calTestDay(11, 16), "Turnen")
	if !strings.Contains(v.Location.Text, "Turnhalle") {
		t.Errorf("location: %q", v.Location.Text)
	}
	test.Tap(v.DeleteOne)
	if !v.Question.Visible() || !strings.Contains(v.Question.Text, "16. November") {
		t.Errorf("question before deleting one day: %q", v.Question.Text)
	}
	test.Tap(v.No)
	if v.Question.Visible() || s.Event != v {
		t.Error("'Nein' did not keep the event")
	}
	test.Tap(v.DeleteOne)
	test.Tap(v.Yes)
	u.Wait()
	if s.Event != nil {
		t.Fatalf("still on the event after deleting a day: %q", v.Message.Text)
	}
	if calHasChip(calCell(t, s, calTestDay(11, 16)), "Turnen") {
		t.Error("16 November still shows the cancelled day")
	}
	mondays("Turnen", 11, 2, 9, 23, 30)

	// A yearly all-day event, seen again a year later.
	e = calNewEvent(t, s, calTestDay(11, 28))
	test.Type(e.Title, "Omas Geburtstag")
	test.Tap(e.AllDay)
	e.Repeat.SetSelected("jedes Jahr")
	calSave(t, u, s, e)
	if !calHasChip(calCell(t, s, calTestDay(11, 28)), "Omas Geburtstag") {
		t.Errorf("28 November: %v", calChipTexts(calCell(t, s, calTestDay(11, 28))))
	}
	for range 12 {
		test.Tap(s.Next)
		u.Wait()
	}
	if s.Month.Text != "November 2027" {
		t.Fatalf("a year on: %q", s.Month.Text)
	}
	if c := calCell(t, s, time.Date(2027, 11, 28, 0, 0, 0, 0, time.UTC)); !calHasChip(c, "Omas Geburtstag") {
		t.Errorf("the yearly event is missing on 28 November 2027: %v", calChipTexts(c))
	}
	test.Tap(s.Today)
	u.Wait()

	// Delete the whole series.
	v = calOpenOn(t, u, s, calTestDay(11, 23), "Turnen")
	test.Tap(v.Delete)
	test.Tap(v.Yes)
	u.Wait()
	if s.Event != nil {
		t.Fatalf("still on the event after deleting it: %q", v.Message.Text)
	}
	for _, d := range s.Days {
		if calHasChip(d, "Turnen") {
			t.Errorf("the deleted series still shows on %s", d.Date.Format(calDateLayout))
		}
	}
	if calFindRow(s.AgendaRows, "Turnen") != nil {
		t.Error("the agenda still shows the deleted series")
	}
	if !strings.Contains(s.Message.Text, "gelöscht") {
		t.Errorf("message after deleting: %q", s.Message.Text)
	}
}

func TestCalendarInputs(t *testing.T) {
	dates := []struct {
		in   string
		want string
		ok   bool
	}{
		{"27.11.2026", "2026-11-27", true},
		{"1.2.26", "2026-02-01", true},
		{"2026-11-27", "2026-11-27", true},
		{"31.11.2026", "", false},
		{"morgen", "", false},
	}
	for _, tt := range dates {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := calInputDate(tt.in)
			if ok != tt.ok || ok && got.Format(calDateLayout) != tt.want {
				t.Errorf("got %v %v, want %v %v", got.Format(calDateLayout), ok, tt.want, tt.ok)
			}
		})
	}
	clocks := []struct {
		in   string
		h, m int
		ok   bool
	}{
		{"8", 8, 0, true},
		{"8:30", 8, 30, true},
		{"08.45", 8, 45, true},
		{"1415", 14, 15, true},
		{"10 Uhr", 10, 0, true},
		{"24:00", 0, 0, false},
		{"8:5x", 0, 0, false},
	}
	for _, tt := range clocks {
		t.Run(tt.in, func(t *testing.T) {
			h, m, ok := calInputClock(tt.in)
			if ok != tt.ok || ok && (h != tt.h || m != tt.m) {
				t.Errorf("got %d:%d %v, want %d:%d %v", h, m, ok, tt.h, tt.m, tt.ok)
			}
		})
	}
}

// TestCalendarNamesInBothLanguages checks the texts the calendar builds
// from keys at run time (months, weekdays, repeats), which
// TestTranslationsComplete cannot see in the code.
func TestCalendarNamesInBothLanguages(t *testing.T) {
	t.Cleanup(func() { SetLanguage("de") })
	tests := []struct {
		lang, month, weekday, long, repeat string
	}{
		{"de", "März", "Mi", "Mittwoch, 4. März 2026", "Wiederholt sich: alle 2 Wochen bis 01.07.2026"},
		{"en", "March", "We", "Wednesday, 4 March 2026", "Repeats: every 2 weeks until 01.07.2026"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			if err := SetLanguage(tt.lang); err != nil {
				t.Fatal(err)
			}
			d := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
			if got := calMonthName(d.Month()); got != tt.month {
				t.Errorf("month: got %q, want %q", got, tt.month)
			}
			if got := calWeekdayShort(calWeekdayIndex(d)); got != tt.weekday {
				t.Errorf("weekday: got %q, want %q", got, tt.weekday)
			}
			if got := calLongDate(d); got != tt.long {
				t.Errorf("date: got %q, want %q", got, tt.long)
			}
			if got := calRepeatText(&wire.Recurrence{Freq: "WEEKLY", Interval: 2, Until: "2026-07-01"}); got != tt.repeat {
				t.Errorf("repeat: got %q, want %q", got, tt.repeat)
			}
			for m := time.January; m <= time.December; m++ {
				if got := calMonthName(m); strings.Contains(got, "calendar.") {
					t.Errorf("month %d has no text: %q", m, got)
				}
			}
			for i := range 7 {
				if got := calWeekdayShort(i) + calWeekdayLong(d.AddDate(0, 0, i)); strings.Contains(got, "calendar.") {
					t.Errorf("weekday %d has no text: %q", i, got)
				}
			}
			for _, f := range calFreqs {
				if got := calFreqName(f); strings.Contains(got, "calendar.") {
					t.Errorf("repeat %q has no text: %q", f, got)
				}
				if f == "" {
					continue
				}
				if got := calRepeatText(&wire.Recurrence{Freq: f, Interval: 3, Count: 4}); strings.Contains(got, "calendar.") {
					t.Errorf("repeat %q has no text: %q", f, got)
				}
			}
		})
	}
}
