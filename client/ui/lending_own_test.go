package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"kaspel/client/config"
	"kaspel/shared/wire"
)

// openOwnAs logs a pupil in and taps "Meine Schulbücher".
func openOwnAs(t *testing.T, w *world, login string) (*UI, *LendingOwnScreen) {
	t.Helper()
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, login)
	b := u.Home.Tiles[lendingOwnKey]
	if b == nil {
		t.Fatalf("%s: no tile „Meine Schulbücher“", login)
	}
	test.Tap(b)
	u.Wait()
	s, ok := u.screen(lendingOwnKey).(*LendingOwnScreen)
	if !ok {
		t.Fatal("the tile opened no own view")
	}
	return u, s
}

func TestLendingOwnAnna(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openOwnAs(t, w, w.Pupil)
	if s.Own == nil {
		t.Fatalf("nothing loaded: %q", s.Message.Text)
	}
	if !strings.Contains(s.Books.Text, seed.Maths3.Title+" (Buch-Nr. "+seed.AnnaMaths+")") {
		t.Errorf("Anna's books: %q", s.Books.Text)
	}
	if !strings.Contains(s.Missing.Text, seed.Reading3.Title) {
		t.Errorf("books still to come: %q", s.Missing.Text)
	}
	if !strings.Contains(s.Registration.Text, "alle Bücher (Bücherpaket)") || !strings.Contains(s.Registration.Text, seed.Guardians[w.Pupil]) {
		t.Errorf("registration: %q", s.Registration.Text)
	}
	if s.Money.Text != "Alles bezahlt. Danke!" || !strings.Contains(s.Amounts.Text, "Betrag: "+euro(seed.Due[w.Pupil])) {
		t.Errorf("money: %q / %q", s.Money.Text, s.Amounts.Text)
	}
	if s.Reference.Text != "Verwendungszweck: "+seed.References[w.Pupil] || s.Bank.Visible() {
		t.Errorf("all paid: the reference %q, the bank account shown %v", s.Reference.Text, s.Bank.Visible())
	}
	if !s.Register.Visible() || s.Register.Text != "Anmeldung ändern" {
		t.Errorf("register button: visible %v, %q", s.Register.Visible(), s.Register.Text)
	}
	if strings.Contains(texts(u), "Clara") || strings.Contains(texts(u), seed.References[w.Pupil2]) {
		t.Error("Anna sees another child's data")
	}

	// Tiles: the pupil has hers, a teacher none.
	tu := w.newUI(config.ModeStaff)
	w.loggedIn(tu, w.Teacher)
	if tu.Home.Tiles[lendingOwnKey] != nil {
		t.Error("a teacher has the tile „Meine Schulbücher“")
	}
}

