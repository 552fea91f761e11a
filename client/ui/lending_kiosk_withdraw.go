package ui

import (
	"context"

	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// withdraw takes the shown pupil's registration back: the first tap asks
// ("Wirklich zurücknehmen?"), the second does it — no dialog, so the
// scan field keeps the focus, as with a lost book.
func (p *KioskPanel) withdraw() {
	if !p.armed {
		p.armed = true
		p.Withdraw.SetText(T("lending.kiosk.withdraw_sure"))
		p.Withdraw.Importance = widget.DangerImportance
		p.Withdraw.Refresh()
		p.s.focus()
		return
	}
	p.disarm()
	p.s.withdraw(p.State.Pupil, p.State.Year.ID)
}

// disarm puts the button back to its first state.
func (p *KioskPanel) disarm() {
	p.armed = false
	p.Withdraw.SetText(T("lending.kiosk.withdraw"))
	p.Withdraw.Importance = widget.MediumImportance
	p.Withdraw.Refresh()
}

// withdraw asks the server to take a registration back and shows the
// pupil's panel afterwards; a refusal (a book still out) shows the
// server's sentence in the band.
func (s *KioskScreen) withdraw(login string, year int64) {
	if login == "" || !s.Abilities.Staff || s.busy {
		s.focus()
		return
	}
	s.busy = true
	var w wire.LendingWithdrawn
	var panel wire.LendingPanel
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		if w, err = s.u.api.LendingWithdrawPupil(ctx, login, year); err != nil {
			return err
		}
		panel, err = s.u.api.LendingPupil(ctx, login, year)
		return err
	}, func(err error) {
		s.busy = false
		defer s.focus()
		if err != nil {
			s.fail(err)
			return
		}
		text := T("lending.kiosk.withdrawn", "Name", panel.Name)
		if a := w.Account; a.RegistrationDueCents > 0 {
			text += " " + T("lending.kiosk.withdrawn_kept", "Amount", euro(a.RegistrationDueCents))
		}
		if a := w.Account; a.BalanceCents < 0 {
			text += " " + T("lending.kiosk.withdrawn_refund", "Amount", euro(-a.BalanceCents))
		}
		s.Band.Set(wire.LendingLevelOK, text)
		s.Panel.Set(panel)
	})
}
