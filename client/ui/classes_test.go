package ui

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
	"kaspel/shared/wire"
)

// openClasses logs the fixture's teacher (class 3a) in and opens the
// class tool.
func openClasses(t *testing.T, w *world) (*UI, *ClassesScreen) {
	t.Helper()
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	if u.Home.Tiles["admin"] != nil {
		t.Error("a teacher has the admin tile")
	}
	tl := u.Home.Tiles["classes"]
	if tl == nil {
		t.Fatal("the teacher has no class tile")
	}
	test.Tap(tl)
	u.Wait()
	s, ok := u.screen("classes").(*ClassesScreen)
	if !ok {
		t.Fatal("the class tile opened no class screen")
	}
	return u, s
}

func rowNames(s *ClassesScreen) []string {
	var out []string
	for _, r := range s.Rows {
		out = append(out, r.Name.Text)
	}
	return out
}

func TestTeacherClassList(t *testing.T) {
	w := newWorld(t)
	u, s := openClasses(t, w)
	if s.Class.Selected != "3a" {
		t.Errorf("class chosen: %q, want 3a", s.Class.Selected)
	}
	if got, want := rowNames(s), []string{"Ben Becker", "Anna Schmidt"}; !slices.Equal(got, want) {
		t.Errorf("class list: got %v, want %v (message %q)", got, want, s.Message.Text)
	}
	if strings.Contains(texts(u), "Clara") {
		t.Error("a child of 4b is on the teacher's screen")
	}
	if s.PrintSelected.Disabled() == false {
		t.Error("printing for nobody selected is possible")
	}

	// new slips for the whole class
	test.Tap(s.PrintClass)
	if !s.Confirm.Asking() {
		t.Fatal("new passwords for the class without asking")
	}
	if len(w.opened.list()) != 0 {
		t.Fatal("printed before the confirmation")
	}
	test.Tap(s.Confirm.Yes)
	u.Wait()
	path := wantPDF(t, w, 1)
	if !strings.HasPrefix(filepath.Base(path), "passwoerter-3a") {
		t.Errorf("slip file name: %s", path)
	}
	for _, login := range []string{w.Pupil, w.Pupil2} {
		if code := loginCode(t, w, login, pupilPW); code != wire.CodeWrongCredentials {
			t.Errorf("%s's old password after the class slips: %q, want refused", login, code)
		}
	}
	if code := loginCode(t, w, w.OtherPupil, pupilPW); code != "" {
		t.Errorf("a child of another class lost the password: %s", code)
	}
	if !strings.Contains(s.Rows[0].State.Text, "Einmal-Passwort") {
		t.Errorf("row state after the slips: %q", s.Rows[0].State.Text)
	}

	// one child: the password on the screen
	anna := s.Rows[1]
	test.Tap(anna.Reset)
	test.Tap(s.Confirm.Yes)
	u.Wait()
	onetime := s.OneTime.Shown()
	if onetime == "" {
		t.Fatalf("no password shown; message %q", s.Message.Text)
	}
	if code := loginCode(t, w, w.Pupil, onetime); code != "" {
		t.Errorf("the shown password: %s", code)
	}
	test.Tap(s.OneTime.Print)
	u.Wait()
	wantPDF(t, w, 2)

	// the children ticked
	test.Tap(s.Rows[0].Pick)
	if s.PrintSelected.Disabled() {
		t.Fatal("printing for the ticked child is not possible")
	}
	test.Tap(s.PrintSelected)
	test.Tap(s.Confirm.Yes)
	u.Wait()
	wantPDF(t, w, 3)
	if s.OneTime.Shown() != "" {
		t.Error("the earlier child's password stays on the screen")
	}
}

func TestClassesTileOnlyForClassTeachers(t *testing.T) {
	w := newWorld(t)
	for _, login := range []string{w.Pupil, w.Secretary, w.Admin} {
		u := w.newUI(config.ModeStaff)
		w.loggedIn(u, login)
		if u.Home.Tiles["classes"] != nil {
			t.Errorf("%s has the class tile", login)
		}
	}
}
