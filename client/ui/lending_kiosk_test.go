package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/config"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// openKioskAs logs a person in and taps the "Schulbücher" tile.
func openKioskAs(t *testing.T, w *world, login string) (*UI, *KioskScreen) {
	t.Helper()
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, login)
	b := u.Home.Tiles[wire.ModuleLending]
	if b == nil {
		t.Fatalf("%s: no lending tile on the home screen", login)
	}
	test.Tap(b)
	u.Wait()
	s, ok := u.screen(lendingKey).(*KioskScreen)
	if !ok {
		t.Fatalf("%s: the lending tile opened no kiosk", login)
	}
	return u, s
}

// kioskScan types a code into whatever has the focus, as a scanner does,
// and Enter; the focus must be on the scan field.
func kioskScan(t *testing.T, u *UI, s *KioskScreen, code string) wire.LendingScanResult {
	t.Helper()
	kioskTypeOnly(t, u, s, code)
	u.Wait()
	return s.Last
}

// kioskTypeOnly types a scan without waiting for its answer.
func kioskTypeOnly(t *testing.T, u *UI, s *KioskScreen, code string) {
	t.Helper()
	f := u.win.Canvas().Focused()
	if f != s.Scan {
		t.Fatalf("the scan field does not have the focus (focused: %T) before scanning %s", f, code)
	}
	test.Type(f, code)
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// kioskFocused fails unless the scan field has the focus.
func kioskFocused(t *testing.T, u *UI, s *KioskScreen, after string) {
	t.Helper()
	if f := u.win.Canvas().Focused(); f != s.Scan {
		t.Errorf("after %s the focus is on %T, not on the scan field", after, f)
	}
}

func kioskBook(t *testing.T, s *KioskScreen, titleID int64) *KioskBook {
	t.Helper()
	for _, b := range s.Panel.Books {
		if b.Booked.TitleID == titleID {
			return b
		}
	}
	t.Fatalf("title %d is not among the panel's books (%d books)", titleID, len(s.Panel.Books))
	return nil
}

func TestKioskCardSelectsPupil(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	kioskFocused(t, u, s, "opening the kiosk")
	if s.Mode != wire.LendingModeDesk {
		t.Errorf("mode: got %q, want desk", s.Mode)
	}
	res := kioskScan(t, u, s, seed.Cards[w.Pupil])
	if res.Kind != wire.LendingScanPupil || s.Pupil != w.Pupil {
		t.Fatalf("card scan: kind %q, selected %q; band %q", res.Kind, s.Pupil, s.Band.Text)
	}
	p := s.Panel
	if p.Name.Text != "Anna Schmidt" || !strings.Contains(p.Info.Text, "3a") || !strings.Contains(p.Info.Text, seed.Cards[w.Pupil]) {
		t.Errorf("panel head: %q / %q", p.Name.Text, p.Info.Text)
	}
	if p.Status.Text != "Bezahlt" {
		t.Errorf("payment state: got %q, want Bezahlt", p.Status.Text)
	}
	if !strings.Contains(p.Ref.Text, seed.References[w.Pupil]) {
		t.Errorf("reference: got %q, want %s", p.Ref.Text, seed.References[w.Pupil])
	}
	due := euro(seed.Due[w.Pupil])
	if !strings.Contains(p.Amount.Text, "Betrag "+due) || !strings.Contains(p.Amount.Text, "offen 0,00 €") {
		t.Errorf("amounts: got %q, want the amount %s, nothing open", p.Amount.Text, due)
	}
	if !strings.Contains(p.Reg.Text, "Angemeldet für "+seed.Year.Name) || !strings.Contains(p.Reg.Text, "ganzes Paket") {
		t.Errorf("registration: %q", p.Reg.Text)
	}
	if b := kioskBook(t, s, seed.Maths3.ID); !b.Issued || !strings.HasPrefix(b.Label.Text, "✓") || !strings.Contains(b.Label.Text, seed.AnnaMaths) {
		t.Errorf("Maths 3 should be ticked with its copy: %q", b.Label.Text)
	}
	if b := kioskBook(t, s, seed.Reading3.ID); b.Issued {
		t.Errorf("the reading book is not issued yet: %q", b.Label.Text)
	}
	if !strings.Contains(p.Missing.Text, seed.Reading3.Title) || strings.Contains(p.Missing.Text, seed.Maths3.Title+",") {
		t.Errorf("missing: %q", p.Missing.Text)
	}
	if len(p.Loans) != 1 || p.Loans[0].Loan.Code != seed.AnnaMaths {
		t.Errorf("loans: %d", len(p.Loans))
	}
	if s.Band.Level != wire.LendingLevelOK || !strings.Contains(s.Band.Text, "Anna Schmidt") {
		t.Errorf("band: %q %q", s.Band.Level, s.Band.Text)
	}
	kioskFocused(t, u, s, "the card scan")
}

func TestKioskIssueTicksBook(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	kioskScan(t, u, s, seed.Cards[w.Pupil])
	flashes := s.Band.Flashes
	code := seed.Free[seed.Reading3.ID][0]
	res := kioskScan(t, u, s, code)
	if res.Kind != wire.LendingScanIssued || s.Band.Level != wire.LendingLevelOK {
		t.Fatalf("issue: kind %q, band %q %q", res.Kind, s.Band.Level, s.Band.Text)
	}
	if s.Band.Flashes != flashes+1 {
		t.Errorf("the band did not flash for the answer")
	}
	if b := kioskBook(t, s, seed.Reading3.ID); !b.Issued || !strings.Contains(b.Label.Text, code) {
		t.Errorf("the reading book is not ticked after the issue: %q", b.Label.Text)
	}
	if strings.Contains(s.Panel.Missing.Text, seed.Reading3.Title) {
		t.Errorf("still missing after the issue: %q", s.Panel.Missing.Text)
	}
	if len(s.Panel.Loans) != 2 {
		t.Errorf("loans after the issue: got %d, want 2", len(s.Panel.Loans))
	}
	kioskFocused(t, u, s, "the issue")
}

func TestKioskUnpaidIsHeld(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	kioskScan(t, u, s, seed.Cards[w.Pupil2])
	if s.Panel.Status.Text != "Offen" {
		t.Errorf("Ben's payment state: got %q, want Offen", s.Panel.Status.Text)
	}
	code := seed.Free[seed.Reading3.ID][0]
	res := kioskScan(t, u, s, code)
	if res.Kind != wire.LendingScanConfirm || s.Held == nil || s.Held.Code != code {
		t.Fatalf("unpaid: kind %q, held %v", res.Kind, s.Held)
	}
	if s.Band.Level != wire.LendingLevelWarning || !s.Confirm.Visible() || !strings.Contains(s.Warnings.Text, "nicht bezahlt") {
		t.Errorf("held: band %q, confirm visible %v, warnings %q", s.Band.Level, s.Confirm.Visible(), s.Warnings.Text)
	}
	if kioskBook(t, s, seed.Reading3.ID).Issued {
		t.Error("a held copy is shown as issued")
	}
	// scanning the same copy again issues it
	res = kioskScan(t, u, s, code)
	if res.Kind != wire.LendingScanIssued || s.Held != nil || s.Confirm.Visible() {
		t.Fatalf("second scan: kind %q, held %v", res.Kind, s.Held)
	}
	if !kioskBook(t, s, seed.Reading3.ID).Issued {
		t.Error("the book is not ticked after the second scan")
	}
	// the button issues too; "Nicht ausgeben" keeps the copy
	other := seed.Free[seed.Language3.ID][0]
	if res := kioskScan(t, u, s, other); res.Kind != wire.LendingScanConfirm {
		t.Fatalf("second title: kind %q", res.Kind)
	}
	test.Tap(s.Cancel)
	kioskFocused(t, u, s, "Nicht ausgeben")
	if s.Held != nil || !strings.Contains(s.Band.Text, "Nicht ausgegeben") {
		t.Errorf("cancel: held %v, band %q", s.Held, s.Band.Text)
	}
	kioskScan(t, u, s, other)
	test.Tap(s.Confirm)
	u.Wait()
	if s.Last.Kind != wire.LendingScanIssued || !kioskBook(t, s, seed.Language3.ID).Issued {
		t.Errorf("confirm button: kind %q", s.Last.Kind)
	}
	kioskFocused(t, u, s, "Trotzdem ausgeben")
}

func TestKioskReturnDayDamage(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	// Ben was chosen at the counter; on return day the books say whose
	// they are (no warning that Anna's book is not Ben's)
	kioskScan(t, u, s, seed.Cards[w.Pupil2])
	test.Tap(s.Modes[wire.LendingModeReturn])
	kioskFocused(t, u, s, "tapping Rückgabe")
	if s.Mode != wire.LendingModeReturn {
		t.Fatalf("mode: %q", s.Mode)
	}
	test.Tap(s.Conditions[wire.LendingReturnMedium])
	kioskFocused(t, u, s, "tapping a condition")
	res := kioskScan(t, u, s, seed.AnnaMaths)
	if res.Kind != wire.LendingScanReturned || res.Claim == nil || res.Claim.Kind != wire.LendingReturnMedium {
		t.Fatalf("return: kind %q, claim %+v; band %q", res.Kind, res.Claim, s.Band.Text)
	}
	if s.Band.Level != wire.LendingLevelWarning || !strings.Contains(s.Band.Text, "Ersatzforderung") {
		t.Errorf("band: %q %q", s.Band.Level, s.Band.Text)
	}
	want := "Offene Ersatzforderungen: " + euro(res.Claim.AmountCents)
	if len(res.Warnings) != 0 {
		t.Errorf("warnings on return day: %+v", res.Warnings)
	}
	if !s.Panel.Shown || s.Panel.Name.Text != "Anna Schmidt" || !strings.Contains(s.Panel.Claims.Text, want) {
		t.Errorf("panel: %q, claims %q, want %q", s.Panel.Name.Text, s.Panel.Claims.Text, want)
	}
	if len(s.Panel.Loans) != 0 {
		t.Errorf("Anna still has %d loans", len(s.Panel.Loans))
	}
	// the condition stays for the next scans; a copy in stock is not lent
	if s.Condition != wire.LendingReturnMedium {
		t.Errorf("condition after the scan: %q", s.Condition)
	}
	if res := kioskScan(t, u, s, seed.Free[seed.Reading3.ID][0]); res.Kind != wire.LendingScanRefused || !strings.Contains(s.Band.Text, "nicht ausgeliehen") {
		t.Errorf("a copy in stock on return day: %q %q", res.Kind, s.Band.Text)
	}
}

func TestKioskOtherPupilsCopy(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	kioskScan(t, u, s, seed.Cards[w.Pupil2])
	res := kioskScan(t, u, s, seed.AnnaMaths)
	if res.Kind != wire.LendingScanReturned {
		t.Fatalf("kind %q, band %q", res.Kind, s.Band.Text)
	}
	if s.Band.Level != wire.LendingLevelWarning || !strings.Contains(s.Warnings.Text, "nicht an Ben Becker") || !s.holdBox.Visible() {
		t.Errorf("warning: band %q, warnings %q", s.Band.Level, s.Warnings.Text)
	}
	if s.Pupil != w.Pupil2 || s.Panel.Name.Text != "Ben Becker" {
		t.Errorf("the selected pupil changed: %q, panel %q", s.Pupil, s.Panel.Name.Text)
	}
}

func TestKioskNameSearch(t *testing.T) {
	w := newWorld(t)
	w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	res := kioskScan(t, u, s, "3a")
	if res.Kind != wire.LendingScanChoose || len(s.Candidates) != 2 {
		t.Fatalf("name search: kind %q, %d candidates; band %q", res.Kind, len(s.Candidates), s.Band.Text)
	}
	var ben *widget.Button
	for _, b := range s.Candidates {
		if strings.Contains(b.Text, "Ben Becker (3a)") {
			ben = b
		}
	}
	if ben == nil {
		t.Fatalf("no button for Ben: %q, %q", s.Candidates[0].Text, s.Candidates[1].Text)
	}
	test.Tap(ben)
	u.Wait()
	kioskFocused(t, u, s, "tapping a candidate")
	if s.Pupil != w.Pupil2 || s.Panel.Name.Text != "Ben Becker" || len(s.Candidates) != 0 {
		t.Errorf("after the tap: selected %q, panel %q, %d candidates", s.Pupil, s.Panel.Name.Text, len(s.Candidates))
	}
	// keyboard only: the digit picks
	kioskScan(t, u, s, "3a")
	first := s.candidates[0].Login
	kioskScan(t, u, s, "1")
	if s.Pupil != first {
		t.Errorf("digit 1: selected %q, want %q", s.Pupil, first)
	}
	// one hit selects directly
	if res := kioskScan(t, u, s, "Roth"); res.Kind != wire.LendingScanPupil || s.Pupil != w.OtherPupil {
		t.Errorf("one hit: kind %q, selected %q", res.Kind, s.Pupil)
	}
}

func TestKioskClassSet(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	// two more paid pupils in 3a
	sec := w.apiAs(w.Secretary)
	paid := map[string]bool{w.Pupil: true}
	for _, n := range [][2]string{{"Carla", "Adler"}, {"Dora", "Zeller"}} {
		login := w.rig.AddPerson(n[0], n[1], directory.Pupil, pupilPW, "3a")
		reg, err := sec.LendingRegisterPupil(ctx, login, wire.LendingRegistrationInput{Year: seed.Year.ID, Package: true, Guardian: "Familie " + n[1], AcceptTerms: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sec.LendingAddPayment(ctx, wire.LendingPaymentInput{Reference: reg.Account.Reference, AmountCents: reg.Registration.DueCents}); err != nil {
			t.Fatal(err)
		}
		paid[login] = true
	}
	u, s := openKioskAs(t, w, w.Secretary)
	test.Tap(s.Modes[wire.LendingModeClass])
	kioskFocused(t, u, s, "tapping Klassensatz")
	s.Class.SetSelected("3a")
	u.Wait()
	kioskFocused(t, u, s, "choosing the class")
	if !strings.Contains(s.Progress.Text, "noch 3 Kinder") || !strings.Contains(s.Progress.Text, "1 nicht bezahlt") {
		t.Errorf("class state: %q", s.Progress.Text)
	}
	// a stack scanned fast: three copies before any answer
	codes := seed.Free[seed.Reading3.ID][:4]
	for _, c := range codes[:3] {
		kioskTypeOnly(t, u, s, c)
	}
	u.Wait()
	got := map[string]bool{}
	for _, c := range codes[:3] {
		cp, err := sec.LendingCopy(ctx, c)
		if err != nil || cp.Loan == nil {
			t.Fatalf("copy %s not lent: %+v %v", c, cp, err)
		}
		if !paid[cp.Loan.Pupil] || got[cp.Loan.Pupil] {
			t.Errorf("copy %s went to %s", c, cp.Loan.Pupil)
		}
		got[cp.Loan.Pupil] = true
	}
	if s.Last.Class == nil || s.Last.Class.Unpaid != 1 || s.Last.Class.Remaining != 0 {
		t.Errorf("progress: %+v", s.Last.Class)
	}
	if !strings.Contains(s.Progress.Text, "noch 0 Kinder, 1 nicht bezahlt") {
		t.Errorf("progress line: %q", s.Progress.Text)
	}
	// the fourth: nobody paid is left; Ben (unpaid) is skipped
	res := kioskScan(t, u, s, codes[3])
	if res.Kind != wire.LendingScanRefused || !strings.Contains(s.Band.Text, "nicht bezahlt") {
		t.Errorf("fourth copy: %q %q", res.Kind, s.Band.Text)
	}
	ben, err := sec.LendingPupil(ctx, w.Pupil2, seed.Year.ID)
	if err != nil || len(ben.Loans) != 0 {
		t.Errorf("Ben (unpaid) got books: %+v %v", ben.Loans, err)
	}
}

func TestKioskTeacherClassSetsOnly(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Teacher)
	if len(s.Modes) != 1 || s.Modes[wire.LendingModeClass] == nil || s.Mode != wire.LendingModeClass {
		t.Fatalf("teacher's modes: %v (mode %q)", s.Modes, s.Mode)
	}
	if len(s.Class.Options) != 1 || s.Class.Options[0] != "3a" {
		t.Errorf("teacher's classes: %v", s.Class.Options)
	}
	if s.Panel.Register.Visible() {
		t.Error("a teacher may not register for parents")
	}
	kioskFocused(t, u, s, "opening the kiosk")
	s.Class.SetSelected("3a")
	u.Wait()
	res := kioskScan(t, u, s, seed.Free[seed.Reading3.ID][0])
	if res.Kind != wire.LendingScanIssued || res.Class == nil || res.Class.IssuedTo != "Anna Schmidt" {
		t.Fatalf("teacher's class set: %q %+v; band %q", res.Kind, res.Class, s.Band.Text)
	}
	if s.Panel.Shown {
		t.Error("the teacher sees a family's panel")
	}
	if res := kioskScan(t, u, s, seed.Cards[w.Pupil]); res.Kind != wire.LendingScanRefused {
		t.Errorf("a card in class mode: %q", res.Kind)
	}
	// F1 (the counter) is not the teacher's: nothing changes
	s.Scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF1})
	if s.Mode != wire.LendingModeClass {
		t.Errorf("F1 switched a teacher to %q", s.Mode)
	}
}

