package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
	"kaspel/shared/wire"
)

// screenshotsLendingMoney renders the lending's money and class screens
// for docs/screenshots: the bank statement's dry run, the accounts, the
// class teacher's class view and the child's "Meine Schulbücher". It
// uses the world's class 3a (Anna, Ben, Tina Lehmann); the world's
// lending is seeded here unless a school year exists already, and Anna
// and Ben are registered if they are not. TestScreenshots calls it with
// its shot.
func screenshotsLendingMoney(t *testing.T, w *world, shot func(u *UI, name string)) {
	t.Helper()
	sec := w.apiAs(w.Secretary)
	ys, err := sec.LendingYears(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ys.Years) == 0 {
		w.seedLending()
	}
	accounts := map[string]wire.LendingAccount{}
	for _, login := range []string{w.Pupil, w.Pupil2} {
		p, err := sec.LendingPupil(ctx, login, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Account == nil || p.Registration == nil {
			reg, err := sec.LendingRegisterPupil(ctx, login, wire.LendingRegistrationInput{Package: true, Guardian: "Familie " + p.LastName, AcceptTerms: true})
			if err != nil {
				t.Fatal(err)
			}
			accounts[login] = reg.Account
		} else {
			accounts[login] = *p.Account
		}
	}
	anna, ben := accounts[w.Pupil], accounts[w.Pupil2]
	path := writeStatement(t, "Umsaetze_Girokonto.csv", "Kontoauszug Förderverein der Grundschule;;;;\n"+
		"Buchungstag;Valutadatum;Beguenstigter/Zahlungspflichtiger;Verwendungszweck;Betrag\n"+
		"02.11.2026;02.11.2026;Jürgen Becker;Schulbuchausleihe "+ben.Reference+" Ben Becker 3a;"+bankAmount(ben.RegistrationDueCents)+"\n"+
		"03.11.2026;03.11.2026;Maria Schmidt;Leihgebühr Anna "+anna.Reference+";"+bankAmount(anna.RegistrationDueCents)+"\n"+
		"04.11.2026;04.11.2026;Familie Öztürk;Schulbücher Emir Klasse 2b;24,60\n"+
		"05.11.2026;05.11.2026;Papierhaus Meier;Rechnung 4711 Kopierpapier;-89,90\n")

	// The secretary: the statement's dry run, then the accounts.
	u := w.newUI(config.ModeStaff)
	u.opts.PickFile = func(done func(string)) { done(path) }
	w.loggedIn(u, w.Secretary)
	u.showLendingMoney()
	u.Wait()
	s, _ := u.screen(lendingMoneyKey).(*LendingMoneyScreen)
	if s == nil {
		t.Fatal("no money screen")
	}
	test.Tap(s.Import.Choose)
	u.Wait()
	shot(u, "lending-import-preview")
	s.Tabs.SelectIndex(2)
	u.Wait()
	shot(u, "lending-accounts")
	u.Logout("")
	u.Wait()

	// The class teacher's class view.
	tu := w.newUI(config.ModeStaff)
	w.loggedIn(tu, w.Teacher)
	tu.showLendingClass("3a")
	tu.Wait()
	shot(tu, "lending-class")
	tu.Logout("")
	tu.Wait()

	// Anna's own view.
	pu := w.newUI(config.ModeStaff)
	w.loggedIn(pu, w.Pupil)
	pu.showLendingOwn()
	pu.Wait()
	shot(pu, "lending-own")
	pu.Logout("")
	pu.Wait()
}

// TestLendingMoneyScreenshotsRender renders the screenshots into memory:
// every screen draws without a panic and shows something.
func TestLendingMoneyScreenshotsRender(t *testing.T) {
	w := newWorld(t)
	var names []string
	screenshotsLendingMoney(t, w, func(u *UI, name string) {
		t.Helper()
		u.Wait()
		u.win.Resize(fyne.NewSize(1100, 720))
		u.win.Content().Refresh()
		img := u.win.Canvas().Capture()
		if img.Bounds().Dx() < 1000 || hwUniform(img) {
			t.Errorf("%s: an empty picture (%v)", name, img.Bounds())
		}
		names = append(names, name)
	})
	if len(names) != 4 {
		t.Errorf("shots: %v", names)
	}
}
