package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
)

// TestCalendarChangeOccurrence: a teacher moves one lesson of a weekly
// series of the class ("Nur diesen Termin ändern"); the server's refusal
// shows in the editor without losing what was typed; the month shows the
// moved lesson, the other lessons stay; a pupil has no such button.
func TestCalendarChangeOccurrence(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	s := calOpen(t, u)

	// Sport every Monday from 2 November, 8:00–8:45, in class 3a.
	e := calNewEvent(t, s, calTestDay(11, 2))
	test.Type(e.Title, "Sport")
	e.Calendar.SetSelected("Klasse 3a")
	calRetype(e.StartTime, "8:00")
	calRetype(e.EndTime, "8:45")
	e.Repeat.SetSelected("jede Woche")
	calSave(t, u, s, e)

	v := calOpenOn(t, u, s, calTestDay(11, 16), "Sport")
	if !v.ChangeOne.Visible() || !v.DeleteOne.Visible() || v.ChangeOne.Text != "Nur diesen Termin ändern" {
		t.Fatalf("event view of a series: change one %v %q, delete one %v", v.ChangeOne.Visible(), v.ChangeOne.Text, v.DeleteOne.Visible())
	}
	test.Tap(v.ChangeOne)
	e = s.Editor
	if e == nil || e.occurrence == nil {
		t.Fatal("the editor for one day did not open")
	}
	if e.Title.Text != "Sport" || e.StartDate.Text != "16.11.2026" || e.EndDate.Text != "" || e.StartTime.Text != "08:00" ||
		e.EndTime.Text != "08:45" || e.Calendar.Selected != "Klasse 3a" {
		t.Errorf("the editor is not filled with the day: %v, calendar %q", e, e.Calendar.Selected)
	}
	if e.repeatRow.Visible() || e.untilRow.Visible() {
		t.Error("the editor for one day shows the repeat")
	}

	// Only the start moved: the server says the end is before it; the
	// editor stays with what was typed.
	calRetype(e.StartTime, "10:00")
	calRetype(e.Location, "Sportplatz")
	test.Tap(e.Save)
	u.Wait()
	if s.Editor != e || !strings.Contains(e.Message.Text, "Das Ende muss nach dem Beginn liegen") {
		t.Fatalf("end before start: editor open %v, message %q", s.Editor == e, e.Message.Text)
	}
	if e.StartTime.Text != "10:00" || e.Location.Text != "Sportplatz" || e.Title.Text != "Sport" || e.Save.Disabled() {
		t.Errorf("after the refusal the editor lost what was typed: %v, location %q", e, e.Location.Text)
	}
	calRetype(e.EndTime, "10:45")
	calSave(t, u, s, e)
	if !strings.Contains(s.Message.Text, "geändert") {
		t.Errorf("message after saving: %q", s.Message.Text)
	}

	if c := calCell(t, s, calTestDay(11, 16)); !calHasChip(c, "10:00 Sport") || calHasChip(c, "08:00 Sport") {
		t.Errorf("16 November shows %v, want Sport at 10:00 only", calChipTexts(c))
	}
	for _, d := range []int{2, 9, 23, 30} {
		if c := calCell(t, s, calTestDay(11, d)); !calHasChip(c, "08:00 Sport") || calHasChip(c, "10:00 Sport") {
			t.Errorf("%d November shows %v, want Sport at 8:00", d, calChipTexts(c))
		}
	}
	// The moved lesson is a single event: no day of it to change.
	v = calOpenOn(t, u, s, calTestDay(11, 16), "Sport")
	if v.ChangeOne.Visible() || v.DeleteOne.Visible() || !strings.Contains(v.When.Text, "10:00") || !strings.Contains(v.Location.Text, "Sportplatz") {
		t.Errorf("the moved lesson: change one %v, when %q, location %q", v.ChangeOne.Visible(), v.When.Text, v.Location.Text)
	}
	test.Tap(v.Back)

	// The pupil of 3a sees the move and cannot change a day.
	pupil := w.newUI(config.ModeStaff)
	w.loggedIn(pupil, w.Pupil)
	ps := calOpen(t, pupil)
	if c := calCell(t, ps, calTestDay(11, 16)); !calHasChip(c, "10:00 Sport") || calHasChip(c, "08:00 Sport") {
		t.Errorf("the pupil's 16 November shows %v", calChipTexts(c))
	}
	pv := calOpenOn(t, pupil, ps, calTestDay(11, 23), "Sport")
	if pv.ChangeOne.Visible() || pv.DeleteOne.Visible() {
		t.Error("a pupil may change one day of the class's series")
	}
}
