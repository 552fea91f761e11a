package ui

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
)

// classRow finds a pupil's row in the class view.
func classRow(t *testing.T, s *LendingClassScreen, name string) *LendingClassRow {
	t.Helper()
	for _, r := range s.Rows {
		if r.Pupil.Name == name {
			return r
		}
	}
	t.Fatalf("no row for %s (%d rows, %q)", name, len(s.Rows), s.Message.Text)
	return nil
}

func TestLendingClassTeacher(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	u.showLendingClass("")
	u.Wait()
	s, ok := u.screen(lendingClassKey).(*LendingClassScreen)
	if !ok {
		t.Fatal("the class view did not open")
	}
	if strings.Join(s.Class.Options, ",") != "3a" || s.Class.Selected != "3a" {
		t.Errorf("classes offered: %v, chosen %q", s.Class.Options, s.Class.Selected)
	}
	anna, ben := classRow(t, s, "Anna Schmidt"), classRow(t, s, "Ben Becker")
	if anna.Status.Text != "angemeldet, bezahlt" || ben.Status.Text != "angemeldet, noch nicht bezahlt" {
		t.Errorf("states: Anna %q, Ben %q", anna.Status.Text, ben.Status.Text)
	}
	if !strings.Contains(anna.Books.Text, seed.Maths3.Title+": Nr. "+seed.AnnaMaths) || !strings.Contains(anna.Books.Text, seed.Reading3.Title+": fehlt noch") {
		t.Errorf("Anna's books: %q", anna.Books.Text)
	}
	if !strings.Contains(s.Summary.Text, "2 Kinder · 2 angemeldet · 1 bezahlt · 1 Buch ausgegeben") {
		t.Errorf("summary: %q", s.Summary.Text)
	}
	all := texts(u)
	if strings.Contains(all, "€") || strings.Contains(all, seed.References[w.Pupil]) {
		t.Errorf("the class view shows money or references to a teacher:\n%s", all)
	}

	// The issue list prints.
	test.Tap(s.Print)
	u.Wait()
	opened := w.opened.list()
	if len(opened) != 1 || !strings.HasSuffix(opened[0], ".pdf") {
		t.Fatalf("printed: %v (%q)", opened, s.Message.Text)
	}
	pdf, err := os.ReadFile(opened[0])
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("the issue list is no PDF: %v", err)
	}

	// Another class is not hers: the server's refusal shows, no pupil.
	u.showLendingClass("4b")
	u.Wait()
	s = u.screen(lendingClassKey).(*LendingClassScreen)
	if len(s.Rows) != 0 || !s.Message.Visible() || s.Message.Text == "" || s.Print.Disabled() == false {
		t.Errorf("4b for the teacher of 3a: %d rows, message %q, print enabled %v", len(s.Rows), s.Message.Text, !s.Print.Disabled())
	}
	if strings.Contains(texts(u), "Clara") {
		t.Error("the teacher of 3a sees a pupil of 4b")
	}
}

// TestLendingClassStaff: the secretary picks any class and still sees no
// amounts in the class view.
func TestLendingClassStaff(t *testing.T) {
	w := newWorld(t)
	w.seedLending()
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Secretary)
	u.showLendingClass("4b")
	u.Wait()
	s := u.screen(lendingClassKey).(*LendingClassScreen)
	if len(s.Class.Options) < 2 || s.Class.Selected != "4b" {
		t.Errorf("classes: %v, chosen %q", s.Class.Options, s.Class.Selected)
	}
	clara := classRow(t, s, "Clara Roth")
	if clara.Status.Text != "nicht angemeldet" {
		t.Errorf("Clara: %q", clara.Status.Text)
	}
	s.Class.SetSelected("3a")
	u.Wait()
	classRow(t, s, "Ben Becker")
	if strings.Contains(texts(u), "€") {
		t.Error("the class view shows amounts")
	}
}

// TestLendingMoneyClassTools: the lending screen offers the money desk to
// the lending staff only and the class view to the class teacher too.
func TestLendingMoneyClassTools(t *testing.T) {
	w := newWorld(t)
	w.seedLending()
	u, k := openKioskAs(t, w, w.Secretary)
	if k.Tools[lendingMoneyKey] == nil || k.Tools[lendingClassKey] == nil {
		t.Fatalf("secretary's tools: %v", k.Tools)
	}
	test.Tap(k.Tools[lendingMoneyKey])
	u.Wait()
	if _, ok := u.screen(lendingMoneyKey).(*LendingMoneyScreen); !ok {
		t.Error("the money tool opened no money screen")
	}
	tu, tk := openKioskAs(t, w, w.Teacher)
	if tk.Tools[lendingMoneyKey] != nil || tk.Tools[lendingClassKey] == nil {
		t.Fatalf("teacher's tools: %v", tk.Tools)
	}
	test.Tap(tk.Tools[lendingClassKey])
	tu.Wait()
	s, ok := tu.screen(lendingClassKey).(*LendingClassScreen)
	if !ok || s.State == nil || s.State.Class != "3a" {
		t.Errorf("the class tool: %v", ok)
	}
}