func TestLendingOwnRegisterClara(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openOwnAs(t, w, w.OtherPupil)
	if s.Own == nil {
		t.Fatalf("nothing loaded: %q", s.Message.Text)
	}
	if !strings.Contains(s.Registration.Text, "noch nicht") || s.payCard.Visible() {
		t.Errorf("Clara before registering: %q, payment shown %v", s.Registration.Text, s.payCard.Visible())
	}
	if !s.Register.Visible() {
		t.Fatalf("no button to register (offer %+v)", s.Offer)
	}
	test.Tap(s.Register)
	u.Wait()
	f := s.Form
	if f == nil {
		t.Fatalf("the form did not open: %q", s.Message.Text)
	}
	var lendable []wire.LendingListTitle
	var full int64
	for _, rt := range f.Titles {
		if !rt.Title.Title.Consumable {
			lendable = append(lendable, rt.Title)
			full += rt.Title.FeeCents
		}
	}
	if len(lendable) < 2 {
		t.Fatalf("Clara's offer has %d lendable titles", len(lendable))
	}
	if !strings.Contains(f.Amount.Text, euro(full)) {
		t.Errorf("package amount: %q, want %s", f.Amount.Text, euro(full))
	}
	// Single titles: the first is bought, the amount follows.
	f.Package.SetSelected("Einzelne Bücher auswählen")
	first := f.Titles[0]
	for _, rt := range f.Titles {
		if rt.Choice != nil {
			first = rt
			break
		}
	}
	first.Choice.SetSelected(first.Choice.Options[1])
	want := full - first.Title.FeeCents
	if !strings.Contains(f.Amount.Text, euro(want)) {
		t.Errorf("amount without %s: %q, want %s", first.Title.Title.Title, f.Amount.Text, euro(want))
	}
	// With the reduction: 80 %, rounded once.
	f.Reduction.SetChecked(true)
	reduced := lmRoundDiv(want*int64(f.Offer.Year.ReductionPct), 100)
	if !strings.Contains(f.Amount.Text, euro(reduced)) {
		t.Errorf("reduced amount: %q, want %s", f.Amount.Text, euro(reduced))
	}
	// Without the terms accepted the server says no, in German.
	test.Type(f.Guardian, "Petra Roth")
	test.Tap(f.Submit)
	u.Wait()
	if s.Result != nil || !f.Message.Visible() || !strings.Contains(f.Message.Text, "Leihbedingungen") {
		t.Fatalf("registered without the terms: %q", f.Message.Text)
	}
	f.Accept.SetChecked(true)
	test.Tap(f.Submit)
	u.Wait()
	v := s.Result
	if v == nil {
		t.Fatalf("no result: %q", f.Message.Text)
	}
	ref := v.Registered.Account.Reference
	if ref == "" || v.Reference.Text != "Verwendungszweck: "+ref || !strings.Contains(texts(u), ref) {
		t.Errorf("the result shows no reference: %q", v.Reference.Text)
	}
	if v.Registered.Registration.DueCents != reduced || !strings.Contains(v.Amount.Text, euro(reduced)) {
		t.Errorf("amount: server %d, shown %q, the form said %d", v.Registered.Registration.DueCents, v.Amount.Text, reduced)
	}
	if !strings.Contains(v.Bank.Text, "DE89 3704 0044 0532 0130 00") {
		t.Errorf("bank: %q", v.Bank.Text)
	}
	own, err := w.apiAs(w.OtherPupil).LendingOwn(ctx)
	if err != nil || own.Registration == nil || own.Registration.Package || !own.Registration.Reduction || own.Registration.Guardian != "Petra Roth" {
		t.Fatalf("registration on the server: %+v, %v", own.Registration, err)
	}
	for _, rt := range own.Registration.Titles {
		if rt.TitleID == first.Title.Title.ID && rt.Choice != "buy" {
			t.Errorf("%s: %s, want buy", rt.Title, rt.Choice)
		}
	}
	_ = seed
	// Back on the overview, Clara is registered and sees what to pay.
	test.Tap(v.Back)
	u.Wait()
	if !strings.Contains(s.Registration.Text, "Petra Roth") || !s.payCard.Visible() || s.Reference.Text != "Verwendungszweck: "+ref ||
		!strings.Contains(s.Money.Text, euro(reduced)) || !s.Bank.Visible() || !strings.Contains(s.Bank.Text, "DE89 3704 0044 0532 0130 00") {
		t.Errorf("overview after registering: %q / %q / %q", s.Registration.Text, s.Money.Text, s.Reference.Text)
	}
	// Changing it starts from what was registered.
	test.Tap(s.Register)
	u.Wait()
	if s.Form == nil || s.Form.Package.Selected != "Einzelne Bücher auswählen" || !s.Form.Reduction.Checked || s.Form.Guardian.Text != "Petra Roth" {
		t.Errorf("the change form does not start from the registration")
	}
}

func TestLendingQuoteMatchesServer(t *testing.T) {
	o := wire.LendingOffer{Year: wire.LendingYear{LendingYearInput: wire.LendingYearInput{ReductionPct: 80}}, HalfYear: true,
		Titles: []wire.LendingListTitle{
			{Title: wire.LendingTitle{ID: 1}, FeeCents: 873},
			{Title: wire.LendingTitle{ID: 2}, FeeCents: 805},
			{Title: wire.LendingTitle{ID: 3, LendingTitleInput: wire.LendingTitleInput{Consumable: true}}, FeeCents: 0},
		}}
	for _, tc := range []struct {
		name string
		in   wire.LendingRegistrationInput
		want int64
		n    int
	}{
		{"package, half year", wire.LendingRegistrationInput{Package: true}, 839, 2},                    // 1678/2
		{"reduction, half year", wire.LendingRegistrationInput{Package: true, Reduction: true}, 671, 2}, // 1678*0.8/2 = 671.2
		{"exempt", wire.LendingRegistrationInput{Package: true, Exemption: "sgb2"}, 0, 2},
		{"one title", wire.LendingRegistrationInput{Choices: []wire.LendingChoice{{Title: 1, Choice: "borrow"}, {Title: 2, Choice: "buy"}}}, 437, 1}, // 873/2 = 436.5
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, n := lmQuote(o, tc.in)
			if got != tc.want || n != tc.n {
				t.Errorf("got %d (%d titles), want %d (%d)", got, n, tc.want, tc.n)
			}
		})
	}
}
