package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
	"kaspel/shared/wire"
)

// abOpen taps the address book tile and waits for the list.
func abOpen(t *testing.T, u *UI) *AddressbookScreen {
	t.Helper()
	if u.Home == nil || u.Home.Tiles[wire.ModuleAddressbook] == nil {
		t.Fatal("no address book tile on the home screen")
	}
	test.Tap(u.Home.Tiles[wire.ModuleAddressbook])
	u.Wait()
	s, ok := u.screen(wire.ModuleAddressbook).(*AddressbookScreen)
	if !ok {
		t.Fatal("the address book is not open")
	}
	return s
}

// abSearch types a search and taps "Suchen"; it returns the logins found.
func abSearch(t *testing.T, u *UI, s *AddressbookScreen, text string) []string {
	t.Helper()
	s.Search.SetText("")
	test.Type(s.Search, text)
	test.Tap(s.Find)
	u.Wait()
	if s.Message.Text != "" {
		t.Fatalf("search %q: message %q", text, s.Message.Text)
	}
	var out []string
	for _, r := range s.Rows {
		out = append(out, r.Entry.Login)
	}
	return out
}

// abOpenEntry taps a person's name in the list and waits for the entry.
func abOpenEntry(t *testing.T, u *UI, s *AddressbookScreen, login string) *AddressEntryView {
	t.Helper()
	r := s.Row(login)
	if r == nil {
		t.Fatalf("%s is not in the list", login)
	}
	test.Tap(r.Open)
	u.Wait()
	if s.Entry == nil {
		t.Fatalf("the entry of %s did not open: %q", login, s.Message.Text)
	}
	return s.Entry
}

// abOpenProfile goes through the settings to the own entry and waits for it.
func abOpenProfile(t *testing.T, u *UI) *ProfileScreen {
	t.Helper()
	u.ShowHome()
	test.Tap(u.Home.Tiles["settings"])
	sec, ok := u.screen("settings.addressbook").(*ProfileSection)
	if !ok {
		t.Fatal("the settings have no address book section")
	}
	test.Tap(sec.Open)
	u.Wait()
	p, ok := u.screen("addressbook.profile").(*ProfileScreen)
	if !ok {
		t.Fatal("the own entry did not open")
	}
	if p.Message.Text != "" || p.Save.Disabled() {
		t.Fatalf("the profile did not load: %q", p.Message.Text)
	}
	return p
}

