package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// LendingClaimsTab lists the claims for damaged, lost and unreturned
// books of the year — open ones (provisional and fixed) first, or those
// of one state — and waives one with a reason (the protocol keeps it).
type LendingClaimsTab struct {
	State   *widget.Select
	Reload  *widget.Button
	Message *widget.Label
	Empty   *widget.Label
	Rows    []*LendingClaimRow

	s       *LendingMoneyScreen
	rows    *fyne.Container
	content fyne.CanvasObject
	seq     int
}

// LendingClaimRow is a claim with its waiver.
type LendingClaimRow struct {
	Claim   wire.LendingClaim
	Info    *widget.Label
	Cancel  *widget.Button // asks for the reason
	Reason  *widget.Entry
	Confirm *widget.Button // waives it
	Message *widget.Label
	ask     *fyne.Container
}

// lmClaimStates are the filter's states ("": open ones).
var lmClaimStates = []string{"", "provisional", "fixed", "cancelled"}

func lmClaimStateName(st string) string {
	if st == "" {
		return T("lendmoney.claims.state.open")
	}
	return T("lendmoney.claims.state." + st)
}

func (s *LendingMoneyScreen) newClaimsTab() *LendingClaimsTab {
	t := &LendingClaimsTab{s: s, Message: newMessage(), rows: container.NewVBox()}
	var names []string
	for _, st := range lmClaimStates {
		names = append(names, lmClaimStateName(st))
	}
	t.State = widget.NewSelect(names, func(string) { t.load() })
	t.State.PlaceHolder = names[0]
	t.Reload = widget.NewButtonWithIcon(T("lendmoney.reload"), theme.ViewRefreshIcon(), t.load)
	t.Empty = widget.NewLabelWithStyle(T("lendmoney.claims.empty"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	t.Empty.Hide()
	intro := widget.NewLabel(T("lendmoney.claims.intro"))
	intro.Wrapping = fyne.TextWrapWord
	t.content = container.NewBorder(container.NewPadded(container.NewVBox(intro,
		container.NewHBox(container.NewGridWrap(fyne.NewSize(220, t.State.MinSize().Height), t.State), t.Reload), t.Message)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(t.Empty, t.rows))))
	return t
}

func (t *LendingClaimsTab) state() string {
	for _, st := range lmClaimStates {
		if lmClaimStateName(st) == t.State.Selected {
			return st
		}
	}
	return ""
}

// load lists the claims of the year in the chosen state.
func (t *LendingClaimsTab) load() {
	u := t.s.u
	year, state := t.s.yearID, t.state()
	if year == 0 {
		return
	}
	t.seq++
	seq := t.seq
	var list []wire.LendingClaim
	u.run(func(ctx context.Context) error {
		var err error
		list, err = u.api.LendingClaims(ctx, year, state)
		return err
	}, func(err error) {
		if seq != t.seq {
			return
		}
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.show(list)
	})
}

func (t *LendingClaimsTab) show(list []wire.LendingClaim) {
	t.Rows = nil
	t.rows.RemoveAll()
	for _, c := range list {
		r := t.newRow(c)
		t.Rows = append(t.Rows, r)
		t.rows.Add(widget.NewCard("", "", container.NewVBox(
			container.NewBorder(nil, nil, nil, r.Cancel, r.Info), r.ask, r.Message)))
	}
	showIf(t.Empty, len(list) == 0)
}

// lmClaimLine is a claim in one line: who, which book, why, how much.
func lmClaimLine(c wire.LendingClaim) string {
	line := T("lendmoney.claims.line", "Name", c.PupilName, "Title", c.Title, "Code", c.Code, "Kind", c.KindTitle,
		"Amount", euro(c.AmountCents), "State", lmClaimStateName(c.State))
	if c.CancelReason != "" {
		line += " · " + T("lendmoney.claims.reason_was", "Reason", c.CancelReason)
	}
	return line
}

func (t *LendingClaimsTab) newRow(c wire.LendingClaim) *LendingClaimRow {
	r := &LendingClaimRow{Claim: c, Message: newMessage()}
	r.Info = widget.NewLabel(lmClaimLine(c))
	r.Info.Wrapping = fyne.TextWrapWord
	r.Reason = widget.NewEntry()
	r.Reason.SetPlaceHolder(T("lendmoney.claims.reason_hint"))
	r.Confirm = widget.NewButtonWithIcon(T("lendmoney.claims.confirm"), theme.ConfirmIcon(), func() { t.cancel(r) })
	r.Confirm.Importance = widget.DangerImportance
	r.ask = container.NewBorder(nil, nil, widget.NewLabel(T("lendmoney.claims.reason")), r.Confirm, r.Reason)
	r.ask.Hide()
	r.Cancel = widget.NewButtonWithIcon(T("lendmoney.claims.cancel"), theme.CancelIcon(), func() {
		r.ask.Show()
		t.s.u.win.Canvas().Focus(r.Reason)
	})
	showIf(r.Cancel, c.State != "cancelled")
	return r
}

// cancel waives a claim with the reason typed.
func (t *LendingClaimsTab) cancel(r *LendingClaimRow) {
	u := t.s.u
	reason := strings.TrimSpace(r.Reason.Text)
	if reason == "" {
		setProblem(r.Message, T("lendmoney.claims.reason_missing"))
		return
	}
	u.run(func(ctx context.Context) error {
		_, err := u.api.LendingCancelClaim(ctx, r.Claim.ID, reason)
		return err
	}, func(err error) {
		if err != nil {
			u.report(r.Message, err)
			return
		}
		setInfo(t.Message, T("lendmoney.claims.cancelled", "Title", r.Claim.Title, "Name", r.Claim.PupilName))
		t.load()
		t.s.Accounts.load()
	})
}
