package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
	"kaspel/server/directory"
	"kaspel/shared/wire"
)

// kioskEnter is the Enter a scanner sends after the code.
var kioskEnter = &fyne.KeyEvent{Name: fyne.KeyReturn}

// screenshotsLending renders the secretary's kiosk for docs/screenshots:
// a pupil's panel after books went out, an issue held for an unpaid
// registration, the return day with a damaged book, a class set and the
// registration for parents without internet with its result. It seeds the lending if
// nobody did yet, and makes its own pupils in 3a, so it works whatever
// the other screenshots left; TestScreenshots calls it with its shot.
func screenshotsLending(t *testing.T, w *world, shot func(u *UI, name string)) {
	t.Helper()
	sec := w.apiAs(w.Secretary)
	years, err := sec.LendingYears(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if years.Current == 0 {
		w.seedLending()
	}
	pupil := func(first, last string) string { return w.rig.AddPerson(first, last, directory.Pupil, pupilPW, "3a") }
	lena, emil, jonas := pupil("Lena", "Fischer"), pupil("Emil", "Wagner"), pupil("Jonas", "Weber")
	register := func(login string, pay bool) {
		reg, err := sec.LendingRegisterPupil(ctx, login, wire.LendingRegistrationInput{Package: true, Guardian: "Familie " + login, AcceptTerms: true})
		if err != nil {
			t.Fatal(err)
		}
		if pay {
			if _, err := sec.LendingAddPayment(ctx, wire.LendingPaymentInput{Reference: reg.Account.Reference, AmountCents: reg.Registration.DueCents}); err != nil {
				t.Fatal(err)
			}
		}
	}
	register(lena, true)
	register(emil, false)
	// free copies of the grade-3 titles
	offer, err := sec.LendingPupilOffer(ctx, lena, 0)
	if err != nil {
		t.Fatal(err)
	}
	var free [][]string
	for _, lt := range offer.Titles {
		if lt.Title.Consumable {
			continue
		}
		copies, err := sec.LendingTitleCopies(ctx, lt.Title.ID)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, c := range copies {
			if c.Status == "in_stock" && c.LoanCount < 2 {
				codes = append(codes, c.Code)
			}
		}
		if len(codes) < 3 {
			t.Fatalf("not enough copies of %s for the screenshots", lt.Title.Title)
		}
		free = append(free, codes)
	}
	if len(free) < 3 {
		t.Fatalf("grade 3 has only %d lendable titles", len(free))
	}

	u := w.newUI(config.ModeKiosk)
	w.loggedIn(u, w.Secretary)
	u.runAfterLogin()
	u.Wait()
	s, ok := u.screen(lendingKey).(*KioskScreen)
	if !ok {
		test.Tap(u.Home.Tiles[wire.ModuleLending])
		u.Wait()
		if s, ok = u.screen(lendingKey).(*KioskScreen); !ok {
			t.Fatal("no kiosk")
		}
	}
	scan := func(code string) {
		t.Helper()
		test.Type(s.Scan, code)
		s.Scan.TypedKey(kioskEnter)
		u.Wait()
		s.Band.settle()
	}
	// Lena gets two of her books.
	s.selectPupil(lena)
	u.Wait()
	scan(free[0][0])
	scan(free[1][0])
	shot(u, "lending-kiosk")
	// Emil has not paid: the issue is held.
	s.selectPupil(emil)
	u.Wait()
	scan(free[0][1])
	shot(u, "lending-confirm")
	test.Tap(s.Cancel)
	s.Band.settle()
	// Return day: Lena's reading book comes back damaged.
	test.Tap(s.Modes[wire.LendingModeReturn])
	test.Tap(s.Conditions[wire.LendingReturnMedium])
	scan(free[1][0])
	shot(u, "lending-return")
	// A class set for 3a.
	test.Tap(s.Conditions[wire.LendingReturnOK])
	test.Tap(s.Modes[wire.LendingModeClass])
	s.Class.SetSelected("3a")
	u.Wait()
	scan(free[2][0])
	shot(u, "lending-classset")
	// The registration for Jonas's parents, who have no internet.
	test.Tap(s.Modes[wire.LendingModeDesk])
	s.selectPupil(jonas)
	u.Wait()
	test.Tap(s.Panel.Register)
	u.Wait()
	if r := s.Registration; r != nil {
		for id, rg := range r.Choices {
			if id == offer.Titles[0].Title.ID {
				rg.SetSelected(T("lending.kiosk.reg.buy"))
			}
		}
		r.Guardian.SetText("Sandra Weber")
		r.Terms.SetChecked(true)
		shot(u, "lending-registration")
		test.Tap(r.Submit)
		u.Wait()
		shot(u, "lending-registered")
	}
	u.Logout("")
	u.Wait()
}
