package lending

import (
	"strings"
	"testing"
)

// A registration taken back: by the parents while the registration is
// open, by the secretary later; never while books of it are out; the
// account keeps its reference and what was paid is to be paid back;
// the parents get a message, the protocol a line; registering again
// works.
func TestWithdrawRegistration(t *testing.T) {
	e := newEnv(t)
	first, err := e.svc.RegisterOwn(ctx, e.anna, RegistrationInput{Package: true, Guardian: "Eva Schmidt", AcceptTerms: true})
	if err != nil {
		t.Fatal(err)
	}
	e.pay(e.anna, 1000)
	bens, err := e.svc.RegisterOwn(ctx, e.ben, RegistrationInput{Package: true, Guardian: "Jörg Becker", AcceptTerms: true})
	if err != nil {
		t.Fatal(err)
	}

	if _, err := e.svc.WithdrawOwn(ctx, e.dora); kindOf(err) != Conflict || !strings.Contains(german(err), "keine Anmeldung") {
		t.Errorf("Dora without a registration: got %v", err)
	}
	if _, err := e.svc.WithdrawFor(ctx, e.tina, e.anna.Login, e.year.ID); kindOf(err) != Forbidden {
		t.Errorf("a teacher taking back: got %v, want forbidden", err)
	}
	if _, err := e.svc.WithdrawOwn(ctx, e.tina); kindOf(err) != Forbidden {
		t.Errorf("a teacher's own: got %v, want forbidden", err)
	}

	w, err := e.svc.WithdrawOwn(ctx, e.anna)
	if err != nil {
		t.Fatal(err)
	}
	if w.Registration.ID != first.Registration.ID || w.Account.Registered || w.Account.Status != StatusRefund ||
		w.Account.Reference != first.Account.Reference || w.Account.Paid != 1000 {
		t.Errorf("after taking back: %+v", w.Account)
	}
	if n := e.count(`SELECT COUNT(*) FROM lending_registrations WHERE person_id = ? AND replaced_at IS NULL`, e.anna.ID); n != 0 {
		t.Errorf("current registrations after taking back: %d", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM lending_registrations WHERE person_id = ? AND withdrawn_by = ?`, e.anna.ID, e.anna.Login); n != 1 {
		t.Errorf("the withdrawn registration is not kept with who took it back: %d", n)
	}
	msgs := e.inbox(e.anna)
	if len(msgs) != 2 || !strings.Contains(msgs[0].Subject, "zurückgenommen") || !strings.Contains(msgs[0].Body, "10,00 €") ||
		!strings.Contains(msgs[0].Body, first.Account.Reference) || !strings.Contains(msgs[0].Body, "zurück") {
		t.Errorf("the parents' message: %d messages, newest %q: %q", len(msgs), msgs[0].Subject, msgs[0].Body)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit WHERE action = 'lending.withdraw' AND target = ? AND actor = ?`, e.anna.Login, e.anna.Login); n != 1 {
		t.Errorf("protocol lines: %d", n)
	}
	if _, err := e.svc.WithdrawOwn(ctx, e.anna); kindOf(err) != Conflict {
		t.Errorf("taking back twice: got %v", err)
	}

	// Registering again keeps the account and its reference.
	again, err := e.svc.RegisterOwn(ctx, e.anna, RegistrationInput{Package: true, Guardian: "Eva Schmidt", AcceptTerms: true})
	if err != nil || again.Account.Reference != first.Account.Reference || again.Replaced || !again.Account.Registered {
		t.Fatalf("registering again: %+v, %v", again.Account, err)
	}
	e.pay(e.anna, again.Account.RegistrationDue-1000)

	// A book out: the secretary cannot take the registration back until
	// it is returned; the parents' window has closed by then.
	maths := e.copies(e.maths, 1)
	e.at("2026-08-10")
	e.scan(e.sabine, ScanRequest{Code: maths[0], Pupil: e.anna.Login, Confirm: true})
	if _, err := e.svc.WithdrawOwn(ctx, e.anna); kindOf(err) != Conflict {
		t.Errorf("the parents after the window: got %v", err)
	}
	if _, err := e.svc.WithdrawFor(ctx, e.sabine, e.anna.Login, e.year.ID); kindOf(err) != Conflict || !strings.Contains(german(err), "ein Buch") {
		t.Errorf("with a book out: got %v", err)
	}
	e.scan(e.sabine, ScanRequest{Code: maths[0], Mode: ModeReturn})
	w, err = e.svc.WithdrawFor(ctx, e.sabine, e.anna.Login, e.year.ID)
	if err != nil {
		t.Fatal(err)
	}
	// 10 August is in the first half-year: the school keeps half, the
	// rest of what was paid goes back.
	due := again.Account.RegistrationDue
	if !strings.Contains(w.Message, "im Sekretariat") || w.Account.Registered || w.Account.Kept != due-due/2 ||
		w.Account.RegistrationDue != w.Account.Kept || w.Account.Status != StatusRefund || w.Account.Balance() != -(due/2) {
		t.Errorf("the secretary's in the first half-year (due %d): %+v", due, w.Account)
	}
	if !strings.Contains(w.Message, "bleiben "+Euro(due-due/2)+" zu zahlen") || !strings.Contains(w.Message, "zahlt Ihnen "+Euro(due/2)+" zurück") {
		t.Errorf("the message about the half: %q", w.Message)
	}
	// Ben registered in the window and paid nothing: taken back in the
	// second half-year, the whole amount stays due.
	e.at("2027-02-15")
	w, err = e.svc.WithdrawFor(ctx, e.sabine, e.ben.Login, e.year.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w.Account.Kept != bens.Account.RegistrationDue || w.Account.Status != StatusDue ||
		!strings.Contains(w.Message, "Bitte überweisen Sie noch "+Euro(bens.Account.RegistrationDue)) {
		t.Errorf("Ben in the second half-year: %+v, %q", w.Account, w.Message)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit WHERE action = 'lending.withdraw' AND actor = ?`, e.sabine.Login); n != 2 {
		t.Errorf("the secretary's protocol lines: %d", n)
	}
}

// german is a refusal's German text.
func german(err error) string {
	if e, ok := AsError(err); ok {
		return e.German
	}
	return ""
}

func TestKeptOnWithdrawal(t *testing.T) {
	y := testYear() // 2026-08-06 to 2027-07-31, second half from 2027-02-01
	for _, tt := range []struct {
		day       string
		due, kept int64
	}{
		{"2026-05-10", 3323, 0}, {"2026-08-05", 3323, 0},
		{"2026-08-06", 3323, 1662}, {"2027-01-31", 3322, 1661}, {"2027-01-31", 0, 0},
		{"2027-02-01", 3323, 3323}, {"2027-07-20", 3323, 3323},
	} {
		if got := KeptOnWithdrawal(tt.due, y, tt.day); got != tt.kept {
			t.Errorf("%s, due %d: kept %d, want %d", tt.day, tt.due, got, tt.kept)
		}
	}
}
