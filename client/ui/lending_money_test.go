package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"golang.org/x/text/encoding/charmap"

	"kaspel/client/config"
	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// bankAmount is cents as a German bank's export writes them: "12,50".
func bankAmount(cents int64) string { return strings.TrimSuffix(euro(cents), " €") }

// writeStatement writes a bank export in Windows-1252 (as most German
// banks do) into a temporary file.
func writeStatement(t *testing.T, name, text string) string {
	t.Helper()
	data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(strings.ReplaceAll(text, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// openMoneyAs logs a person in and opens the money desk.
func openMoneyAs(t *testing.T, w *world, login string) (*UI, *LendingMoneyScreen) {
	t.Helper()
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, login)
	u.showLendingMoney()
	u.Wait()
	s, ok := u.screen(lendingMoneyKey).(*LendingMoneyScreen)
	if !ok {
		t.Fatal("the money screen did not open")
	}
	if s.yearID == 0 {
		t.Fatalf("no school year chosen: %q", s.Message.Text)
	}
	return u, s
}

// accountOf is a pupil's account as the server has it.
func accountOf(t *testing.T, api *serverapi.Client, ref string) wire.LendingAccount {
	t.Helper()
	d, err := api.LendingAccount(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	return d.Account
}

func TestLendingMoneyImportMatchAndCash(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	sec := w.apiAs(w.Secretary)
	benRef, benDue := seed.References[w.Pupil2], seed.Due[w.Pupil2]
	annaRef, annaDue := seed.References[w.Pupil], seed.Due[w.Pupil]
	// Ben's parents pay in two parts: one names the reference (written
	// the way parents do, lower case with spaces), the other does not.
	spaced := strings.ToLower(strings.ReplaceAll(benRef, "-", " "))
	path := writeStatement(t, "umsaetze.csv", "Umsätze Girokonto;;;;\n"+
		"Buchungstag;Valutadatum;Beguenstigter/Zahlungspflichtiger;Verwendungszweck;Betrag\n"+
		"01.09.2026;01.09.2026;Jürgen Becker;Schulbücher Ben "+spaced+";"+bankAmount(benDue-500)+"\n"+
		"02.09.2026;02.09.2026;Jürgen Becker;Rest Bücher Ben 3a;5,00\n"+
		"03.09.2026;03.09.2026;Stadtwerke;Abschlag Strom;-45,00\n")

	u, s := openMoneyAs(t, w, w.Secretary)
	u.opts.PickFile = func(done func(string)) { done(path) }
	test.Tap(s.Import.Choose)
	u.Wait()
	got := s.Import.Summary.Text
	if !strings.Contains(got, "2 Buchungen erkannt, 1 zugeordnet, 1 offen") || !strings.Contains(got, "1 Abbuchung übersprungen") {
		t.Fatalf("dry run: %q (message %q)", got, s.Import.Message.Text)
	}
	if len(s.Import.Lines) != 2 || !strings.Contains(s.Import.Lines[0].Text, "Ben Becker") ||
		!strings.Contains(s.Import.Lines[0].Text, "Jürgen Becker") || !strings.Contains(s.Import.Lines[0].Text, "01.09.2026") {
		t.Errorf("dry run lines: %d, first %q", len(s.Import.Lines), s.Import.Lines[0].Text)
	}
	if a := accountOf(t, sec, benRef); a.PaidCents != 0 {
		t.Fatalf("the dry run booked %d cents", a.PaidCents)
	}
	if !s.Import.Book.Visible() {
		t.Fatal("no button to book")
	}
	test.Tap(s.Import.Book)
	u.Wait()
	if got := s.Import.Summary.Text; !strings.Contains(got, "Gebucht: 1 Zahlung ("+euro(benDue-500)+")") {
		t.Errorf("after booking: %q (message %q)", got, s.Import.Message.Text)
	}
	if a := accountOf(t, sec, benRef); a.PaidCents != benDue-500 || a.Status != "due" {
		t.Errorf("Ben after the import: paid %d, %s; want %d, due", a.PaidCents, a.Status, benDue-500)
	}

	// The same file again books nothing twice.
	test.Tap(s.Import.Choose)
	u.Wait()
	if got := s.Import.Summary.Text; !strings.Contains(got, "0 zugeordnet, 0 offen") || !strings.Contains(got, "2 schon früher importiert") {
		t.Errorf("the same file again: %q", got)
	}
	if s.Import.Book.Visible() {
		t.Error("the same file again offers to book")
	}

	// The unmatched line, matched by hand with the child's name.
	s.Tabs.SelectIndex(1)
	u.Wait()
	if len(s.Unmatched.Rows) != 1 {
		t.Fatalf("unmatched: %d rows, want 1 (%q)", len(s.Unmatched.Rows), s.Unmatched.Message.Text)
	}
	row := s.Unmatched.Rows[0]
	if !strings.Contains(row.Info.Text, "5,00 €") || !strings.Contains(row.Info.Text, "Rest Bücher Ben 3a") {
		t.Errorf("unmatched line: %q", row.Info.Text)
	}
	test.Type(row.Target, "Becker")
	test.Tap(row.Match)
	u.Wait()
	if len(s.Unmatched.Rows) != 0 {
		t.Fatalf("still unmatched after matching: %d (%q)", len(s.Unmatched.Rows), row.Message.Text)
	}
	if got := s.Unmatched.Message.Text; !strings.Contains(got, benRef) {
		t.Errorf("after matching: %q", got)
	}
	if a := accountOf(t, sec, benRef); a.PaidCents != benDue || a.Status != "paid" {
		t.Errorf("Ben after matching: paid %d, %s; want %d, paid", a.PaidCents, a.Status, benDue)
	}

	// The accounts show Ben paid; the filter by state and the search work.
	s.Tabs.SelectIndex(2)
	u.Wait()
	ben := accountRow(t, s.Accounts, "Ben Becker")
	if ben.Status.Text != "Bezahlt" || !strings.Contains(ben.Info.Text, benRef) || !strings.Contains(ben.Info.Text, euro(benDue)) {
		t.Errorf("Ben's row: %q / %q", ben.Status.Text, ben.Info.Text)
	}
	s.Accounts.Status.SetSelected("Offen")
	if len(s.Accounts.Rows) != 0 {
		t.Errorf("state Offen: %d rows, want none", len(s.Accounts.Rows))
	}
	s.Accounts.Status.SetSelected("Bezahlt")
	s.Accounts.Search.SetText("anna")
	if len(s.Accounts.Rows) != 1 || s.Accounts.Rows[0].Account.Pupil != w.Pupil {
		t.Errorf("search anna: %d rows", len(s.Accounts.Rows))
	}

	// Cash at the desk for Anna, then the money given back.
	s.Tabs.SelectIndex(3)
	test.Type(s.Cash.Target, "Schmidt")
	test.Type(s.Cash.Amount, "2,50")
	test.Tap(s.Cash.Book)
	u.Wait()
	if got := s.Cash.Message.Text; !strings.Contains(got, "2,50 €") || !strings.Contains(got, annaRef) || !strings.Contains(got, "Erstattung") {
		t.Errorf("cash: %q", got)
	}
	if a := accountOf(t, sec, annaRef); a.PaidCents != annaDue+250 || a.Status != "refund" {
		t.Errorf("Anna after cash: paid %d, %s", a.PaidCents, a.Status)
	}
	test.Type(s.Cash.Target, "Schmidt")
	test.Type(s.Cash.Amount, "2,50")
	s.Cash.Refund.SetChecked(true)
	test.Tap(s.Cash.Book)
	u.Wait()
	if got := s.Cash.Message.Text; !strings.Contains(got, "Rückzahlung von 2,50 €") {
		t.Errorf("refund: %q", got)
	}
	if a := accountOf(t, sec, annaRef); a.PaidCents != annaDue || a.Status != "paid" {
		t.Errorf("Anna after the refund: paid %d, %s", a.PaidCents, a.Status)
	}
	// A typing error is said, nothing is booked.
	if s.Cash.Target.Text != "" || s.Cash.Amount.Text != "" {
		t.Errorf("the form keeps %q, %q after booking", s.Cash.Target.Text, s.Cash.Amount.Text)
	}
	test.Type(s.Cash.Target, annaRef)
	test.Type(s.Cash.Amount, "zwei Euro")
	test.Tap(s.Cash.Book)
	u.Wait()
	if got := s.Cash.Message.Text; !strings.Contains(got, "zwei Euro") {
		t.Errorf("a wrong amount: %q", got)
	}
}

// accountRow finds a pupil's row in the accounts.
func accountRow(t *testing.T, a *LendingAccountsTab, name string) *LendingAccountRow {
	t.Helper()
	for _, r := range a.Rows {
		if r.Account.PupilName == name {
			return r
		}
	}
	t.Fatalf("no account row for %s (%d rows, %q)", name, len(a.Rows), a.Message.Text)
	return nil
}

func TestLendingMoneyMapping(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	benRef, benDue := seed.References[w.Pupil2], seed.Due[w.Pupil2]
	// A bank whose headers nobody knows.
	path := writeStatement(t, "export.csv", "Tag;Wert;Gegenkonto;Text 1;Text 2\n"+
		"15.09.26;"+bankAmount(benDue)+";Familie Becker;Schulbuchausleihe;"+benRef+"\n"+
		"16.09.26;30,00;Herr Krause;Spende;Schulfest\n")
	u, s := openMoneyAs(t, w, w.Secretary)
	u.opts.PickFile = func(done func(string)) { done(path) }
	test.Tap(s.Import.Choose)
	u.Wait()
	if !s.Import.Message.Visible() || !strings.Contains(s.Import.Message.Text, "Spalten") {
		t.Errorf("unknown columns: message %q", s.Import.Message.Text)
	}
	m := s.Import.Mapping
	if !m.box.Visible() {
		t.Fatal("the mapping did not open")
	}
	if strings.Join(m.Date.Options, "|") != "Tag|Wert|Gegenkonto|Text 1|Text 2" {
		t.Errorf("columns offered: %v", m.Date.Options)
	}
	test.Tap(m.Save)
	if !strings.Contains(m.Message.Text, "Buchungstag, Betrag und Verwendungszweck") {
		t.Errorf("saving an empty mapping: %q", m.Message.Text)
	}
	m.Date.SetSelected("Tag")
	m.Amount.SetSelected("Wert")
	m.Payer.SetSelected("Gegenkonto")
	m.Purpose.SetSelected([]string{"Text 2", "Text 1"})
	test.Tap(m.Save)
	u.Wait()
	if m.box.Visible() {
		t.Fatalf("the mapping stays open: %q", m.Message.Text)
	}
	if got := s.Import.Summary.Text; !strings.Contains(got, "2 Buchungen erkannt, 1 zugeordnet, 1 offen") {
		t.Errorf("dry run after the mapping: %q (%q)", got, s.Import.Message.Text)
	}
	stored, err := w.apiAs(w.Secretary).LendingMapping(ctx)
	if err != nil || stored.Date != "Tag" || stored.Amount != "Wert" || strings.Join(stored.Purpose, "|") != "Text 1|Text 2" || stored.Payer != "Gegenkonto" {
		t.Errorf("stored mapping: %+v, %v", stored, err)
	}
	// The donation is no lending payment: booked, then set aside.
	test.Tap(s.Import.Book)
	u.Wait()
	s.Tabs.SelectIndex(1)
	u.Wait()
	if len(s.Unmatched.Rows) != 1 || !strings.Contains(s.Unmatched.Rows[0].Info.Text, "Herr Krause") {
		t.Fatalf("unmatched: %d rows", len(s.Unmatched.Rows))
	}
	test.Tap(s.Unmatched.Rows[0].Ignore)
	u.Wait()
	if len(s.Unmatched.Rows) != 0 || !strings.Contains(s.Unmatched.Message.Text, "keine Schulbuchzahlung") || !s.Unmatched.Empty.Visible() {
		t.Errorf("after ignoring: %d rows, %q", len(s.Unmatched.Rows), s.Unmatched.Message.Text)
	}
	if a := accountOf(t, w.apiAs(w.Secretary), benRef); a.PaidCents != benDue {
		t.Errorf("Ben: paid %d, want %d", a.PaidCents, benDue)
	}

	// Opened again, the form shows the stored mapping.
	test.Tap(s.Import.Columns)
	u.Wait()
	if m.Date.Selected != "Tag" || len(m.Purpose.Selected) != 2 || m.IBAN.Selected != "" {
		t.Errorf("the stored mapping is not preselected: %q %v %q", m.Date.Selected, m.Purpose.Selected, m.IBAN.Selected)
	}
}

func TestLendingMoneyClaimCancel(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	sec := w.apiAs(w.Secretary)
	// Anna's maths book comes back clearly damaged: a claim.
	res, err := sec.LendingScan(ctx, wire.LendingScan{Code: seed.AnnaMaths, Mode: wire.LendingModeReturn, Condition: wire.LendingReturnMedium})
	if err != nil || res.Claim == nil {
		t.Fatalf("return with damage: %+v, %v", res.Kind, err)
	}
	u, s := openMoneyAs(t, w, w.Secretary)
	s.Tabs.SelectIndex(4)
	u.Wait()
	if len(s.Claims.Rows) != 1 {
		t.Fatalf("claims: %d rows (%q)", len(s.Claims.Rows), s.Claims.Message.Text)
	}
	r := s.Claims.Rows[0]
	if !strings.Contains(r.Info.Text, "Anna Schmidt") || !strings.Contains(r.Info.Text, seed.AnnaMaths) || !strings.Contains(r.Info.Text, euro(res.Claim.AmountCents)) {
		t.Errorf("claim row: %q", r.Info.Text)
	}
	if r.ask.Visible() {
		t.Error("the reason shows before asking")
	}
	test.Tap(r.Cancel)
	if !r.ask.Visible() {
		t.Fatal("no reason asked for")
	}
	test.Tap(r.Confirm)
	u.Wait()
	if !strings.Contains(r.Message.Text, "Begründung") {
		t.Errorf("waived without a reason: %q", r.Message.Text)
	}
	test.Type(r.Reason, "Schaden war schon bei der Ausgabe da")
	test.Tap(r.Confirm)
	u.Wait()
	if len(s.Claims.Rows) != 0 || !strings.Contains(s.Claims.Message.Text, "erlassen") {
		t.Errorf("after waiving: %d rows, %q", len(s.Claims.Rows), s.Claims.Message.Text)
	}
	cancelled, err := sec.LendingClaims(ctx, 0, "cancelled")
	if err != nil || len(cancelled) != 1 || cancelled[0].CancelReason != "Schaden war schon bei der Ausgabe da" {
		t.Fatalf("cancelled claims: %+v, %v", cancelled, err)
	}
	s.Claims.State.SetSelected("erlassen")
	u.Wait()
	if len(s.Claims.Rows) != 1 || s.Claims.Rows[0].Cancel.Visible() || !strings.Contains(s.Claims.Rows[0].Info.Text, "Schaden war schon") {
		t.Errorf("the waived claim: %d rows", len(s.Claims.Rows))
	}
}

func TestLendingMoneyProof(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	sec := w.apiAs(w.Secretary)
	// Clara's family registers at the office with the reduction; the
	// proof is still to come.
	reg, err := sec.LendingRegisterPupil(ctx, w.OtherPupil, wire.LendingRegistrationInput{Year: seed.Year.ID, Package: true,
		Guardian: "Petra Roth", Reduction: true, AcceptTerms: true, ReductionProof: "pending"})
	if err != nil {
		t.Fatal(err)
	}
	u, s := openMoneyAs(t, w, w.Secretary)
	s.Tabs.SelectIndex(2)
	u.Wait()
	clara := accountRow(t, s.Accounts, "Clara Roth")
	if clara.Status.Text != "Wartet" {
		t.Errorf("Clara's state: %q, want Wartet", clara.Status.Text)
	}
	test.Tap(clara.Open)
	u.Wait()
	v := s.Accounts.Detail
	if v == nil || !v.Reduction.box.Visible() {
		t.Fatalf("no proof on the account (%v)", v != nil)
	}
	if !strings.Contains(v.Reduction.State.Text, "noch nicht geprüft") || !strings.Contains(v.Summary.Text, reg.Account.Reference) {
		t.Errorf("account view: %q / %q", v.Reduction.State.Text, v.Summary.Text)
	}
	if v.Exemption.box.Visible() {
		t.Error("an exemption shows that nobody applied for")
	}
	test.Tap(v.Reduction.Accept)
	u.Wait()
	p, err := sec.LendingPupil(ctx, w.OtherPupil, seed.Year.ID)
	if err != nil || p.Registration == nil || p.Registration.ReductionProof != "accepted" {
		t.Fatalf("proof after accepting: %+v, %v", p.Registration, err)
	}
	if !strings.Contains(v.Reduction.State.Text, "anerkannt") || v.Reduction.Accept.Visible() || !strings.Contains(v.Summary.Text, "Offen") {
		t.Errorf("after accepting: %q, accept shown %v, %q", v.Reduction.State.Text, v.Reduction.Accept.Visible(), v.Summary.Text)
	}
	// A payment by hand on the account's own form.
	test.Type(v.Payment.Amount, bankAmount(reg.Registration.DueCents))
	test.Tap(v.Payment.Book)
	u.Wait()
	if !strings.Contains(v.Summary.Text, "Bezahlt") {
		t.Errorf("after paying: %q (%q)", v.Summary.Text, v.Payment.Message.Text)
	}
	test.Tap(v.Back)
	u.Wait()
	if s.Accounts.Detail != nil || accountRow(t, s.Accounts, "Clara Roth").Status.Text != "Bezahlt" {
		t.Error("back in the list, Clara is not paid")
	}
}

// TestLendingMoneyRefusedToTeachers: a teacher is no lending staff; the
// server's German refusal shows.
func TestLendingMoneyRefusedToTeachers(t *testing.T) {
	w := newWorld(t)
	w.seedLending()
	u := w.newUI(config.ModeStaff)
	w.loggedIn(u, w.Teacher)
	u.showLendingMoney()
	u.Wait()
	s := u.screen(lendingMoneyKey).(*LendingMoneyScreen)
	s.yearID = 1
	s.Accounts.load()
	u.Wait()
	if !s.Accounts.Message.Visible() || s.Accounts.Message.Text == "" || len(s.Accounts.Rows) != 0 {
		t.Errorf("a teacher sees accounts: %d rows, message %q", len(s.Accounts.Rows), s.Accounts.Message.Text)
	}
}
