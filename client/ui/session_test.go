package ui

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/password"
	"kaspel/shared/wire"
)

func TestTranslationsComplete(t *testing.T) {
	missing, err := missingKeys()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Errorf("translation missing: %s", m)
	}
	// every key the code uses exists (German is checked; the line above
	// makes English complete)
	de, _ := translations("de")
	for _, key := range usedKeys(t) {
		if _, ok := de[key]; !ok {
			t.Errorf("key %q is used in the code but not translated", key)
		}
	}
}

func TestLoginOK(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModeStaff)
	if got := u.Login.School.Text; got != testrig.School {
		t.Errorf("school on the login screen: got %q, want %q", got, testrig.School)
	}
	w.loggedIn(u, w.Pupil)
	if u.Session().User.Login != w.Pupil {
		t.Errorf("session user: got %q", u.Session().User.Login)
	}
	// every module tile the client has, for the modules the school has on
	on := map[string]bool{}
	for _, m := range u.Session().Modules {
		on[m] = true
	}
	for _, tl := range tiles {
		if tl.module && on[tl.key] && (tl.visible == nil || tl.visible(u.Session())) && u.Home.Tiles[tl.key] == nil {
			t.Errorf("home: no tile for %s", tl.key)
		}
	}
	if u.Home.Tiles["settings"] == nil {
		t.Error("home: no settings tile")
	}
	if u.Home.Tiles["admin"] != nil {
		t.Error("a pupil got the admin tile")
	}
	if !strings.Contains(texts(u), "Hallo Anna") {
		t.Errorf("home greeting missing:\n%s", texts(u))
	}
	// the login went to the protocol with the computer's name
	w.rig.FlushAudit()
	var computer string
	w.rig.DB.R.QueryRow(`SELECT computer FROM audit WHERE action = 'login' AND target = ? AND success = 1`, w.Pupil).Scan(&computer)
	if computer != "PC-07" {
		t.Errorf("computer in the protocol: got %q, want PC-07", computer)
	}
}

func TestLoginRefusals(t *testing.T) {
	w := newWorld(t)
	if err := w.rig.Dir.Lock(ctx, testrig.Admin, w.Pupil2, "Regelverstoß"); err != nil {
		t.Fatal(err)
	}
	u := w.newUI(config.ModeStaff)
	tests := []struct {
		name, login, password, want string
	}{
		{"wrong password", w.Pupil, "Falsch-123!", "Login oder Passwort stimmt nicht"},
		{"unknown login", "niemand.da", "Falsch-123!", "Login oder Passwort stimmt nicht"},
		{"locked", w.Pupil2, pupilPW, "Wende dich an"},
		{"empty", "", "", "Bitte gib deinen Login und dein Passwort ein"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u.Login.Login.SetText("")
			u.Login.Password.SetText("")
			w.login(u, tt.login, tt.password)
			if u.Session() != nil {
				t.Fatal("logged in")
			}
			if !strings.Contains(u.Login.Message.Text, tt.want) {
				t.Errorf("message: got %q, want it to contain %q", u.Login.Message.Text, tt.want)
			}
			if u.Login.Login.Text != tt.login {
				t.Errorf("typed login: got %q, want it kept (%q)", u.Login.Login.Text, tt.login)
			}
			if u.Login.Password.Text != "" {
				t.Error("the password stayed in the field")
			}
		})
	}
}

func TestServerDownThenUp(t *testing.T) {
	w := newWorld(t)
	// A real client pointed at a port nobody listens on, then at the server.
	dead, err := serverapi.NewWithPool("https://127.0.0.1:1", w.rig.CAPool)
	if err != nil {
		t.Fatal(err)
	}
	sw := &switchClient{Client: dead}
	u := w.newUIWith(sw, config.ModeStaff)
	w.login(u, w.Pupil, pupilPW)
	if u.Session() != nil || !strings.Contains(u.Login.Message.Text, "nicht erreichbar") {
		t.Fatalf("server down: session %v, message %q", u.Session(), u.Login.Message.Text)
	}
	if u.Login.Login.Text != w.Pupil {
		t.Errorf("the typed login was lost: %q", u.Login.Login.Text)
	}
	sw.set(w.client())
	// The login is still there: only the password again, and the same button.
	test.Type(u.Login.Password, pupilPW)
	test.Tap(u.Login.Submit)
	u.Wait()
	if u.Home == nil {
		t.Fatalf("server up again: no home screen; message %q", u.Login.Message.Text)
	}
}

