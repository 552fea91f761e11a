package lending

import (
	"path/filepath"
	"strings"
	"testing"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/mail"
)

// inbox reads a person's inbox through the mail service, as the child
// (or the parents) would.
func (e *env) inbox(p directory.Person) []mail.Message {
	e.t.Helper()
	bl, err := blobs.Open(filepath.Join(e.t.TempDir(), "blobs"))
	if err != nil {
		e.t.Fatal(err)
	}
	m, err := mail.New(e.db, e.dir, bl, mail.DefaultConfig)
	if err != nil {
		e.t.Fatal(err)
	}
	page, err := m.Page(ctx, p.ID, mail.Inbox, 0, 50)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []mail.Message
	for _, s := range page.Messages {
		msg, err := m.Message(ctx, p.ID, s.ID, false)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, msg)
	}
	return out
}

// Parents register online; a second registration replaces the first,
// keeps the payment reference, and each one's confirmation lands in the
// child's mailbox with the amount, the account and the reference.
func TestRegistrationReplacement(t *testing.T) {
	e := newEnv(t)
	offer, err := e.svc.OwnOffer(ctx, e.anna)
	if err != nil {
		t.Fatal(err)
	}
	if !offer.Open || offer.Grade != 4 || offer.Year.ID != e.year.ID || len(offer.List.Titles) != 4 || offer.HalfYear {
		t.Fatalf("offer: got open %v (%s), grade %d, %d titles", offer.Open, offer.Reason, offer.Grade, len(offer.List.Titles))
	}
	if f := offer.List.Titles[0].Fee; f != 873 {
		t.Errorf("fee of Mathe-Welt 4: got %d, want 873", f)
	}
	_, err = e.svc.RegisterOwn(ctx, e.anna, RegistrationInput{Package: true, Guardian: "Eva Schmidt"})
	if e, ok := AsError(err); !ok || e.Field != "accept_terms" {
		t.Errorf("without accepting the terms: got %v", err)
	}
	first, err := e.svc.RegisterOwn(ctx, e.anna, RegistrationInput{Package: true, Guardian: "Eva Schmidt", AcceptTerms: true})
	if err != nil {
		t.Fatal(err)
	}
	ref := first.Account.Reference
	if first.Registration.Due != 3323 || first.Registration.Channel != Online || first.Replaced || !strings.HasPrefix(ref, "SBA-2026-") ||
		first.Account.Status != StatusDue {
		t.Errorf("first registration: got due %d, channel %s, replaced %v, reference %q, status %s",
			first.Registration.Due, first.Registration.Channel, first.Replaced, ref, first.Account.Status)
	}
	msgs := e.inbox(e.anna)
	if len(msgs) != 1 || !msgs[0].System {
		t.Fatalf("inbox: got %d messages, want one system message", len(msgs))
	}
	for _, want := range []string{"33,23 €", "DE89 3704 0044 0532 0130 00", "Förderverein GS Borsum", "Verwendungszweck: " + ref, "15.07.2026",
		"Mathe-Welt 4 (Leihentgelt 8,73 €)", "Mathe-Welt 4 Arbeitsheft"} {
		if !strings.Contains(msgs[0].Body, want) {
			t.Errorf("the confirmation lacks %q:\n%s", want, msgs[0].Body)
		}
	}
	e.pay(e.anna, 3323)

	// The parents change their mind: single titles and the reduction.
	second, err := e.svc.RegisterOwn(ctx, e.anna, RegistrationInput{Choices: map[int64]Choice{e.maths.ID: Borrow, e.reading.ID: Buy, e.sachu.ID: Borrow},
		Guardian: "Eva Schmidt", Reduction: true, AcceptTerms: true})
	if err != nil {
		t.Fatal(err)
	}
	if !second.Replaced || second.Account.Reference != ref || second.Registration.Full != 2553 || second.Registration.Due != 2042 ||
		!second.Registration.Waiting || second.Registration.ReductionProof != ProofPending {
		t.Errorf("second registration: got replaced %v, reference %q, full %d, due %d, waiting %v, proof %q",
			second.Replaced, second.Account.Reference, second.Registration.Full, second.Registration.Due, second.Registration.Waiting, second.Registration.ReductionProof)
	}
	// 33,23 € paid for 20,42 € now due: money goes back.
	if second.Account.Status != StatusRefund || second.Account.Balance() != 2042-3323 {
		t.Errorf("after replacing: got %s, balance %d", second.Account.Status, second.Account.Balance())
	}
	if n := e.count(`SELECT COUNT(*) FROM lending_registrations WHERE person_id = ?`, e.anna.ID); n != 2 {
		t.Errorf("registrations kept: got %d, want 2 (the old one for the record)", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM lending_registrations WHERE person_id = ? AND replaced_at IS NULL`, e.anna.ID); n != 1 {
		t.Errorf("current registrations: got %d, want 1", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM lending_registrations WHERE id = ? AND replaced_by = ?`, first.Registration.ID, second.Registration.ID); n != 1 {
		t.Error("the old registration does not name its replacement")
	}
	if n := e.count(`SELECT COUNT(*) FROM lending_accounts WHERE person_id = ?`, e.anna.ID); n != 1 {
		t.Errorf("accounts: got %d, want one per pupil and year", n)
	}
	msgs = e.inbox(e.anna)
	if len(msgs) != 2 || !strings.Contains(msgs[0].Body, "ersetzt die frühere Anmeldung") || !strings.Contains(msgs[0].Body, "Nachweis") {
		t.Errorf("the second confirmation: got %d messages, newest:\n%s", len(msgs), msgs[0].Body)
	}

	// The secretary accepts the proof: the registration is settled, the
	// refund stays.
	reg, err := e.svc.SetProof(ctx, e.sabine, directory.Actor{Name: e.sabine.Login}, e.anna.Login, e.year.ID, false, ProofAccepted)
	if err != nil || reg.Waiting || reg.Due != 2042 {
		t.Errorf("proof accepted: got waiting %v, due %d, %v", reg.Waiting, reg.Due, err)
	}
	if _, err := e.svc.SetProof(ctx, e.sabine, directory.Actor{Name: e.sabine.Login}, e.anna.Login, e.year.ID, true, ProofAccepted); kindOf(err) != Conflict {
		t.Errorf("an exemption nobody applied for: got %v, want a conflict", err)
	}

	// Clara is in 4b: next year she is in grade 5, at another school.
	o, err := e.svc.OwnOffer(ctx, e.clara)
	if err != nil || o.Open || !strings.Contains(o.Reason, "nicht mehr unsere Schule") {
		t.Errorf("Clara's offer: got open %v, %q, %v", o.Open, o.Reason, err)
	}
	// After the deadline only the secretary registers.
	e.at("2026-07-01")
	if _, err := e.svc.RegisterOwn(ctx, e.ben, RegistrationInput{Package: true, Guardian: "Jörg Becker", AcceptTerms: true}); kindOf(err) != Conflict {
		t.Errorf("online after the deadline: got %v, want a conflict", err)
	}
	late := e.register(e.ben, RegistrationInput{Year: e.year.ID, Package: true, Exemption: ExemptSGB2, ExemptionProof: ProofAccepted})
	if late.Registration.Channel != Secretary || late.Registration.Due != 0 || late.Registration.Waiting || late.Account.Status != StatusPaid {
		t.Errorf("late registration with an accepted exemption: got %+v / %s", late.Registration, late.Account.Status)
	}
	// A pupil joining grade 4 in the second half-year pays half (no
	// promotion ran, so the directory's classes are the year's).
	e.at("2027-02-15")
	emil := e.add("Emil", "Neu", directory.Pupil, "4a")
	half := e.register(emil, RegistrationInput{Year: e.year.ID, Package: true})
	if !half.Registration.HalfYear || half.Registration.Due != 1662 {
		t.Errorf("second half-year: got half %v, due %d, want 1662", half.Registration.HalfYear, half.Registration.Due)
	}
	if _, err := e.svc.RegisterFor(ctx, e.tina, e.dora.Login, RegistrationInput{Package: true, Guardian: "x", AcceptTerms: true}); kindOf(err) != Forbidden {
		t.Errorf("a teacher registers: got %v, want forbidden", err)
	}
}

// The coordinator overrides a fee inside the band; registrations take
// the fee as it was when the parents registered.
func TestFeeOverride(t *testing.T) {
	e := newEnv(t)
	nine := int64(900)
	f, err := e.svc.SetFee(ctx, e.kai, e.year.ID, e.maths.ID, &nine)
	if err != nil || f.Fee != 900 || f.Default != 873 || !f.Override {
		t.Fatalf("override: got %+v, %v", f, err)
	}
	tooMuch := int64(1200)
	if _, err := e.svc.SetFee(ctx, e.kai, e.year.ID, e.maths.ID, &tooMuch); kindOf(err) != Invalid {
		t.Errorf("above the band: got %v", err)
	}
	if _, err := e.svc.SetFee(ctx, e.sabine, e.year.ID, e.maths.ID, &nine); kindOf(err) != Forbidden {
		t.Errorf("the secretary sets a fee: got %v, want forbidden", err)
	}
	r := e.register(e.anna, RegistrationInput{Package: true})
	if r.Registration.Due != 900+770+1680 {
		t.Errorf("due with the override: got %d", r.Registration.Due)
	}
	if f, err := e.svc.SetFee(ctx, e.kai, e.year.ID, e.maths.ID, nil); err != nil || f.Fee != 873 || f.Override {
		t.Errorf("back to the default: got %+v, %v", f, err)
	}
	if a, err := accountOf(ctx, e.db.R, e.anna.ID, e.year.ID); err != nil || a.RegistrationDue != 3350 {
		t.Errorf("the registration keeps its fee: got %d, %v", a.RegistrationDue, err)
	}
}

func TestPermissions(t *testing.T) {
	e := newEnv(t)
	in := TitleInput{ISBN: "978-3-16-148410-0", Title: "Englisch 3", Price: 1500, YearsOfUse: 1}
	for _, p := range []directory.Person{e.tina, e.sabine, e.anna} {
		if _, err := e.svc.CreateTitle(ctx, p, in); kindOf(err) != Forbidden {
			t.Errorf("%s enters a title: got %v, want forbidden", p.Login, err)
		}
	}
	if _, err := e.svc.CreateTitle(ctx, e.adam, in); err != nil {
		t.Errorf("the admin enters a title: %v", err)
	}
	if _, err := e.svc.CreateTitle(ctx, e.kai, in); kindOf(err) != Conflict {
		t.Errorf("the same ISBN again: got %v, want a conflict", err)
	}
	if _, err := e.svc.Years(ctx, e.anna); kindOf(err) != Forbidden {
		t.Errorf("a pupil reads the years: got %v", err)
	}
	code := e.copies(e.maths, 1)[0]
	if _, err := e.svc.GetCopy(ctx, e.tina, code); kindOf(err) != Forbidden {
		t.Errorf("a teacher reads a copy's history: got %v, want forbidden", err)
	}
	if _, err := e.svc.Scan(ctx, e.tina, ScanRequest{Code: code}); kindOf(err) != Forbidden {
		t.Errorf("a teacher at the counter: got %v, want forbidden", err)
	}
	if _, err := e.svc.Scan(ctx, e.otto, ScanRequest{Code: code, Mode: ModeClass, Class: "3a"}); kindOf(err) != Forbidden {
		t.Errorf("a teacher hands out another class's set: got %v, want forbidden", err)
	}
	if _, err := e.svc.Scan(ctx, e.sabine, ScanRequest{Code: code, Mode: ModeInventory}); kindOf(err) != Forbidden {
		t.Errorf("the secretary in inventory mode: got %v, want forbidden", err)
	}
	if err := e.svc.DeleteTitle(ctx, e.kai, e.maths.ID); kindOf(err) != Conflict {
		t.Errorf("deleting a title with copies: got %v, want a conflict", err)
	}
}

// The counter: the card selects the pupil; a copy in stock is issued, a
// lent one taken back; what needs the secretary's eye holds the issue.
func TestScanAtTheCounter(t *testing.T) {
	e := newEnv(t)
	e.register(e.anna, RegistrationInput{Choices: map[int64]Choice{e.maths.ID: Borrow, e.reading.ID: Buy, e.sachu.ID: Borrow}})
	maths, reading := e.copies(e.maths, 3), e.copies(e.reading, 1)
	card, err := e.svc.Card(ctx, e.sabine, e.anna.Login)
	if err != nil || !ValidCardCode(card) {
		t.Fatalf("card: %q, %v", card, err)
	}
	e.at("2026-08-10")

	res := e.scan(e.sabine, ScanRequest{Code: card + "\r\n"})
	if res.Kind != ScanPupil || res.Pupil == nil || res.Pupil.Pupil.ID != e.anna.ID || len(res.Pupil.Missing) != 2 || res.Level != LevelWarning {
		t.Fatalf("card: got %s %s, %+v", res.Kind, res.Message, res.Pupil)
	}
	if res.Warnings[0].Code != WarnUnpaid {
		t.Errorf("warnings: got %+v, want unpaid first", res.Warnings)
	}

	// Not paid: the issue waits for the secretary's confirmation.
	res = e.scan(e.sabine, ScanRequest{Code: maths[0], Pupil: e.anna.Login})
	if res.Kind != ScanConfirm || !res.NeedsConfirmation || res.Warnings[0].Code != WarnUnpaid {
		t.Fatalf("unpaid: got %s %+v", res.Kind, res.Warnings)
	}
	if n := e.count(`SELECT COUNT(*) FROM lending_loans`); n != 0 {
		t.Fatalf("loans after a held scan: %d", n)
	}
	res = e.scan(e.sabine, ScanRequest{Code: maths[0], Pupil: e.anna.Login, Confirm: true})
	if res.Kind != ScanIssued || res.Copy.Status != Lent || res.Loan.Fee != 873 || len(res.Pupil.Missing) != 1 {
		t.Fatalf("confirmed: got %s %s, missing %d", res.Kind, res.Message, len(res.Pupil.Missing))
	}
	e.pay(e.anna, res.Pupil.Account.RegistrationDue)

	// Anna buys the reading book: lending it needs a confirmation.
	res = e.scan(e.sabine, ScanRequest{Code: reading[0], Pupil: e.anna.Login})
	if res.Kind != ScanConfirm || res.Warnings[0].Code != WarnNotBooked {
		t.Errorf("not booked: got %s %+v", res.Kind, res.Warnings)
	}
	// A second copy of a title she has.
	res = e.scan(e.sabine, ScanRequest{Code: maths[1], Pupil: e.anna.Login})
	if res.Kind != ScanConfirm || res.Warnings[0].Code != WarnHasTitle {
		t.Errorf("a second copy: got %s %+v", res.Kind, res.Warnings)
	}
	// Ben is not registered at all.
	res = e.scan(e.sabine, ScanRequest{Code: maths[1], Pupil: e.ben.Login})
	if res.Kind != ScanConfirm || res.Warnings[0].Code != WarnNotRegistered {
		t.Errorf("not registered: got %s %+v", res.Kind, res.Warnings)
	}
	// Anna's copy comes back while Ben is selected: returned, with a warning.
	res = e.scan(e.sabine, ScanRequest{Code: maths[0], Pupil: e.ben.Login})
	if res.Kind != ScanReturned || res.Level != LevelWarning || res.Loan.PersonID != e.anna.ID || res.Pupil.Pupil.ID != e.ben.ID {
		t.Errorf("someone else's copy: got %s %s", res.Kind, res.Message)
	}
	found := false
	for _, w := range res.Warnings {
		found = found || w.Code == WarnOtherPupil && strings.Contains(w.German, "Anna Schmidt")
	}
	if !found {
		t.Errorf("no warning about Anna's copy: %+v", res.Warnings)
	}
	// In stock without a pupil: nothing happens.
	if res := e.scan(e.sabine, ScanRequest{Code: maths[0]}); res.Kind != ScanRefused || !strings.Contains(res.Message, "Schülerausweis") {
		t.Errorf("copy without a pupil: got %s %s", res.Kind, res.Message)
	}

	refusals := []struct{ name, code string }{
		{"misread card", card[:8] + string('0'+(card[8]-'0'+1)%10)},
		{"unknown copy", "0099999"},
		{"unknown length", "12345"},
		{"ISBN with a wrong check digit", "9783161484101"},
		{"nobody found", "Zacharias"},
	}
	for _, r := range refusals {
		if res := e.scan(e.sabine, ScanRequest{Code: r.code}); res.Kind != ScanRefused || res.Level != LevelError || res.Message == "" {
			t.Errorf("%s: got %s %s", r.name, res.Kind, res.Message)
		}
	}
	if res := e.scan(e.sabine, ScanRequest{Code: e.maths.ISBN}); res.Kind != ScanTitle || res.Title.ID != e.maths.ID || res.Title.InStock != 3 {
		t.Errorf("ISBN: got %s %+v", res.Kind, res.Title)
	}
	if res := e.scan(e.sabine, ScanRequest{Code: "Schmidt"}); res.Kind != ScanPupil || res.Pupil.Pupil.ID != e.anna.ID {
		t.Errorf("name search: got %s %s", res.Kind, res.Message)
	}
	if res := e.scan(e.sabine, ScanRequest{Code: "3a"}); res.Kind != ScanChoose || len(res.Candidates) != 3 {
		t.Errorf("class search: got %s with %d candidates, want the three pupils", res.Kind, len(res.Candidates))
	}
}

// The decree's limit: a copy lent twice before warns at its third loan,
// is sorted out when it comes back, and a copy lent three times is never
// issued again.
func TestThreeLoanLimit(t *testing.T) {
	e := newEnv(t)
	for _, p := range []directory.Person{e.anna, e.ben} {
		r := e.register(p, RegistrationInput{Package: true})
		e.pay(p, r.Registration.Due)
	}
	old, err := e.svc.CreateCopies(ctx, e.kai, CopiesInput{Title: e.maths.ID, Count: 1, LoanCount: 1, Condition: ConditionGood})
	if err != nil {
		t.Fatal(err)
	}
	code := old[0].Code
	res := e.scan(e.sabine, ScanRequest{Code: code, Pupil: e.anna.Login})
	if res.Kind != ScanIssued || len(res.Warnings) != 0 || res.Copy.LoanCount != 2 {
		t.Fatalf("second loan: got %s %+v, count %d", res.Kind, res.Warnings, res.Copy.LoanCount)
	}
	e.scan(e.sabine, ScanRequest{Code: code})
	res = e.scan(e.sabine, ScanRequest{Code: code, Pupil: e.ben.Login})
	if res.Kind != ScanIssued || res.Level != LevelWarning || len(res.Warnings) != 1 || res.Warnings[0].Code != WarnLastLoan || res.Copy.LoanCount != 3 {
		t.Fatalf("third loan: got %s %s %+v", res.Kind, res.Level, res.Warnings)
	}
	res = e.scan(e.sabine, ScanRequest{Code: code, Mode: ModeReturn})
	if res.Kind != ScanReturned || res.Copy.Status != Retired || len(res.Warnings) != 1 {
		t.Fatalf("back after the third loan: got %s, status %s, %+v", res.Kind, res.Copy.Status, res.Warnings)
	}
	st := InStock
	if _, err := e.svc.UpdateCopy(ctx, e.kai, code, CopyChange{Status: &st}); kindOf(err) != Conflict {
		t.Errorf("back into stock after three loans: got %v, want a conflict", err)
	}
	// A copy that reached the limit before Kaspel: the fourth loan is refused.
	spent, err := e.svc.CreateCopies(ctx, e.kai, CopiesInput{Title: e.maths.ID, Count: 1, LoanCount: 3})
	if err != nil {
		t.Fatal(err)
	}
	res = e.scan(e.sabine, ScanRequest{Code: spent[0].Code, Pupil: e.ben.Login, Confirm: true})
	if res.Kind != ScanRefused || !strings.Contains(res.Message, "3-mal ausgeliehen") {
		t.Errorf("fourth loan: got %s %s", res.Kind, res.Message)
	}
	if n := e.count(`SELECT COUNT(*) FROM lending_loans WHERE copy_id = ?`, spent[0].ID); n != 0 {
		t.Errorf("the fourth loan was stored")
	}
	c, err := e.svc.GetCopy(ctx, e.sabine, code)
	if err != nil || len(c.History) != 2 || c.History[0].PupilName != "Ben Becker" || c.History[1].PupilName != "Anna Schmidt" {
		t.Errorf("history: got %+v, %v", c.History, err)
	}
}

// Damage at the return makes a provisional claim of the Zeitwert's
// share; after the return deadline the nightly job fixes it.
func TestReturnWithDamage(t *testing.T) {
	e := newEnv(t)
	r := e.register(e.anna, RegistrationInput{Package: true})
	e.pay(e.anna, r.Registration.Due)
	old, err := e.svc.CreateCopies(ctx, e.kai, CopiesInput{Title: e.maths.ID, Count: 1, LoanCount: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Its first loan before Kaspel left no fee on record: the Zeitwert
	// counts the loans Kaspel knows.
	e.at("2026-08-10")
	e.scan(e.sabine, ScanRequest{Code: old[0].Code, Pupil: e.anna.Login})
	e.at("2027-06-20")
	res := e.scan(e.sabine, ScanRequest{Code: old[0].Code, Mode: ModeReturn, Condition: ReturnMedium})
	if res.Kind != ScanReturned || res.Claim == nil || res.Copy.Status != Damaged {
		t.Fatalf("return damaged: got %s %s, claim %+v, status %s", res.Kind, res.Message, res.Claim, res.Copy.Status)
	}
	c := res.Claim
	if c.Value != 2495-873 || c.Percent != 50 || c.Amount != 811 || c.State != ClaimProvisional || c.Reference != r.Account.Reference {
		t.Errorf("claim: got value %d, %d %%, amount %d, %s, %s", c.Value, c.Percent, c.Amount, c.State, c.Reference)
	}
	pn, err := e.svc.PupilPanel(ctx, e.sabine, e.anna.Login, e.year.ID)
	if err != nil || pn.ClaimsOpen != 811 || pn.Account.Status != StatusPaid {
		t.Errorf("panel: claims open %d, status %s, %v", pn.ClaimsOpen, pn.Account.Status, err)
	}
	rep, err := e.svc.Nightly(ctx)
	if err != nil || rep.Fixed != 0 {
		t.Errorf("before the deadline: got %+v, %v", rep, err)
	}
	e.at("2027-07-02")
	if rep, err = e.svc.Nightly(ctx); err != nil || rep.Fixed != 1 {
		t.Errorf("after the deadline: got %+v, %v", rep, err)
	}
	if rep, err = e.svc.Nightly(ctx); err != nil || rep.Fixed != 0 || rep.Created != 0 {
		t.Errorf("again: got %+v, %v (must do nothing twice)", rep, err)
	}
	claims, err := e.svc.Claims(ctx, e.sabine, e.year.ID, ClaimFixed)
	if err != nil || len(claims) != 1 || claims[0].FixedAt.IsZero() {
		t.Errorf("fixed claims: got %+v, %v", claims, err)
	}
	// A lost book reported after the deadline is fixed at once; the
	// claim can be waived with a reason.
	lost := e.copies(e.reading, 1)[0]
	e.scan(e.sabine, ScanRequest{Code: lost, Pupil: e.anna.Login, Confirm: true})
	loans, _ := openLoansOf(ctx, e.db.R, e.anna.ID)
	res, err = e.svc.ReturnLoan(ctx, e.sabine, loans[0].ID, ReturnLost)
	if err != nil || res.Claim == nil || res.Claim.State != ClaimFixed || res.Claim.Amount != 2200-770 || res.Copy.Status != Lost {
		t.Fatalf("lost: got %+v, %v", res.Claim, err)
	}
	if _, err := e.svc.CancelClaim(ctx, e.sabine, directory.Actor{Name: e.sabine.Login}, res.Claim.ID, ""); kindOf(err) != Invalid {
		t.Errorf("waived without a reason: got %v", err)
	}
	if c, err := e.svc.CancelClaim(ctx, e.sabine, directory.Actor{Name: e.sabine.Login}, res.Claim.ID, "Buch wieder aufgetaucht"); err != nil || c.State != ClaimCancelled {
		t.Errorf("waived: got %+v, %v", c, err)
	}
}

// After the return deadline the nightly job claims every book still out,
// except two-year volumes of pupils registered for the next year; a book
// that comes back later cancels its claim.
func TestNightlyClaimsBooksStillOut(t *testing.T) {
	e := newEnv(t)
	// Emil and Fritz are in 2a now: grade 3 in 2026/27, grade 4 in 2027/28.
	emil, fritz := e.add("Emil", "Engel", directory.Pupil, "2a"), e.add("Fritz", "Fuchs", directory.Pupil, "2a")
	if _, err := e.svc.PutList(ctx, e.kai, e.year.ID, 3, []int64{e.reading.ID, e.sachu.ID}, true); err != nil {
		t.Fatal(err)
	}
	next := testYear()
	next.Name, next.Start, next.SecondHalf, next.End = "2027/28", "2027-08-05", "2028-02-01", "2028-07-31"
	next.RegistrationFrom, next.RegistrationUntil, next.PaymentDue, next.ReturnDue = "2027-03-01", "2027-06-30", "2027-07-15", "2028-07-01"
	nextYear := e.createYear(next)
	if _, err := e.svc.PutList(ctx, e.kai, nextYear.ID, 4, []int64{e.maths.ID}, true); err != nil {
		t.Fatal(err)
	}
	for _, p := range []directory.Person{emil, fritz} {
		r := e.register(p, RegistrationInput{Package: true})
		if r.Registration.Grade != 3 {
			t.Fatalf("%s registered for grade %d, want 3", p.Login, r.Registration.Grade)
		}
		e.pay(p, r.Registration.Due)
	}
	e.at("2026-07-30")
	if _, err := e.dir.Promote(ctx, admin, directory.PromoteOptions{}); err != nil {
		t.Fatal(err)
	}
	reading, sachu := e.copies(e.reading, 2), e.copies(e.sachu, 2)
	e.at("2026-08-10")
	for i, p := range []directory.Person{emil, fritz} {
		e.scan(e.sabine, ScanRequest{Code: reading[i], Pupil: p.Login})
		e.scan(e.sabine, ScanRequest{Code: sachu[i], Pupil: p.Login})
	}
	// Emil is registered for 2027/28 (he keeps Sachunterricht 3/4), Fritz is not.
	e.at("2027-05-01")
	r, err := e.svc.RegisterFor(ctx, e.sabine, emil.Login, RegistrationInput{Year: nextYear.ID, Package: true, Guardian: "Ute Engel", AcceptTerms: true})
	if err != nil || r.Registration.Grade != 4 {
		t.Fatalf("Emil for 2027/28: got grade %d, %v", r.Registration.Grade, err)
	}
	e.at("2027-07-02")
	rep, err := e.svc.Nightly(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Out: both reading books, Fritz's Sachunterricht; kept: Emil's.
	if rep.Created != 3 || rep.Kept != 1 {
		t.Fatalf("nightly: got %+v, want 3 claims and 1 volume kept", rep)
	}
	if rep, err := e.svc.Nightly(ctx); err != nil || rep.Created != 0 {
		t.Errorf("second night: got %+v, %v", rep, err)
	}
	claims, err := e.svc.Claims(ctx, e.sabine, e.year.ID, "")
	if err != nil || len(claims) != 3 {
		t.Fatalf("claims: got %d, %v", len(claims), err)
	}
	for _, c := range claims {
		if c.Kind != ClaimNotReturned || c.State != ClaimFixed || c.Percent != 100 {
			t.Errorf("claim: got %s %s %d %%", c.Kind, c.State, c.Percent)
		}
		if c.Title == e.sachu.Title && c.PupilLogin != fritz.Login {
			t.Errorf("the kept volume was claimed from %s", c.PupilLogin)
		}
	}
	// Fritz brings his reading book after all.
	res := e.scan(e.sabine, ScanRequest{Code: reading[1], Mode: ModeReturn})
	if res.Kind != ScanReturned || res.Claim != nil {
		t.Fatalf("late return: got %s, claim %+v", res.Kind, res.Claim)
	}
	if claims, _ := e.svc.Claims(ctx, e.sabine, e.year.ID, ClaimCancelled); len(claims) != 1 || claims[0].CancelReason != "Buch zurückgegeben" {
		t.Errorf("the claim of the returned book: %+v", claims)
	}
	// The kept volume is due at the next year's deadline.
	e.at("2028-07-02")
	if rep, err := e.svc.Nightly(ctx); err != nil || rep.Created != 1 {
		t.Errorf("a year later: got %+v, %v", rep, err)
	}
}

// Class sets: the class teacher scans a stack of copies; each goes to the
// next pupil in class-list order who borrows the title and has paid.
func TestClassSet(t *testing.T) {
	e := newEnv(t)
	for _, p := range []directory.Person{e.anna, e.ben, e.dora} {
		r := e.register(p, RegistrationInput{Package: true})
		if p.ID != e.ben.ID {
			e.pay(p, r.Registration.Due)
		}
	}
	codes := e.copies(e.maths, 3)
	e.at("2026-08-10")
	st, err := e.svc.Class(ctx, e.tina, "3a", 0)
	if err != nil || len(st.Pupils) != 3 || st.Staff || st.Pupils[0].Reference != "" || len(st.Titles) != 3 {
		t.Fatalf("the teacher's view: got %+v, %v", st, err)
	}
	want := []string{"Dora Adler", "Anna Schmidt"} // Becker has not paid
	for i, code := range codes[:2] {
		res := e.scan(e.tina, ScanRequest{Code: code, Mode: ModeClass, Class: "3 A"})
		if res.Kind != ScanIssued || res.Class == nil || res.Class.IssuedTo != want[i] || res.Pupil != nil {
			t.Fatalf("copy %d: got %s %s (%+v)", i+1, res.Kind, res.Message, res.Class)
		}
		if res.Class.Unpaid != 1 || res.Class.Remaining != 1-i {
			t.Errorf("copy %d: got %+v", i+1, res.Class)
		}
	}
	res := e.scan(e.tina, ScanRequest{Code: codes[2], Mode: ModeClass, Class: "3a"})
	if res.Kind != ScanRefused || res.Class.Unpaid != 1 || !strings.Contains(res.Message, "noch nicht bezahlt") {
		t.Errorf("all who paid have it: got %s %s", res.Kind, res.Message)
	}
	if res := e.scan(e.tina, ScanRequest{Code: "123456789", Mode: ModeClass, Class: "3a"}); res.Kind != ScanRefused {
		t.Errorf("a card in class mode: got %s", res.Kind)
	}
	st, _ = e.svc.Class(ctx, e.sabine, "3a", 0)
	if !st.Staff || st.Pupils[2].Pupil.ID != e.anna.ID || st.Pupils[2].Missing != 2 || st.Pupils[2].Reference == "" {
		t.Errorf("the secretary's view: got %+v", st.Pupils[2])
	}
}

// Inventory: the coordinator scans the ISBN once, then the pre-printed
// labels of the new copies.
func TestInventory(t *testing.T) {
	e := newEnv(t)
	res := e.scan(e.kai, ScanRequest{Code: e.reading.ISBN, Mode: ModeInventory})
	if res.Kind != ScanTitle || res.Title.ID != e.reading.ID {
		t.Fatalf("ISBN: got %s %s", res.Kind, res.Message)
	}
	if res := e.scan(e.kai, ScanRequest{Code: "0000500", Mode: ModeInventory}); res.Kind != ScanRefused {
		t.Errorf("a label before the ISBN: got %s", res.Kind)
	}
	for i, code := range []string{"0000500", "0000501"} {
		res := e.scan(e.kai, ScanRequest{Code: code, Mode: ModeInventory, Title: e.reading.ID})
		if res.Kind != ScanCopyAdded || res.Copy.Code != code || res.Title.InStock != i+1 {
			t.Errorf("label %s: got %s %s", code, res.Kind, res.Message)
		}
	}
	if res := e.scan(e.kai, ScanRequest{Code: "0000500", Mode: ModeInventory, Title: e.maths.ID}); res.Kind != ScanCopy || res.Level != LevelWarning {
		t.Errorf("a label of another title: got %s %s", res.Kind, res.Level)
	}
	if res := e.scan(e.kai, ScanRequest{Code: e.mwb.ISBN, Mode: ModeInventory}); res.Kind != ScanRefused {
		t.Errorf("a workbook in inventory: got %s", res.Kind)
	}
	// New numbers continue after the labels printed ahead.
	codes := e.copies(e.maths, 2)
	if codes[0] != "0000502" {
		t.Errorf("next number: got %s, want 0000502", codes[0])
	}
}

// A school new to Kaspel has never run a promotion: its classes are those
// of the year under way, and only a year still to begin is the next grade.
func TestGradeWithoutPromotion(t *testing.T) {
	e := newEnv(t)
	e.at("2026-05-04") // before 2026/27 begins: Anna (3a) gets grade 4's list
	o, err := e.svc.OfferFor(ctx, e.sabine, e.anna.Login, e.year.ID)
	if err != nil || o.Grade != 4 {
		t.Fatalf("before the year: grade %d, %v; want 4", o.Grade, err)
	}
	e.at("2026-11-27") // the year is under way: 3a is grade 3
	o, err = e.svc.OfferFor(ctx, e.sabine, e.anna.Login, e.year.ID)
	if err != nil || o.Grade != 3 {
		t.Fatalf("during the year: grade %d, %v; want 3", o.Grade, err)
	}
}
