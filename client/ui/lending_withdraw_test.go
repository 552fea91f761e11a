package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// tapOverlayButton taps the button with the text in the topmost overlay
// (a dialog).
func tapOverlayButton(t *testing.T, u *UI, text string) {
	t.Helper()
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open to tap %q in", text)
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("the dialog has no button %q", text)
}

// Parents take the registration back at the child's account: Anna's is
// refused by the server (a book of it is out) and stays; Ben's goes,
// after the question, and the screen offers the registration again.
func TestLendingOwnWithdraw(t *testing.T) {
	w := newWorld(t)
	w.seedLending()
	u, s := openOwnAs(t, w, w.Pupil)
	if s.Withdraw.Visible() {
		t.Error("Anna has a book of the year out, yet „Anmeldung zurücknehmen“ shows")
	}
	// Should the button show all the same (a stale screen), the server's
	// refusal is what the parents read.
	s.askWithdraw()
	tapOverlayButton(t, u, "Zurücknehmen")
	u.Wait()
	if !strings.Contains(s.Message.Text, "noch ein Buch ausgeliehen") || s.Own.Registration == nil {
		t.Errorf("Anna with a book out: message %q, registration %v", s.Message.Text, s.Own.Registration != nil)
	}

	u2, b := openOwnAs(t, w, w.Pupil2)
	test.Tap(b.Withdraw)
	tapOverlayButton(t, u2, "Nicht zurücknehmen")
	u2.Wait()
	if b.Own.Registration == nil {
		t.Fatal("„Nicht zurücknehmen“ took the registration back")
	}
	test.Tap(b.Withdraw)
	tapOverlayButton(t, u2, "Zurücknehmen")
	u2.Wait()
	if !strings.Contains(b.Message.Text, "Die Anmeldung ist zurückgenommen") || b.Own.Registration != nil ||
		b.Withdraw.Visible() || b.Register.Text != "Jetzt anmelden" {
		t.Errorf("Ben after taking back: message %q, registration %v, withdraw shown %v, register %q",
			b.Message.Text, b.Own.Registration != nil, b.Withdraw.Visible(), b.Register.Text)
	}
	sec := w.client()
	if _, err := sec.Login(context.Background(), w.Secretary, w.passwordOf(w.Secretary), ""); err != nil {
		t.Fatal(err)
	}
	if p, err := sec.LendingPupil(context.Background(), w.Pupil2, 0); err != nil || p.Registration != nil {
		t.Errorf("the server still has Ben's registration: %+v, %v", p.Registration, err)
	}
}

// The secretary takes a registration back at the counter: the first tap
// asks, the second does it; the band says so and the panel shows the
// child unregistered; a child with a book out is refused with the
// server's sentence.
func TestLendingKioskWithdraw(t *testing.T) {
	w := newWorld(t)
	seed := w.seedLending()
	u, s := openKioskAs(t, w, w.Secretary)

	kioskScan(t, u, s, seed.Cards[w.Pupil2])
	if !s.Panel.Withdraw.Visible() {
		t.Fatal("no „Anmeldung zurücknehmen“ for Ben")
	}
	test.Tap(s.Panel.Withdraw)
	if s.Panel.Withdraw.Text != "Wirklich zurücknehmen?" || s.Panel.State.Registration == nil {
		t.Fatalf("the first tap: %q, registration %v", s.Panel.Withdraw.Text, s.Panel.State.Registration != nil)
	}
	test.Tap(s.Panel.Withdraw)
	u.Wait()
	if !strings.Contains(s.Band.Text, "Die Anmeldung von Ben Becker ist zurückgenommen.") || s.Panel.State.Registration != nil ||
		s.Panel.Withdraw.Visible() || !strings.Contains(s.Panel.Reg.Text, "Nicht angemeldet") {
		t.Errorf("after taking back: band %q, registration %v, button %v, %q", s.Band.Text, s.Panel.State.Registration != nil,
			s.Panel.Withdraw.Visible(), s.Panel.Reg.Text)
	}
	if u.win.Canvas().Focused() != s.Scan {
		t.Error("the scan field lost the focus")
	}

	kioskScan(t, u, s, seed.Cards[w.Pupil])
	test.Tap(s.Panel.Withdraw)
	test.Tap(s.Panel.Withdraw)
	u.Wait()
	if s.Band.Level != wire.LendingLevelError || !strings.Contains(s.Band.Text, "noch ein Buch ausgeliehen") || s.Panel.State.Registration == nil {
		t.Errorf("Anna with a book out: band %q %q, registration %v", s.Band.Level, s.Band.Text, s.Panel.State.Registration != nil)
	}
}
