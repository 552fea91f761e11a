package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

func TestProtocolViewer(t *testing.T) {
	w := newWorld(t)
	if err := w.rig.Dir.SetRight(ctx, testrig.Admin, w.Secretary, "protocol", true); err != nil {
		t.Fatal(err)
	}
	// something to read: a pupil's login here, a failed one of another
	pu := w.newUI(config.ModeStaff)
	w.loggedIn(pu, w.Pupil)
	if pu.Home.Tiles["protocol"] != nil {
		t.Error("a pupil has the protocol tile")
	}
	if loginCode(t, w, w.Pupil2, "Falsch-123!") == "" {
		t.Fatal("a wrong password logged in")
	}
	w.rig.FlushAudit()

	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Secretary)
	tl := u.Home.Tiles["protocol"]
	if tl == nil {
		t.Fatal("the holder of the protocol right has no protocol tile")
	}
	test.Tap(tl)
	u.Wait()
	s, ok := u.screen("protocol").(*ProtocolScreen)
	if !ok {
		t.Fatal("the tile opened no protocol screen")
	}
	found := false
	for _, e := range s.entries {
		if e.Action == "login" && e.Target == w.Pupil && e.Success && e.Computer == "PC-07" {
			found = true
		}
	}
	if !found {
		t.Errorf("no line of the pupil's login in %d entries; message %q", len(s.entries), s.Message.Text)
	}
	if !slices.IsSortedFunc(s.entries, func(a, b wire.ProtocolEntry) int { return b.At.Compare(a.At) }) {
		t.Error("the entries are not newest first")
	}
	if !strings.Contains(s.Count.Text, "Einträge") {
		t.Errorf("count: %q", s.Count.Text)
	}
	if !strings.Contains(texts(u), "Anmeldung · "+w.Pupil) {
		t.Errorf("the list shows no login line:\n%s", texts(u))
	}

	// only the failed logins of one child
	test.Type(s.Login, w.Pupil2)
	s.Kind.SetSelected("Anmeldungen")
	test.Tap(s.Show)
	u.Wait()
	if len(s.entries) == 0 {
		t.Fatalf("filter by login: nothing; message %q", s.Message.Text)
	}
	for _, line := range s.Lines() {
		if !strings.Contains(line, "Anmeldung · "+w.Pupil2+" · ✘ fehlgeschlagen") {
			t.Errorf("filtered by %s and logins: %q", w.Pupil2, line)
		}
	}

	// dates: a range before the test, and a date typed wrong
	s.To.SetText(time.Now().AddDate(0, 0, -2).Format("02.01.2006"))
	test.Tap(s.Show)
	u.Wait()
	if len(s.entries) != 0 || s.Count.Text != "Keine Einträge zu diesen Filtern." {
		t.Errorf("until two days ago: %d entries, count %q", len(s.entries), s.Count.Text)
	}
	s.From.SetText("gestern")
	test.Tap(s.Show)
	u.Wait()
	if !strings.Contains(s.Message.Text, "kein Datum") {
		t.Errorf("a wrong date: message %q", s.Message.Text)
	}
	test.Tap(s.Clear)
	u.Wait()
	if s.Login.Text != "" || len(s.entries) == 0 {
		t.Errorf("after clearing the filters: login %q, %d entries", s.Login.Text, len(s.entries))
	}
}

func TestProtocolTileNeedsTheRight(t *testing.T) {
	w := newWorld(t)
	// admins do not have it by default
	for _, login := range []string{w.Admin, w.Teacher, w.Pupil} {
		u := w.newUI(config.ModeStaff)
		w.loggedIn(u, login)
		if u.Home.Tiles["protocol"] != nil {
			t.Errorf("%s has the protocol tile without the right", login)
		}
	}
}
