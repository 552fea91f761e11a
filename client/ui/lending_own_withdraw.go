package ui

import (
	"context"

	"fyne.io/fyne/v2/dialog"
)

// askWithdraw asks the parents (at the child's account) whether they
// mean it, then takes the registration back; the server decides (the
// window, books out) and its German answer shows on the screen.
func (s *LendingOwnScreen) askWithdraw() {
	if s.Offer == nil {
		return
	}
	year := s.Offer.Year.Name
	d := dialog.NewConfirm(T("lendown.withdraw.confirm_title"), T("lendown.withdraw.confirm", "Year", year), func(yes bool) {
		if yes {
			s.withdraw()
		}
	}, s.u.win)
	d.SetConfirmText(T("lendown.withdraw.yes"))
	d.SetDismissText(T("lendown.withdraw.no"))
	d.Show()
}

func (s *LendingOwnScreen) withdraw() {
	u := s.u
	u.run(func(ctx context.Context) error {
		_, err := u.api.LendingWithdrawOwn(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		s.loadThen(T("lendown.withdraw.done"))
	})
}