func TestKioskModesByAbilities(t *testing.T) {
	w := newWorld(t)
	w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	if s.Modes[wire.LendingModeInventory] != nil || len(s.Modes) != 3 {
		t.Errorf("secretary's modes: %v", s.Modes)
	}
	// the keys switch modes, the focus stays
	s.Scan.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF2})
	if s.Mode != wire.LendingModeReturn || !s.condBox.Visible() {
		t.Errorf("F2: mode %q", s.Mode)
	}
	test.Tap(s.Modes[wire.LendingModeDesk])
	kioskFocused(t, u, s, "tapping Ausgabe")
	a, as := openKioskAs(t, w, w.Admin)
	if len(as.Modes) != 4 {
		t.Errorf("coordinator's modes: %v", as.Modes)
	}
	_ = a
	u2, s2 := openKioskAs(t, w, w.Secretary)
	_ = u2
	if s2.Modes[wire.LendingModeDesk] == nil {
		t.Error("no counter for the secretary")
	}
}

func TestKioskInventory(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Admin)
	test.Tap(s.Modes[wire.LendingModeInventory])
	kioskFocused(t, u, s, "tapping Inventur")
	res := kioskScan(t, u, s, seed.Maths4.ISBN)
	if res.Kind != wire.LendingScanTitle || s.Title == nil || s.Title.ID != seed.Maths4.ID || !strings.Contains(s.InvTitle.Text, seed.Maths4.Title) {
		t.Fatalf("ISBN: kind %q, title %v, %q", res.Kind, s.Title, s.InvTitle.Text)
	}
	res = kioskScan(t, u, s, "0009001")
	if res.Kind != wire.LendingScanCopyAdded || res.Copy == nil || res.Copy.TitleID != seed.Maths4.ID {
		t.Fatalf("label: kind %q, copy %+v; band %q", res.Kind, res.Copy, s.Band.Text)
	}
}

