package ui

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// openAdmin logs the fixture's admin in and opens the admin screen.
func openAdmin(t *testing.T, w *world) (*UI, *AdminScreen) {
	t.Helper()
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Admin)
	tl := u.Home.Tiles["admin"]
	if tl == nil {
		t.Fatal("the admin has no admin tile")
	}
	test.Tap(tl)
	u.Wait()
	s, ok := u.screen("admin").(*AdminScreen)
	if !ok {
		t.Fatal("the admin tile opened no admin screen")
	}
	if len(s.People.people) == 0 {
		t.Fatalf("the people list is empty; message %q", s.People.Message.Text)
	}
	return u, s
}

// openPerson finds a login with the search field and opens it.
func openPerson(t *testing.T, u *UI, s *AdminScreen, login string) *PersonDetail {
	t.Helper()
	p := s.People
	switch {
	case p.Detail != nil:
		test.Tap(p.Detail.Back)
	case p.Create != nil:
		test.Tap(p.Create.Back)
	}
	u.Wait()
	p.Search.SetText("")
	test.Type(p.Search, login)
	if got := p.Shown(); len(got) != 1 || got[0] != login {
		t.Fatalf("search for %s: got %v", login, got)
	}
	p.List.Select(0)
	u.Wait()
	d := p.Detail
	if d == nil || !d.loaded {
		t.Fatalf("no detail view of %s", login)
	}
	return d
}

// wantPDF checks that the last file handed to the viewer is a PDF.
func wantPDF(t *testing.T, w *world, count int) string {
	t.Helper()
	opened := w.opened.list()
	if len(opened) != count {
		t.Fatalf("files opened for printing: got %d (%v), want %d", len(opened), opened, count)
	}
	path := opened[count-1]
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("%PDF")) {
		t.Errorf("%s is no PDF: starts with %q", filepath.Base(path), data[:min(len(data), 8)])
	}
	return path
}

// pdfText is the text a PDF draws (fpdf compresses its page streams).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, m := range pdfStream.FindAllSubmatch(data, -1) {
		r, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		text, _ := io.ReadAll(r)
		b.Write(text)
	}
	return b.String()
}

var pdfStream = regexp.MustCompile(`(?s)stream\r?\n(.*?)endstream`)

// loginCode is the error code of a login with the API ("" if it works).
func loginCode(t *testing.T, w *world, login, password string) string {
	t.Helper()
	_, err := w.client().Login(ctx, login, password, "")
	if err != nil && serverapi.Code(err) == "" {
		t.Fatalf("login %s: %v", login, err)
	}
	return serverapi.Code(err)
}

func TestAdminResetThenForcedChange(t *testing.T) {
	w := newWorld(t)
	u, s := openAdmin(t, w)
	d := openPerson(t, u, s, w.Pupil)
	if d.Heading.Text != "Anna Schmidt" {
		t.Errorf("detail heading: got %q", d.Heading.Text)
	}

	test.Tap(d.Reset)
	if !d.ResetConfirm.Asking() {
		t.Fatal("the reset did not ask first")
	}
	if d.OneTime.Shown() != "" {
		t.Fatal("a password before the confirmation")
	}
	test.Tap(d.ResetConfirm.Yes)
	u.Wait()
	onetime := d.OneTime.Shown()
	if onetime == "" {
		t.Fatalf("no one-time password shown; message %q", d.Message.Text)
	}
	if d.OneTime.Password.Text != onetime || !strings.Contains(texts(u), onetime) {
		t.Error("the one-time password is not on the screen")
	}
	// the slip is the password shown: printing renders it, no second reset
	test.Tap(d.OneTime.Print)
	u.Wait()
	if slip := pdfText(t, wantPDF(t, w, 1)); !strings.Contains(slip, "("+onetime+")") || !strings.Contains(slip, "("+w.Pupil+")") {
		t.Errorf("the slip does not hold the login and the password shown:\n%s", slip)
	}
	if code := loginCode(t, w, w.Pupil, pupilPW); code != wire.CodeWrongCredentials {
		t.Errorf("the old password after the reset: got %q, want it refused", code)
	}

	// The child logs in with it and must choose an own password first.
	pu := w.newUI(config.ModeStaff)
	w.login(pu, w.Pupil, onetime)
	ps := pu.Password
	if ps == nil || !ps.forced || ps.Old != nil {
		t.Fatalf("login with the one-time password: want the forced change, got %+v (message %q)", ps, pu.Login.Message.Text)
	}
	if pu.Home != nil {
		t.Error("home before the forced change")
	}
	test.Type(ps.New, "Sonne-Mond-42")
	test.Type(ps.Repeat, "Sonne-Mond-42")
	test.Tap(ps.Submit)
	pu.Wait()
	if pu.Home == nil {
		t.Fatalf("after the change: no home; message %q", ps.Message.Text)
	}
	if code := loginCode(t, w, w.Pupil, "Sonne-Mond-42"); code != "" {
		t.Errorf("the chosen password: %s", code)
	}
}