// abExtras lists the keys an entry view shows beyond name, role, class, mail.
func abExtras(v *AddressEntryView) []string {
	var out []string
	for k := range v.Extras {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestAddressbookSearchAndVisibility(t *testing.T) {
	w := newWorld(t)

	// The teacher fills in the own entry in the settings: the phone for
	// everyone, the room for the staff, the mobile for nobody.
	teacher := w.newUI(config.ModeStaff)
	w.loggedIn(teacher, w.Teacher)
	p := abOpenProfile(t, teacher)
	for _, k := range []string{"phone", "mobile", "room", "hours"} {
		if p.Values[k] == nil || p.Visibility[k] == nil {
			t.Fatalf("the profile has no field %s", k)
		}
		if got := p.Visibility[k].Options; !slices.Equal(got, []string{"nur ich", "Lehrkräfte und Sekretariat", "alle"}) {
			t.Errorf("choices for %s: %v", k, got)
		}
	}
	if p.Note.Visible() {
		t.Errorf("a teacher is told about an allowance: %q", p.Note.Text)
	}
	test.Type(p.Values["phone"], "05121 12345-67 abc")
	p.Choose("phone", wire.VisibilityAll)
	test.Type(p.Values["mobile"], "0170 1234567")
	p.Choose("mobile", wire.VisibilityHidden)
	test.Type(p.Values["room"], "Raum 12")
	p.Visibility["room"].SetSelected("Lehrkräfte und Sekretariat")
	test.Tap(p.Save)
	teacher.Wait()
	if !strings.Contains(p.Message.Text, "darf nur Ziffern") {
		t.Fatalf("a wrong phone number: message %q, want the server's German answer", p.Message.Text)
	}
	p.Values["phone"].SetText("05121 12345-67")
	test.Tap(p.Save)
	teacher.Wait()
	if !strings.Contains(p.Message.Text, "Gespeichert") {
		t.Fatalf("after saving: %q", p.Message.Text)
	}
	c := w.client()
	if _, err := c.Login(ctx, w.Teacher, teacherPW, ""); err != nil {
		t.Fatal(err)
	}
	prof, err := c.AddressbookProfile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{"phone": {"05121 12345-67", "all"}, "mobile": {"0170 1234567", "hidden"},
		"room": {"Raum 12", "staff"}, "hours": {"", "hidden"}}
	for _, f := range prof.Fields {
		if got := [2]string{f.Value, f.Visibility}; got != want[f.Key] {
			t.Errorf("saved %s: got %v, want %v", f.Key, got, want[f.Key])
		}
	}

	// A pupil searches by name and by class and opens the teacher.
	pupil := w.newUI(config.ModeStaff)
	w.loggedIn(pupil, w.Pupil)
	s := abOpen(t, pupil)
	if len(s.Rows) < 6 {
		t.Errorf("the first page lists %d people, want everyone", len(s.Rows))
	}
	found := abSearch(t, pupil, s, "Lehmann")
	if !slices.Equal(found, []string{w.Teacher}) {
		t.Errorf("search Lehmann: got %v, want %v", found, []string{w.Teacher})
	}
	r := s.Row(w.Teacher)
	if r == nil || r.Role.Text != "Lehrkraft" || r.Classes.Text != "3a" || !strings.Contains(r.Mail.Text, "@") || r.Open.Text != "Tina Lehmann" {
		t.Errorf("the teacher's row: %+v", r)
	}
	found = abSearch(t, pupil, s, "3a")
	slices.Sort(found)
	want3a := []string{w.Pupil, w.Pupil2, w.Teacher}
	slices.Sort(want3a)
	if !slices.Equal(found, want3a) {
		t.Errorf("search 3a: got %v, want %v", found, want3a)
	}
	if s.Count.Text != "3 gefunden" {
		t.Errorf("count: %q", s.Count.Text)
	}
	if got := abSearch(t, pupil, s, "Niemand Sonst"); len(got) != 0 || !strings.Contains(s.Count.Text, "Niemand gefunden") {
		t.Errorf("a search without matches: %v, %q", got, s.Count.Text)
	}
	s.Search.SetText("")
	s.Role.SetSelected("Lehrkräfte")
	pupil.Wait()
	if got := abSearch(t, pupil, s, ""); !slices.Equal(got, []string{w.Teacher}) {
		t.Errorf("the teachers: got %v", got)
	}
	s.Role.SetSelected("Alle")
	pupil.Wait()

	abSearch(t, pupil, s, "Tina")
	v := abOpenEntry(t, pupil, s, w.Teacher)
	if got := abExtras(v); !slices.Equal(got, []string{"phone"}) {
		t.Errorf("the pupil sees %v of the teacher, want only the phone", got)
	} else if v.Extras["phone"].Text != "05121 12345-67" {
		t.Errorf("the phone: %q", v.Extras["phone"].Text)
	}
	if v.Name.Text != "Tina Lehmann" || v.Role.Text != "Lehrkraft" || v.Classes.Text != "3a" {
		t.Errorf("entry: %q %q %q", v.Name.Text, v.Role.Text, v.Classes.Text)
	}
	test.Tap(v.Back)
	if s.Entry != nil {
		t.Error("back did not close the entry")
	}

	// The secretary also sees the room, not the mobile.
	sec := w.newUI(config.ModeStaff)
	w.loggedIn(sec, w.Secretary)
	ss := abOpen(t, sec)
	abSearch(t, sec, ss, "tina")
	if got := abExtras(abOpenEntry(t, sec, ss, w.Teacher)); !slices.Equal(got, []string{"phone", "room"}) {
		t.Errorf("the secretary sees %v of the teacher, want phone and room", got)
	}

	// The teacher hides the phone again: the pupil no longer sees it.
	p = abOpenProfile(t, teacher)
	if p.Values["phone"].Text != "05121 12345-67" || p.Visibility["phone"].Selected != "alle" {
		t.Errorf("the settings show phone %q for %q", p.Values["phone"].Text, p.Visibility["phone"].Selected)
	}
	p.Choose("phone", wire.VisibilityHidden)
	test.Tap(p.Save)
	teacher.Wait()
	if !strings.Contains(p.Message.Text, "Gespeichert") {
		t.Fatalf("after saving: %q", p.Message.Text)
	}
	abSearch(t, pupil, s, "Tina")
	v = abOpenEntry(t, pupil, s, w.Teacher)
	if got := abExtras(v); len(got) != 0 || !v.Nothing.Visible() {
		t.Errorf("after hiding the phone the pupil sees %v", got)
	}

	// A pupil's own section says that the school must allow it first.
	pp := abOpenProfile(t, pupil)
	if !pp.Note.Visible() || !strings.Contains(pp.Note.Text, "erlaubt") {
		t.Errorf("the pupil's note: visible %v, %q", pp.Note.Visible(), pp.Note.Text)
	}
}