func TestKioskLostBook(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	kioskScan(t, u, s, seed.Cards[w.Pupil])
	if len(s.Panel.Loans) != 1 {
		t.Fatalf("loans: %d", len(s.Panel.Loans))
	}
	test.Tap(s.Panel.Loans[0].Lost)
	u.Wait()
	if s.Last.Kind != wire.LendingScanPupil {
		t.Fatalf("the first tap did something: %q", s.Last.Kind)
	}
	kioskFocused(t, u, s, "the first tap on Verloren")
	test.Tap(s.Panel.Loans[0].Lost)
	u.Wait()
	if s.Last.Kind != wire.LendingScanReturned || s.Last.Claim == nil || s.Last.Claim.Kind != wire.LendingReturnLost {
		t.Fatalf("lost: %q %+v", s.Last.Kind, s.Last.Claim)
	}
	if len(s.Panel.Loans) != 0 || !strings.Contains(s.Panel.Claims.Text, euro(s.Last.Claim.AmountCents)) {
		t.Errorf("panel after the loss: %d loans, %q", len(s.Panel.Loans), s.Panel.Claims.Text)
	}
	kioskFocused(t, u, s, "reporting a loss")
}

func TestKioskRegistrationForParents(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)
	kioskScan(t, u, s, seed.Cards[w.OtherPupil])
	if !strings.Contains(s.Panel.Reg.Text, "Nicht angemeldet") || s.Panel.Status.Text != "Keine Anmeldung" {
		t.Errorf("Clara before: %q %q", s.Panel.Reg.Text, s.Panel.Status.Text)
	}
	test.Tap(s.Panel.Register)
	u.Wait()
	r := s.Registration
	if r == nil {
		t.Fatal("no registration form")
	}
	if len(r.Choices) == 0 || !strings.Contains(r.Heading.Text, "Clara Roth") {
		t.Fatalf("form: %d titles, %q", len(r.Choices), r.Heading.Text)
	}
	// buy the maths book, borrow the rest; no terms yet: the server refuses
	r.Choices[seed.Maths4.ID].SetSelected("Kaufen")
	test.Type(r.Guardian, "Petra Roth")
	test.Tap(r.Submit)
	u.Wait()
	if r.Registered != nil || !r.Message.Visible() || r.Message.Text == "" {
		t.Fatalf("without the terms: registered %v, message %q", r.Registered, r.Message.Text)
	}
	if r.Guardian.Text != "Petra Roth" {
		t.Errorf("the refusal lost the input: %q", r.Guardian.Text)
	}
	test.Tap(r.Terms)
	test.Tap(r.Submit)
	u.Wait()
	if r.Registered == nil {
		t.Fatalf("not registered: %q", r.Message.Text)
	}
	reg := r.Registered
	if !strings.Contains(r.Result.Text, reg.Account.Reference) || !strings.Contains(r.Result.Text, euro(reg.Registration.DueCents)) || reg.Registration.DueCents == 0 {
		t.Errorf("result: %q (due %d)", r.Result.Text, reg.Registration.DueCents)
	}
	if reg.Registration.Channel != "secretary" || reg.Registration.Package {
		t.Errorf("registration: %+v", reg.Registration)
	}
	for _, c := range reg.Registration.Titles {
		if c.TitleID == seed.Maths4.ID && c.Choice != "buy" {
			t.Errorf("maths 4: %q, want buy", c.Choice)
		}
	}
	test.Tap(r.Close)
	u.Wait()
	kioskFocused(t, u, s, "closing the registration")
	if s.Registration != nil || s.Pupil != w.OtherPupil || !strings.Contains(s.Panel.Reg.Text, "im Sekretariat") || !strings.Contains(s.Panel.Ref.Text, reg.Account.Reference) {
		t.Errorf("panel after the registration: %q %q", s.Panel.Reg.Text, s.Panel.Ref.Text)
	}
}

