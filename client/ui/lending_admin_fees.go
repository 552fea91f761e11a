package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// LendingFeesTab lists every title's fee in the chosen year: the shop
// price, the default the rules compute and the fee in force, which the
// coordinator may override (inside the year's band; the server refuses
// otherwise, and its message shows at the title's row) or reset to the
// default.
type LendingFeesTab struct {
	Rules   *widget.Label // the year's band and default rate
	Message *widget.Label
	Rows    []*LendingFeeRow
	Fees    wire.LendingFees

	s       *LendingAdminScreen
	seq     int
	rows    *fyne.Container
	content fyne.CanvasObject
}

// LendingFeeRow is a title's fee.
type LendingFeeRow struct {
	Fee     wire.LendingFee
	Name    *widget.Label
	Info    *widget.Label // shop price, default, overridden or not
	Amount  *widget.Entry
	Save    *widget.Button
	Reset   *widget.Button
	Message *widget.Label
}

func newLendingFeesTab(s *LendingAdminScreen) *LendingFeesTab {
	t := &LendingFeesTab{s: s, Message: newMessage(), Rules: widget.NewLabel("")}
	t.Rules.Wrapping = fyne.TextWrapWord
	t.rows = container.NewVBox()
	t.content = container.NewBorder(container.NewVBox(t.Rules, t.Message), nil, nil, nil,
		container.NewVScroll(container.NewPadded(t.rows)))
	return t
}

// load asks for the chosen year's fees.
func (t *LendingFeesTab) load() {
	s := t.s
	year := s.YearID
	if year == 0 {
		return
	}
	laLoad(s.u, &t.seq, t.Message, func(ctx context.Context) (wire.LendingFees, error) {
		return s.u.api.LendingFees(ctx, year)
	}, t.show)
}

// show lays out the rows (workbooks have no fee and are left out).
func (t *LendingFeesTab) show(fees wire.LendingFees) {
	t.Fees = fees
	if y := t.s.current(); y != nil {
		t.Rules.SetText(T("lending_admin.fees.rules", "Year", y.Name, "Min", laPct(y.RateMinPct), "Max", laPct(y.RateMaxPct),
			"Rate", laPct(y.RatePct), "Multi", laPct(y.MultiYearPct)))
	}
	t.Rows = nil
	t.rows.Objects = nil
	for _, f := range fees.Fees {
		if f.Title.Consumable {
			continue
		}
		r := &LendingFeeRow{Fee: f, Name: widget.NewLabelWithStyle(f.Title.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			Info: widget.NewLabel(""), Amount: widget.NewEntry(), Message: newMessage()}
		r.Amount.OnSubmitted = func(string) { t.save(r) }
		r.Save = widget.NewButtonWithIcon(T("lending_admin.fees.save"), theme.DocumentSaveIcon(), func() { t.save(r) })
		r.Reset = widget.NewButtonWithIcon(T("lending_admin.fees.reset"), theme.ContentUndoIcon(), func() { t.reset(r) })
		r.fill(f)
		t.Rows = append(t.Rows, r)
		t.rows.Add(container.NewVBox(
			container.NewBorder(nil, nil, nil,
				container.NewVBox(container.NewHBox(container.NewGridWrap(fyne.NewSize(110, r.Amount.MinSize().Height), r.Amount),
					widget.NewLabel("€"), r.Save, r.Reset)),
				container.NewVBox(r.Name, r.Info)),
			r.Message, widget.NewSeparator()))
	}
	t.rows.Refresh()
}

// fill shows a fee in its row.
func (r *LendingFeeRow) fill(f wire.LendingFee) {
	r.Fee = f
	r.Amount.SetText(euroPlain(f.FeeCents))
	key := "lending_admin.fees.info"
	if f.Override {
		key = "lending_admin.fees.info_override"
	}
	info := T(key, "Price", euro(f.Title.PriceCents), "Default", euro(f.DefaultCents))
	if f.Title.YearsOfUse == 2 {
		info += " · " + T("lending_admin.titles.two_years")
	}
	r.Info.SetText(info)
	showIf(r.Reset, f.Override)
}

// save sets the typed fee: one call; a refusal shows at the row, the
// typed amount stays.
func (t *LendingFeesTab) save(r *LendingFeeRow) {
	s := t.s
	s.u.touch()
	cents, err := parseEuro(r.Amount.Text)
	if err != nil {
		setProblem(r.Message, errorText(err))
		return
	}
	t.put(r, &cents)
}

// reset returns the title to the default fee.
func (t *LendingFeesTab) reset(r *LendingFeeRow) {
	t.s.u.touch()
	t.put(r, nil)
}

func (t *LendingFeesTab) put(r *LendingFeeRow, cents *int64) {
	s := t.s
	year, title := s.YearID, r.Fee.Title.ID
	var f wire.LendingFee
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		f, err = s.u.api.LendingSetFee(ctx, year, title, cents)
		return err
	}, func(err error) {
		if err != nil {
			s.u.report(r.Message, err)
			return
		}
		r.fill(f)
		setInfo(r.Message, T("lending_admin.fees.saved", "Fee", euro(f.FeeCents)))
	})
}