func TestMustChangePassword(t *testing.T) {
	w := newWorld(t)
	p, onetime, err := w.rig.Dir.AddPerson(ctx, testrig.Admin, directory.NewPerson{FirstName: "Max", LastName: "Neu", Role: directory.Pupil, Classes: []string{"3a"}})
	if err != nil {
		t.Fatal(err)
	}
	u := w.newUI(config.ModeStaff)
	w.login(u, p.Login, onetime)
	s := u.Password
	if s == nil || s.Old != nil {
		t.Fatalf("after the login with a one-time password: want the forced change screen without an old-password field, got %+v", s)
	}
	if u.Home != nil || u.homeBtn.Visible() {
		t.Error("a way around the forced change: home is there")
	}
	// the checklist follows the typing, the button only when all holds
	test.Type(s.New, "sonne")
	if !strings.HasPrefix(s.Rules[password.RuleUpper].Text, "✘") || !strings.HasPrefix(s.Rules[password.RuleLower].Text, "✔") {
		t.Errorf("checklist after 'sonne': upper %q, lower %q", s.Rules[password.RuleUpper].Text, s.Rules[password.RuleLower].Text)
	}
	if !s.Submit.Disabled() {
		t.Error("submit enabled for a weak password")
	}
	s.New.SetText("")
	test.Type(s.New, "Sonne-Mond-42")
	test.Type(s.Repeat, "Sonne-Mond-41")
	if !s.Submit.Disabled() {
		t.Error("submit enabled although the repetition differs")
	}
	s.Repeat.SetText("")
	test.Type(s.Repeat, "Sonne-Mond-42")
	for r, l := range s.Rules {
		if !strings.HasPrefix(l.Text, "✔") {
			t.Errorf("rule %s not ticked: %q", r, l.Text)
		}
	}
	if s.Submit.Disabled() {
		t.Fatal("submit disabled for a good password")
	}
	test.Tap(s.Submit)
	u.Wait()
	if u.Home == nil {
		t.Fatalf("after the change: no home; message %q", s.Message.Text)
	}
	if _, err := w.client().Login(ctx, p.Login, "Sonne-Mond-42", ""); err != nil {
		t.Errorf("the new password does not log in: %v", err)
	}
}

