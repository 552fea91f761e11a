package ui

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
	"kaspel/server/demo"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// TestScreenshots renders every main screen with the demo school into
// PNG files for docs/screenshots (make screenshots sets
// KASPEL_SCREENSHOTS). The pictures come from Fyne's own software
// renderer, so no display is needed.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("KASPEL_SCREENSHOTS")
	if dir == "" {
		t.Skip("set KASPEL_SCREENSHOTS=DIR to render the screenshots (make screenshots)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	sum, err := demo.Create(ctx, w.rig.Dir, testrig.Admin)
	if err != nil {
		t.Fatal(err)
	}
	pupil, teacher := sum.Examples["pupil"], ""
	// the pupil's class teacher writes and fills the class calendar
	p, err := w.rig.Dir.Details(ctx, pupil)
	if err != nil {
		t.Fatal(err)
	}
	class := ""
	for _, g := range p.Groups {
		if g.Kind == "class" {
			class = g.Name
		}
	}
	list, err := w.rig.Dir.List(ctx, listQuery(class, "teacher"))
	if err != nil || len(list) == 0 {
		t.Fatalf("no teacher for %s: %v", class, err)
	}
	teacher = list[0].Login
	tc := w.client()
	if _, err := tc.Login(ctx, teacher, demo.Password, ""); err != nil {
		t.Fatal(err)
	}
	for _, m := range []wire.MailSend{
		{To: []string{class + "@" + testrig.Domain}, Subject: "Ausflug in den Zoo", Body: "Liebe Klasse,\n\nam Freitag fahren wir in den Zoo. Bitte bringt ein Pausenbrot mit.\n\nEure Klassenlehrerin"},
		{To: []string{pupil + "@" + testrig.Domain}, Subject: "Dein Bild", Body: "Dein Bild hängt jetzt im Flur. Toll gemacht!"},
	} {
		if _, err := tc.MailSend(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	cals, err := tc.Calendars(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, c := range cals {
		if c.Writable && c.Kind == "group" {
			day := func(d int) string {
				return time.Date(now.Year(), now.Month(), d, 0, 0, 0, 0, time.Local).Format("2006-01-02")
			}
			for _, e := range []wire.EventInput{
				{Title: "Schwimmen", Start: day(3) + "T08:00", End: day(3) + "T09:30", Recurrence: &wire.Recurrence{Freq: "WEEKLY"}},
				{Title: "Zoo-Ausflug", AllDay: true, Start: day(14), End: day(14)},
				{Title: "Elternabend", Start: day(19) + "T19:00", End: day(19) + "T20:30", Location: "Klassenraum"},
			} {
				if _, err := tc.CreateEvent(ctx, c.ID, e); err != nil {
					t.Fatal(err)
				}
			}
		}
	}

	shot := func(u *UI, name string) {
		t.Helper()
		u.Wait()
		u.win.Resize(fyne.NewSize(1100, 720))
		// The GL driver lays out changed containers before every frame;
		// the test canvas does not, so lay out everything once now.
		u.win.Content().Refresh()
		img := u.win.Canvas().Capture()
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}

	// The pupil's day: login, home, mail, compose, calendar, address book.
	u := w.newUI(config.ModeStaff)
	u.opts.School = testrig.School
	u.Login.School.SetText(testrig.School)
	test.Type(u.Login.Login, pupil)
	shot(u, "login")
	test.Type(u.Login.Password, demo.Password)
	test.Tap(u.Login.Submit)
	u.Wait()
	if u.Home == nil {
		t.Fatalf("login as %s: %s", pupil, u.Login.Message.Text)
	}
	shot(u, "home")
	u.showMail()
	u.Wait()
	if ms, ok := u.screen("mail").(*MailScreen); ok && len(ms.Messages) > 0 {
		ms.List.Select(0)
	}
	shot(u, "mail")
	u.composeNew()
	if cs, ok := u.screen(mailComposeKey).(*MailComposeScreen); ok {
		cs.Subject.SetText("Hausaufgabe")
		cs.Body.SetText("Hallo, weißt du, was wir in Mathe aufhaben?")
	}
	shot(u, "compose")
	u.showCalendar()
	shot(u, "calendar")
	u.showAddressbook()
	shot(u, "addressbook")
	u.Logout("")
	u.Wait()

	// A new pupil's forced password change.
	np, onetime, err := w.rig.Dir.AddPerson(ctx, testrig.Admin, newPupil("Mia", "Neumann", class))
	if err != nil {
		t.Fatal(err)
	}
	u.Login.Login.SetText(np.Login)
	u.Login.Password.SetText(onetime)
	test.Tap(u.Login.Submit)
	u.Wait()
	test.Type(u.Password.New, "Sonne-Mond-4")
	shot(u, "change-password")
	u.Logout("")
	u.Wait()

	// The admin: users and the import preview.
	a := w.newUI(config.ModeStaff)
	w.loggedIn(a, w.Admin)
	a.showAdmin()
	a.Wait()
	shot(a, "admin-users")
	csv := filepath.Join(t.TempDir(), "schueler.csv")
	if err := os.WriteFile(csv, []byte("SchuelerIdentNummer;SchuelerRufname;SchuelerNachname;GruppeBezeichung\n"+
		"900001;Lina;Özdemir;1a\n900002;Jonas;Weiß;1a\n900003;Lea;Müller;1b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a.opts.PickFile = func(done func(string)) { done(csv) }
	if s, ok := a.screen("admin").(*AdminScreen); ok {
		s.Tabs.Select(s.ImportItem)
		test.Tap(s.Import.Choose)
	}
	shot(a, "import-preview")
	screenshotsHomework(t, w, shot)
	screenshotsRooms(t, w, shot)
	screenshotsChat(t, w, shot)
	screenshotsLendingAdmin(t, w, shot)
	screenshotsLendingMoney(t, w, shot)
	screenshotsLending(t, w, shot)
	fmt.Println("screenshots written to", dir)
}

func listQuery(class, role string) directory.ListQuery {
	return directory.ListQuery{Class: class, Role: directory.Role(role)}
}

func newPupil(first, last, class string) directory.NewPerson {
	return directory.NewPerson{FirstName: first, LastName: last, Role: directory.Pupil, Classes: []string{class}}
}
