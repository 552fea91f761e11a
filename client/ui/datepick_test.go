package ui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
)

// The calendar button beside the homework's due date: it opens the month
// of the date in the field, a tapped day goes into the field as if typed
// (the editor's weekday line follows), and the month closes.
func TestDatePickInHomeworkEditor(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	s := hwOpen(t, u)
	test.Tap(s.New)
	u.Wait()
	e := s.Editor
	if e == nil || e.DuePick == nil {
		t.Fatal("no editor with a date button")
	}
	due, ok := calInputDate(e.Due.Text)
	if !ok {
		t.Fatalf("the due field holds no date: %q", e.Due.Text)
	}
	test.Tap(e.DuePick.Button)
	cal := e.DuePick.Calendar
	if cal == nil || len(u.win.Canvas().Overlays().List()) == 0 {
		t.Fatal("the month did not open")
	}
	// A day of the month shown (the due date's): the 28th exists in every month.
	var day *widget.Button
	for _, o := range test.LaidOutObjects(cal) {
		if b, ok := o.(*widget.Button); ok && b.Text == "28" {
			day = b
		}
	}
	if day == nil {
		t.Fatal("no day 28 in the month")
	}
	test.Tap(day)
	want := "28." + due.Format("01.2006")
	if e.Due.Text != want {
		t.Errorf("the field after choosing the 28th: %q, want %q", e.Due.Text, want)
	}
	if e.DuePick.Calendar != nil || len(u.win.Canvas().Overlays().List()) != 0 {
		t.Error("the month stayed open")
	}
	if !strings.Contains(e.DueDay.Text, strconv.Itoa(28)) {
		t.Errorf("the weekday line did not follow: %q", e.DueDay.Text)
	}
}