func TestIdleLogoutClearsEverything(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModePCRoom)
	if !u.win.FullScreen() {
		t.Error("the PC-room gate is not full screen")
	}
	w.loggedIn(u, w.Pupil)
	if u.win.FullScreen() {
		t.Error("after the login the PC-room window should be a normal window")
	}
	token := u.api.(*serverapi.Client).Token()
	// something of the pupil's on the computer and on the screen
	path, err := u.saveFile("aufsatz.txt", func(wr io.Writer) error { _, err := wr.Write([]byte("mein Aufsatz")); return err })
	if err != nil {
		t.Fatal(err)
	}
	u.showSettings()
	if u.screen("settings") == nil {
		t.Fatal("settings screen not remembered")
	}
	// a dialog of the pupil's left open
	dialog.ShowInformation("Entwurf", "Liebe Clara, mein Geheimnis ist …", u.win)
	if len(u.win.Canvas().Overlays().List()) == 0 {
		t.Fatal("the dialog did not open")
	}

	w.clock.add(9*time.Minute + 30*time.Second)
	u.gate.tick()
	if !strings.Contains(u.gate.Warning.Text, "30 Sekunden") || len(u.notice.Objects) == 0 {
		t.Errorf("countdown: got %q, want 30 seconds shown", u.gate.Warning.Text)
	}
	test.Tap(u.gate.StayHere) // the pupil is still there
	if len(u.notice.Objects) != 0 {
		t.Error("the countdown stayed after 'Ich bin noch da'")
	}
	u.gate.tick()
	if u.Session() == nil {
		t.Fatal("logged out although the pupil said they are there")
	}

	w.clock.add(10 * time.Minute)
	u.gate.tick()
	u.Wait()
	if u.Session() != nil {
		t.Fatal("still logged in after 10 idle minutes")
	}
	if !strings.Contains(u.Login.Message.Text, "abgemeldet") {
		t.Errorf("message after the idle logout: %q", u.Login.Message.Text)
	}
	if !u.win.FullScreen() {
		t.Error("the gate did not come back full screen")
	}
	if len(u.screens) != 0 || u.Home != nil || u.Password != nil {
		t.Errorf("screens left after the logout: %v", u.screens)
	}
	if u.Login.Login.Text != "" || u.Login.Password.Text != "" || u.userName.Text != "" {
		t.Error("the pupil's login or name is still on the screen")
	}
	if n := len(u.win.Canvas().Overlays().List()); n != 0 {
		t.Errorf("%d dialogs of the pupil's still over the login", n)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the pupil's file %s is still there: %v", filepath.Base(path), err)
	}
	// the session is over on the server too
	c := w.client()
	c.SetToken(token)
	if _, err := c.Session(ctx); serverapi.Code(err) != wire.CodeUnauthenticated {
		t.Errorf("the old session on the server: got %v, want it ended", err)
	}
	// the logout is in the protocol with the computer
	w.rig.FlushAudit()
	var n int
	w.rig.DB.R.QueryRow(`SELECT COUNT(*) FROM audit WHERE action = 'logout' AND target = ? AND computer = 'PC-07'`, w.Pupil).Scan(&n)
	if n != 1 {
		t.Errorf("logout lines in the protocol: %d, want 1", n)
	}
}

func TestGateCannotBeClosed(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModePCRoom)
	u.gate.closeRequested() // the close button of the window manager
	if !u.win.FullScreen() || u.Login == nil {
		t.Error("the gate went away on close")
	}
	w.loggedIn(u, w.Pupil)
	u.gate.closeRequested() // closing the window logs the pupil out
	u.Wait()
	if u.Session() != nil {
		t.Error("closing the window did not log out")
	}
}

func TestLockedWhileLoggedIn(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Pupil)
	if err := w.rig.Dir.Lock(ctx, testrig.Admin, w.Pupil, "Test"); err != nil {
		t.Fatal(err)
	}
	test.Tap(u.Home.Tiles["settings"])
	test.Tap(u.screen("settings").(*SettingsScreen).ChangePassword)
	s := u.Password
	test.Type(s.Old, pupilPW)
	test.Type(s.New, "Neues-Pass-12")
	test.Type(s.Repeat, "Neues-Pass-12")
	test.Tap(s.Submit)
	u.Wait()
	if u.Session() != nil || !strings.Contains(u.Login.Message.Text, "gesperrt") {
		t.Errorf("after a lock: session %v, message %q; want back at the login with the lock named", u.Session(), u.Login.Message.Text)
	}
}

func TestLanguageSwitch(t *testing.T) {
	w := newWorld(t)
	u := w.newUI(config.ModeStaff)
	t.Cleanup(func() { SetLanguage("de") })
	w.loggedIn(u, w.Pupil)
	test.Tap(u.Home.Tiles["settings"])
	u.screen("settings").(*SettingsScreen).Language.SetSelected("English")
	if u.logout.Text != "Log out" {
		t.Errorf("logout button after switching to English: %q", u.logout.Text)
	}
	u.ShowHome()
	if !strings.Contains(texts(u), "Hello Anna") {
		t.Errorf("home in English missing:\n%s", texts(u))
	}
}
