package ui

import (
	"context"
	"testing"
	"time"

	"kaspel/server/demo"
	"kaspel/server/directory"
	"kaspel/server/lending"
	"kaspel/server/mail"
)

// lendingSeed is the textbook lending of a test world (seedLending).
type lendingSeed struct {
	demo.Catalog
	// Maths3, Reading3, Language3 and Science34 are grade 3's lendable
	// titles (Science34 a two-year volume for grades 3 and 4); Workbook3
	// is grade 3's consumable workbook (bought, no copies); Maths4 is
	// grade 4's maths book.
	Maths3, Reading3, Language3, Science34, Workbook3, Maths4 lending.Title
	// Cards are the pupils' card numbers (9 digits) by login.
	Cards map[string]string
	// References are the payment references by login (registered pupils).
	References map[string]string
	// Due is what each registered pupil's registration costs, in cents.
	Due map[string]int64
	// Guardians are the names the registrations were made in.
	Guardians map[string]string
	// AnnaMaths is the copy of Maths3 lent to Anna (w.Pupil).
	AnnaMaths string
	// Free are copies of each title still in stock, by title ID (the
	// first ones are what the kiosk tests scan).
	Free map[int64][]string
}

// seedLending fills the world's lending through the server's own service
// on the rig's database, as the coordinator (w.Admin) would, with the
// real clock (the server's): the school year under way with the demo's
// catalog and book lists (6 copies of each lendable title; registration
// open for two more weeks), and
//   - Anna (w.Pupil, 3a): registered for the whole package, paid, Maths3
//     lent (the other grade-3 books still missing);
//   - Ben (w.Pupil2, 3a): registered for the whole package, not paid;
//   - Clara (w.OtherPupil, 4b): not registered.
//
// Every pupil has a card.
func (w *world) seedLending() lendingSeed {
	w.t.Helper()
	ctx := context.Background()
	admin, err := w.rig.Dir.Person(ctx, w.Admin)
	if err != nil {
		w.t.Fatal(err)
	}
	actor := directory.Actor{Name: w.Admin, Service: "test"}
	svc, err := lending.New(w.rig.DB, w.rig.Dir, mail.NewNotices(w.rig.Dir), lending.DefaultConfig)
	if err != nil {
		w.t.Fatal(err)
	}
	cat, err := demo.LendingCatalog(ctx, svc, admin, time.Now(), 6)
	if err != nil {
		w.t.Fatal(err)
	}
	s := lendingSeed{Catalog: cat, Cards: map[string]string{}, References: map[string]string{}, Due: map[string]int64{}, Free: map[int64][]string{}}
	for _, t := range cat.Titles {
		switch t.Title {
		case "Zahlenreise 3":
			s.Maths3 = t
		case "Lesefuchs 3 – Lesebuch":
			s.Reading3 = t
		case "Sprachinsel 3":
			s.Language3 = t
		case "Welt entdecken 3/4":
			s.Science34 = t
		case "Zahlenreise 3 – Arbeitsheft":
			s.Workbook3 = t
		case "Zahlenreise 4":
			s.Maths4 = t
		}
		s.Free[t.ID] = cat.Copies[t.ID]
	}
	s.Guardians = map[string]string{w.Pupil: "Petra Schmidt", w.Pupil2: "Jörg Becker"}
	for login, guardian := range s.Guardians {
		reg, err := svc.RegisterFor(ctx, admin, login, lending.RegistrationInput{Year: cat.Year.ID, Package: true,
			Guardian: guardian, AcceptTerms: true})
		if err != nil {
			w.t.Fatalf("registering %s: %v", login, err)
		}
		s.References[login] = reg.Account.Reference
		s.Due[login] = reg.Registration.Due
	}
	if _, err := svc.AddPayment(ctx, admin, actor, lending.PaymentInput{Reference: s.References[w.Pupil], Amount: s.Due[w.Pupil], Note: "Überweisung"}); err != nil {
		w.t.Fatal(err)
	}
	s.AnnaMaths = s.Free[s.Maths3.ID][0]
	s.Free[s.Maths3.ID] = s.Free[s.Maths3.ID][1:]
	res, err := svc.Scan(ctx, admin, lending.ScanRequest{Code: s.AnnaMaths, Mode: lending.ModeDesk, Pupil: w.Pupil, Year: cat.Year.ID})
	if err != nil || res.Kind != lending.ScanIssued {
		w.t.Fatalf("lending %s to Anna: %+v, %v", s.AnnaMaths, res.Kind, err)
	}
	for _, login := range []string{w.Pupil, w.Pupil2, w.OtherPupil} {
		if s.Cards[login], err = svc.Card(ctx, admin, login); err != nil {
			w.t.Fatal(err)
		}
	}
	return s
}

// The seed is what its comment promises, seen through the API as the
// secretary (so the kiosk tests start from a known state).
func TestLendingSeed(t *testing.T) {
	w := newWorld(t)
	s := w.seedLending()
	c := w.client()
	if _, err := c.Login(context.Background(), w.Secretary, w.passwordOf(w.Secretary), "test"); err != nil {
		t.Fatal(err)
	}
	anna, err := c.LendingPupil(context.Background(), w.Pupil, s.Year.ID)
	if err != nil {
		t.Fatal(err)
	}
	if anna.Account == nil || anna.Account.Status != "paid" || len(anna.Loans) != 1 || anna.Loans[0].Code != s.AnnaMaths || len(anna.Missing) != 3 {
		t.Errorf("Anna: %+v", anna)
	}
	ben, err := c.LendingPupil(context.Background(), w.Pupil2, s.Year.ID)
	if err != nil || ben.Account == nil || ben.Account.Status != "due" || ben.Card != s.Cards[w.Pupil2] {
		t.Errorf("Ben: %+v, %v", ben, err)
	}
	clara, err := c.LendingPupil(context.Background(), w.OtherPupil, s.Year.ID)
	if err != nil || clara.Registration != nil {
		t.Errorf("Clara: %+v, %v", clara, err)
	}
	if s.Maths3.ID == 0 || s.Science34.YearsOfUse != 2 || !s.Workbook3.Consumable || len(s.Free[s.Reading3.ID]) != 6 {
		t.Errorf("titles: %+v", s)
	}
}