func TestAdminCreatePerson(t *testing.T) {
	w := newWorld(t)
	u, s := openAdmin(t, w)
	test.Tap(s.People.New)
	f := s.People.Create
	if f == nil {
		t.Fatal("no create form")
	}
	test.Tap(f.Create)
	if !strings.Contains(f.Message.Text, "Vor- und Nachnamen") {
		t.Errorf("create without names: message %q", f.Message.Text)
	}
	test.Type(f.FirstName, "Mia")
	test.Type(f.LastName, "Neumann")
	f.Role.SetSelected("Schüler/in")
	test.Type(f.Class, "2b")
	test.Tap(f.Create)
	u.Wait()
	onetime, login := f.OneTime.Shown(), f.created
	if onetime == "" || login == "" {
		t.Fatalf("created: password %q, login %q; message %q", onetime, login, f.Message.Text)
	}
	if f.FirstName.Text != "" {
		t.Error("the form keeps the last names")
	}
	sess, err := w.client().Login(ctx, login, onetime, "")
	if err != nil {
		t.Fatalf("the shown one-time password does not log in: %v", err)
	}
	if !sess.MustChangePassword {
		t.Error("a new account need not change its password")
	}
	det, err := w.rig.Dir.Details(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	if det.FirstName != "Mia" || det.Role != directory.Pupil {
		t.Errorf("created on the server: %+v", det.Person)
	}
	// the list knows the new person when coming back
	test.Tap(f.Back)
	u.Wait()
	s.People.Search.SetText("")
	test.Type(s.People.Search, "mia")
	if got := s.People.Shown(); !slices.Contains(got, login) {
		t.Errorf("the list after creating: %v, want %s in it", got, login)
	}
	// a second person through "Zur Person" (the detail view) shows the class
	test.Tap(s.People.New)
	f = s.People.Create
	if f.OneTime.Shown() != "" {
		t.Error("a new form shows an old password")
	}
}

func TestAdminLockUnlock(t *testing.T) {
	w := newWorld(t)
	u, s := openAdmin(t, w)
	d := openPerson(t, u, s, w.Pupil2)

	test.Tap(d.Lock) // no reason
	u.Wait()
	if d.Message.Text != "Bitte einen Grund für die Sperre angeben." {
		t.Errorf("lock without a reason: message %q", d.Message.Text)
	}
	if d.LockConfirm.Asking() {
		t.Error("a lock without a reason got to the confirmation")
	}
	if p, _ := w.rig.Dir.Person(ctx, w.Pupil2); p.Locked() {
		t.Fatal("locked without a reason")
	}

	test.Type(d.LockReason, "Passwort weitergegeben")
	test.Tap(d.Lock)
	test.Tap(d.LockConfirm.Yes)
	u.Wait()
	if !d.person.Locked || !strings.Contains(d.Status.Text, "Passwort weitergegeben") {
		t.Fatalf("after the lock: locked %v, status %q, message %q", d.person.Locked, d.Status.Text, d.Message.Text)
	}
	if code := loginCode(t, w, w.Pupil2, pupilPW); code != wire.CodeAccountLocked {
		t.Errorf("login when locked: got %q, want %s", code, wire.CodeAccountLocked)
	}
	if d.Unlock.Hidden || !d.lockBox.Hidden {
		t.Error("a locked account shows the lock form instead of the unlock button")
	}

	test.Tap(d.Unlock)
	u.Wait()
	if d.person.Locked {
		t.Fatalf("still locked; message %q", d.Message.Text)
	}
	if code := loginCode(t, w, w.Pupil2, pupilPW); code != "" {
		t.Errorf("login after the unlock: %s", code)
	}
}

func TestAdminConsent(t *testing.T) {
	w := newWorld(t)
	u, s := openAdmin(t, w)
	d := openPerson(t, u, s, w.Pupil)
	if d.consent.Hidden {
		t.Fatal("no consent section for a pupil")
	}

	d.SignedOn.SetText("")
	test.Type(d.Guardian, "Eva Schmidt")
	test.Type(d.SignedOn, "01.09.2026")
	test.Tap(d.RecordConsent)
	u.Wait()
	if !strings.Contains(d.ConsentStatus.Text, "Eva Schmidt am 01.09.2026") {
		t.Fatalf("consent after recording: %q; message %q", d.ConsentStatus.Text, d.Message.Text)
	}

	d.RevokedOn.SetText("gestern")
	test.Tap(d.RevokeConsent)
	if !strings.Contains(d.Message.Text, "kein Datum") || d.RevokeConfirm.Asking() {
		t.Errorf("revoke with a wrong date: message %q", d.Message.Text)
	}
	d.RevokedOn.SetText(w.clock.now().Format("02.01.2006"))
	test.Tap(d.RevokeConsent)
	test.Tap(d.RevokeConfirm.Yes)
	u.Wait()
	if !strings.Contains(d.ConsentStatus.Text, "widerrufen") {
		t.Fatalf("consent after revoking: %q; message %q", d.ConsentStatus.Text, d.Message.Text)
	}
	if code := loginCode(t, w, w.Pupil, pupilPW); code != wire.CodeAccountLocked {
		t.Errorf("login after the revocation: got %q, want %s", code, wire.CodeAccountLocked)
	}
	// other people have no consent to record
	d = openPerson(t, u, s, w.Teacher)
	if !d.consent.Hidden {
		t.Error("a consent section for a teacher")
	}
}

func TestAdminEditAndRights(t *testing.T) {
	w := newWorld(t)
	u, s := openAdmin(t, w)
	d := openPerson(t, u, s, w.Pupil2)
	d.Classes.SetText("3b")
	d.LastName.SetText("Becker-Wolf")
	test.Tap(d.Save)
	u.Wait()
	det, _ := w.rig.Dir.Details(ctx, w.Pupil2)
	if det.LastName != "Becker-Wolf" || !slices.Contains(d.person.Classes, "3b") {
		t.Errorf("after saving: last name %q, classes %v; message %q", det.LastName, d.person.Classes, d.Message.Text)
	}

	d = openPerson(t, u, s, w.Secretary)
	test.Tap(d.RightProtocol)
	u.Wait()
	if ok, _ := w.rig.Dir.HasRight(ctx, det.ID, "protocol"); ok {
		t.Error("the pupil got the right")
	}
	sec, _ := w.rig.Dir.Person(ctx, w.Secretary)
	if ok, _ := w.rig.Dir.HasRight(ctx, sec.ID, "protocol"); !ok {
		t.Errorf("the protocol right was not granted; message %q", d.Message.Text)
	}
	test.Tap(d.RightProtocol)
	u.Wait()
	if ok, _ := w.rig.Dir.HasRight(ctx, sec.ID, "protocol"); ok {
		t.Error("the protocol right was not revoked")
	}
}

// moduleTile is a module whose tile the home screen shows. While no
// module screen is built, a stand-in tile (removed after the test) lets
// the test see the switch work.
func moduleTile(t *testing.T, on []string) string {
	t.Helper()
	for _, tl := range sortedTiles() {
		if tl.module && slices.Contains(on, tl.key) {
			return tl.key
		}
	}
	if len(on) == 0 {
		t.Fatal("the server has no module switched on")
	}
	saved := tiles
	t.Cleanup(func() { tiles = saved })
	tiles = append(slices.Clone(tiles), tile{key: on[0], title: "admin.module.mail", icon: theme.MailComposeIcon,
		module: true, order: 1, open: func(*UI) {}})
	return on[0]
}

func TestAdminModuleSwitchOff(t *testing.T) {
	w := newWorld(t)
	pu := w.newUI(config.ModeStaff)
	w.loggedIn(pu, w.Pupil)
	module := moduleTile(t, pu.Session().Modules)
	pu.ShowHome()
	if pu.Home.Tiles[module] == nil {
		t.Fatalf("the pupil has no %s tile before the switch", module)
	}
	pu.Logout("")
	pu.Wait()

	u, s := openAdmin(t, w)
	m := s.Modules
	c := m.Checks[module]
	if c == nil || !c.Checked {
		t.Fatalf("module switches: %v, want %s on", m.current, module)
	}
	test.Tap(c)
	test.Tap(m.Save)
	if !m.Confirm.Asking() {
		t.Fatal("switching off did not ask first")
	}
	test.Tap(m.Confirm.Yes)
	u.Wait()
	if m.Message.Text != "Gespeichert." {
		t.Errorf("after saving: message %q", m.Message.Text)
	}

	w.loggedIn(pu, w.Pupil)
	if slices.Contains(pu.Session().Modules, module) {
		t.Errorf("the session still lists %s", module)
	}
	if pu.Home.Tiles[module] != nil {
		t.Errorf("the pupil still has the %s tile after the next login", module)
	}
}

// writeList writes a pupil list as the school administration exports it.
func writeList(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schuelerliste.csv")
	data := "ID;Vorname;Nachname;Klasse\n" + strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// chooseList answers the file dialog with path and starts the dry run.
func chooseList(u *UI, s *AdminScreen, path string) *ImportTab {
	u.opts.PickFile = func(done func(string)) { done(path) }
	s.Tabs.Select(s.ImportItem)
	test.Tap(s.Import.Choose)
	u.Wait()
	return s.Import
}

func TestAdminImport(t *testing.T) {
	w := newWorld(t)
	u, s := openAdmin(t, w)
	path := writeList(t,
		"1001;Anna;Schmidt;3a", "1002;Ben;Becker;3a", "1003;Clara;Roth;4b",
		"2001;Emil;Neumann;1a", "2002;Frieda;Vogel;1a")
	im := chooseList(u, s, path)

	// the dry run: the diff, and nothing changed on the server
	if !strings.Contains(im.Summary.Text, "2 neu") || !strings.Contains(im.Summary.Text, "3 geändert") {
		t.Errorf("summary: %q; message %q", im.Summary.Text, im.Message.Text)
	}
	if !strings.Contains(im.New.Text, "Emil Neumann") || !strings.Contains(im.New.Text, "emil.neumann") {
		t.Errorf("new pupils: %q", im.New.Text)
	}
	if !strings.Contains(im.Changed.Text, w.Pupil+": ID 1001 übernommen") {
		t.Errorf("changes: %q", im.Changed.Text)
	}
	if !im.Warning.Hidden || !im.Force.Hidden {
		t.Errorf("a warning for a good list: %q", im.Warning.Text)
	}
	if im.Apply.Disabled() || im.Apply.Hidden {
		t.Fatal("no way to apply the list")
	}
	if l, _ := w.rig.Dir.List(ctx, directory.ListQuery{Class: "1a"}); len(l) != 0 {
		t.Errorf("the dry run created %d accounts", len(l))
	}
	if p, _ := w.rig.Dir.Person(ctx, w.Pupil); p.ExternalID != "" {
		t.Errorf("the dry run recorded the ID %q", p.ExternalID)
	}

	test.Tap(im.Apply)
	u.Wait()
	if len(im.created) != 2 || !strings.Contains(im.Result.Text, "2 neu") {
		t.Fatalf("after applying: %d new, result %q, message %q", len(im.created), im.Result.Text, im.Message.Text)
	}
	if l, _ := w.rig.Dir.List(ctx, directory.ListQuery{Class: "1a"}); len(l) != 2 {
		t.Errorf("accounts in 1a after the import: %d, want 2", len(l))
	}
	if p, _ := w.rig.Dir.Person(ctx, w.Pupil); p.ExternalID != "1001" {
		t.Errorf("ID after the import: %q", p.ExternalID)
	}
	first := im.created[0]
	if !strings.Contains(im.Passwords.Text, first.Password) {
		t.Error("the new passwords are not shown")
	}
	if code := loginCode(t, w, first.Login, first.Password); code != "" {
		t.Errorf("the new pupil's password: %s", code)
	}
	test.Tap(im.PrintAll)
	u.Wait()
	wantPDF(t, w, 1)
	// a second tap imports nothing again
	test.Tap(im.Apply)
	u.Wait()
	if l, _ := w.rig.Dir.List(ctx, directory.ListQuery{Class: "1a"}); len(l) != 2 {
		t.Errorf("accounts in 1a after a second tap: %d", len(l))
	}
	// the people tab shows the new pupils
	s.Tabs.Select(s.PeopleItem)
	u.Wait()
	test.Type(s.People.Search, "frieda")
	if got := s.People.Shown(); len(got) != 1 {
		t.Errorf("the list after the import: %v", got)
	}
}

func TestAdminImportWarnings(t *testing.T) {
	tests := []struct {
		name  string
		setup func(w *world) []string // the list's lines
		want  string
	}{
		{"partial list", func(w *world) []string {
			for _, n := range []string{"Ida", "Jan", "Kai", "Lea", "Max", "Nia", "Ole", "Pia", "Rui", "Sam"} {
				w.rig.AddPerson(n, "Kind", directory.Pupil, pupilPW, "2a")
			}
			return []string{"1001;Anna;Schmidt;3a"}
		}, "mehr als die Hälfte"},
		{"outdated list", func(w *world) []string {
			lines := []string{"1001;Anna;Schmidt;3a", "1002;Ben;Becker;3a", "1003;Clara;Roth;4b"}
			for i, n := range []string{"Ida", "Jan", "Kai", "Lea", "Max", "Nia"} {
				id := "30" + string(rune('0'+i))
				if _, _, err := w.rig.Dir.AddPerson(ctx, testrig.Admin, directory.NewPerson{FirstName: n, LastName: "Kind",
					Role: directory.Pupil, Classes: []string{"3b"}, ExternalID: id}); err != nil {
					w.t.Fatal(err)
				}
				lines = append(lines, id+";"+n+";Kind;2b")
			}
			return lines
		}, "niedrigere Klassenstufe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			lines := tt.setup(w)
			u, s := openAdmin(t, w)
			im := chooseList(u, s, writeList(t, lines...))
			if im.Warning.Hidden || !strings.Contains(im.Warning.Text, tt.want) {
				t.Errorf("warning: got %q (hidden %v), want it to contain %q; message %q", im.Warning.Text, im.Warning.Hidden, tt.want, im.Message.Text)
			}
			if !im.Apply.Disabled() {
				t.Error("a suspicious list can be applied without the tick")
			}
			test.Tap(im.Force)
			if im.Apply.Disabled() {
				t.Error("the tick does not enable applying")
			}
			if p, _ := w.rig.Dir.Person(ctx, w.Pupil2); p.LeavingDate != "" || p.ExternalID != "" {
				t.Errorf("the dry run changed a pupil: %+v", p)
			}
		})
	}
}

func TestAdminPromotion(t *testing.T) {
	w := newWorld(t)
	u, s := openAdmin(t, w)
	pr := s.Promotion
	s.Tabs.Select(s.PromotionItem)
	if !pr.Run.Disabled() {
		t.Error("the promotion can run without a preview")
	}
	test.Tap(pr.Preview)
	u.Wait()
	if !strings.Contains(pr.Moves.Text, "3a → 4a") || !strings.Contains(pr.Summary.Text, "1 gehen ab") {
		t.Fatalf("preview: summary %q, moves %q, message %q", pr.Summary.Text, pr.Moves.Text, pr.Message.Text)
	}
	if c, _ := w.rig.Dir.ClassesOf(ctx, mustPerson(t, w, w.Pupil)); !slices.Equal(c, []string{"3a"}) {
		t.Errorf("the preview moved the pupil to %v", c)
	}
	test.Tap(pr.Run)
	if !pr.Confirm.Asking() {
		t.Fatal("the promotion did not ask first")
	}
	test.Tap(pr.Confirm.Yes)
	u.Wait()
	if c, _ := w.rig.Dir.ClassesOf(ctx, mustPerson(t, w, w.Pupil)); !slices.Equal(c, []string{"4a"}) {
		t.Errorf("after the promotion the pupil is in %v; message %q", c, pr.Message.Text)
	}
	// a second one in the same year: the server's answer, and the way through
	test.Tap(pr.Preview)
	u.Wait()
	if !strings.Contains(pr.Message.Text, "180 Tagen") || pr.Force.Hidden {
		t.Errorf("second preview: message %q, force hidden %v", pr.Message.Text, pr.Force.Hidden)
	}
}

func mustPerson(t *testing.T, w *world, login string) directory.Person {
	t.Helper()
	p, err := w.rig.Dir.Person(ctx, login)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