func TestKioskOpensAfterLoginOnTheStation(t *testing.T) {
	w := newWorld(t)
	w.seedLending()
	u := w.newUI(config.ModeKiosk)
	w.loggedIn(u, w.Secretary) // the login screen's own path, hook included
	u.Wait()
	s, ok := u.screen(lendingKey).(*KioskScreen)
	if !ok {
		t.Fatal("the kiosk did not open after the secretary's login on the station")
	}
	kioskFocused(t, u, s, "the login")
	// a teacher stays on the home screen; so does the secretary elsewhere
	t2 := w.newUI(config.ModeKiosk)
	w.loggedIn(t2, w.Teacher)
	t2.Wait()
	if t2.screen(lendingKey) != nil {
		t.Error("the kiosk opened for a teacher")
	}
	s3 := w.newUI(config.ModeStaff)
	w.loggedIn(s3, w.Secretary)
	s3.Wait()
	if s3.screen(lendingKey) != nil {
		t.Error("the kiosk opened outside the kiosk station")
	}
	// A new secretary changes the one-time password first; then the
	// kiosk opens.
	p, onetime, err := w.rig.Dir.AddPerson(ctx, testrig.Admin, directory.NewPerson{FirstName: "Sina", LastName: "Neu", Role: directory.Secretary})
	if err != nil {
		t.Fatal(err)
	}
	u4 := w.newUI(config.ModeKiosk)
	w.login(u4, p.Login, onetime)
	if u4.Password == nil || u4.screen(lendingKey) != nil {
		t.Fatal("want the forced password change first")
	}
	test.Type(u4.Password.New, "Sonne-Mond-42")
	test.Type(u4.Password.Repeat, "Sonne-Mond-42")
	test.Tap(u4.Password.Submit)
	u4.Wait()
	if _, ok := u4.screen(lendingKey).(*KioskScreen); !ok {
		t.Errorf("the kiosk did not open after the forced change; message %q", u4.Password.Message.Text)
	}
}

func TestEuro(t *testing.T) {
	for _, tt := range []struct {
		cents int64
		want  string
	}{{0, "0,00 €"}, {5, "0,05 €"}, {1250, "12,50 €"}, {123456, "1.234,56 €"}, {-305, "-3,05 €"}, {100000000, "1.000.000,00 €"}} {
		if got := euro(tt.cents); got != tt.want {
			t.Errorf("euro(%d): got %q, want %q", tt.cents, got, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		want int64
		ok   bool
	}{{"12,50", 1250, true}, {"12.50", 1250, true}, {"12,5 €", 1250, true}, {"1.234,56", 123456, true}, {"1.234", 123400, true},
		{"12", 1200, true}, {"-3,05", -305, true}, {",5", 50, true}, {"abc", 0, false}, {"", 0, false}, {"1,2,3", 0, false}} {
		got, err := parseEuro(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseEuro(%q): got %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
