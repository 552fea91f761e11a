package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// LendingUnmatchedTab lists the bank bookings the import could not match
// (no reference, a wrong one, several in one transfer). Each is matched
// by hand — the secretary types the reference or the child's name — or
// marked as no lending payment.
type LendingUnmatchedTab struct {
	Reload  *widget.Button
	Message *widget.Label
	Empty   *widget.Label
	Rows    []*LendingUnmatchedRow

	s       *LendingMoneyScreen
	rows    *fyne.Container
	content fyne.CanvasObject
}

// LendingUnmatchedRow is a booking waiting for its pupil.
type LendingUnmatchedRow struct {
	Line    wire.LendingBankLine
	Info    *widget.Label
	Target  *widget.Entry  // a reference or a child's name
	Choose  *widget.Select // several children of that name
	Match   *widget.Button
	Ignore  *widget.Button
	Message *widget.Label

	found []wire.LendingPupilRef
}

func (s *LendingMoneyScreen) newUnmatchedTab() *LendingUnmatchedTab {
	t := &LendingUnmatchedTab{s: s, Message: newMessage(), rows: container.NewVBox()}
	intro := widget.NewLabel(T("lendmoney.unmatched.intro"))
	intro.Wrapping = fyne.TextWrapWord
	t.Reload = widget.NewButtonWithIcon(T("lendmoney.reload"), theme.ViewRefreshIcon(), t.load)
	t.Empty = widget.NewLabelWithStyle(T("lendmoney.unmatched.empty"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	t.Empty.Hide()
	t.content = container.NewBorder(container.NewPadded(container.NewVBox(intro, container.NewHBox(t.Reload), t.Message)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(t.Empty, t.rows))))
	return t
}

// load lists the waiting bookings.
func (t *LendingUnmatchedTab) load() {
	u := t.s.u
	var lines []wire.LendingBankLine
	u.run(func(ctx context.Context) error {
		var err error
		lines, err = u.api.LendingUnmatched(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.report(t.Message, err)
			return
		}
		t.show(lines)
	})
}

func (t *LendingUnmatchedTab) show(lines []wire.LendingBankLine) {
	t.Rows = nil
	t.rows.RemoveAll()
	for _, l := range lines {
		r := t.newRow(l)
		t.Rows = append(t.Rows, r)
		t.rows.Add(widget.NewCard("", "", container.NewVBox(r.Info,
			container.NewBorder(nil, nil, nil, container.NewHBox(r.Match, r.Ignore), r.Target), r.Choose, r.Message)))
	}
	showIf(t.Empty, len(lines) == 0)
	t.s.Tabs.Items[1].Text = T("lendmoney.tab.unmatched_count", "Count", len(lines))
	if len(lines) == 0 {
		t.s.Tabs.Items[1].Text = T("lendmoney.tab.unmatched")
	}
	t.s.Tabs.Refresh()
}

func (t *LendingUnmatchedTab) newRow(l wire.LendingBankLine) *LendingUnmatchedRow {
	r := &LendingUnmatchedRow{Line: l, Message: newMessage()}
	payer := l.Payer
	if payer == "" {
		payer = "–"
	}
	r.Info = widget.NewLabel(T("lendmoney.unmatched.line", "Date", shownDate(l.Date), "Amount", euro(l.AmountCents),
		"Payer", payer, "Purpose", l.Purpose))
	r.Info.Wrapping = fyne.TextWrapWord
	r.Target = widget.NewEntry()
	r.Target.SetPlaceHolder(T("lendmoney.target.placeholder"))
	r.Target.OnSubmitted = func(string) { t.match(r) }
	r.Choose = widget.NewSelect(nil, func(opt string) { t.chosen(r, opt) })
	r.Choose.PlaceHolder = T("lendmoney.target.choose")
	r.Choose.Hide()
	r.Match = widget.NewButtonWithIcon(T("lendmoney.unmatched.match"), theme.ConfirmIcon(), func() { t.match(r) })
	r.Match.Importance = widget.HighImportance
	r.Ignore = widget.NewButtonWithIcon(T("lendmoney.unmatched.ignore"), theme.CancelIcon(), func() { t.resolve(r, "") })
	return r
}

// match books the line on the reference typed, or finds the child named.
func (t *LendingUnmatchedTab) match(r *LendingUnmatchedRow) {
	u := t.s.u
	text := r.Target.Text
	var ref string
	var found []wire.LendingPupilRef
	clearMessage(r.Message)
	u.run(func(ctx context.Context) error {
		var err error
		ref, found, err = u.lmResolve(ctx, text, t.s.yearID)
		return err
	}, func(err error) {
		if err != nil {
			u.report(r.Message, err)
			return
		}
		if len(found) > 0 {
			r.found = found
			var opts []string
			for _, p := range found {
				opts = append(opts, lmPupilOption(p))
			}
			r.Choose.Options = opts
			r.Choose.ClearSelected()
			r.Choose.Show()
			setPlain(r.Message, T("lendmoney.target.several"))
			return
		}
		t.resolve(r, ref)
	})
}

// chosen puts the reference of the child picked among several into the
// row; "Zuordnen" then books it.
func (t *LendingUnmatchedTab) chosen(r *LendingUnmatchedRow, opt string) {
	u := t.s.u
	for _, p := range r.found {
		if lmPupilOption(p) != opt {
			continue
		}
		var ref string
		u.run(func(ctx context.Context) error {
			var err error
			ref, err = u.lmReferenceOf(ctx, p, t.s.yearID)
			return err
		}, func(err error) {
			if err != nil {
				u.report(r.Message, err)
				return
			}
			r.Target.SetText(ref)
			r.Choose.Hide()
			setPlain(r.Message, T("lendmoney.target.filled", "Name", p.Name, "Reference", ref))
		})
	}
}

// resolve books the line on ref, or ("") marks it as no lending payment.
func (t *LendingUnmatchedTab) resolve(r *LendingUnmatchedRow, ref string) {
	u := t.s.u
	u.run(func(ctx context.Context) error {
		_, err := u.api.LendingResolveLine(ctx, r.Line.ID, ref)
		return err
	}, func(err error) {
		if err != nil {
			u.report(r.Message, err)
			return
		}
		if ref == "" {
			setInfo(t.Message, T("lendmoney.unmatched.ignored", "Amount", euro(r.Line.AmountCents)))
		} else {
			setInfo(t.Message, T("lendmoney.unmatched.matched", "Amount", euro(r.Line.AmountCents), "Reference", ref))
		}
		t.load()
		t.s.Accounts.load()
	})
}

// LendingPaymentForm books money taken by hand: cash at the desk, or
// (ticked, or a negative amount) money paid back.
type LendingPaymentForm struct {
	Target  *widget.Entry // a reference or a child's name
	Choose  *widget.Select
	Amount  *widget.Entry
	Refund  *widget.Check
	Date    *widget.Entry
	Note    *widget.Entry
	Book    *widget.Button
	Message *widget.Label

	s     *LendingMoneyScreen
	fixed bool // the account view's form: the reference stays
	found []wire.LendingPupilRef
	done  func(wire.LendingAccount)
	box   *fyne.Container
}

// newPaymentForm makes the form; reference fixes the account (the
// account view), "" lets the person type a reference or a name.
func (s *LendingMoneyScreen) newPaymentForm(reference string, done func(wire.LendingAccount)) *LendingPaymentForm {
	f := &LendingPaymentForm{s: s, done: done, fixed: reference != "", Message: newMessage()}
	f.Target = widget.NewEntry()
	f.Target.SetPlaceHolder(T("lendmoney.target.placeholder"))
	f.Target.SetText(reference)
	f.Choose = widget.NewSelect(nil, func(opt string) {
		for _, p := range f.found {
			if lmPupilOption(p) == opt {
				f.fillFrom(p)
			}
		}
	})
	f.Choose.PlaceHolder = T("lendmoney.target.choose")
	f.Choose.Hide()
	f.Amount = widget.NewEntry()
	f.Amount.SetPlaceHolder(T("lendmoney.pay.amount_hint"))
	f.Refund = widget.NewCheck(T("lendmoney.pay.refund"), nil)
	f.Date = widget.NewEntry()
	f.Date.SetText(s.u.opts.Now().Format("02.01.2006"))
	f.Note = widget.NewEntry()
	f.Note.SetPlaceHolder(T("lendmoney.pay.note_hint"))
	f.Book = widget.NewButtonWithIcon(T("lendmoney.pay.book"), theme.ConfirmIcon(), f.submit)
	f.Book.Importance = widget.HighImportance
	items := []*widget.FormItem{
		widget.NewFormItem(T("lendmoney.pay.amount"), container.NewVBox(f.Amount, f.Refund)),
		widget.NewFormItem(T("lendmoney.pay.date"), f.Date),
		widget.NewFormItem(T("lendmoney.pay.note"), f.Note),
	}
	if reference == "" {
		items = append([]*widget.FormItem{widget.NewFormItem(T("lendmoney.pay.target"), container.NewVBox(f.Target, f.Choose))}, items...)
	}
	f.box = container.NewVBox(widget.NewForm(items...), container.NewHBox(f.Book), f.Message)
	return f
}

func (f *LendingPaymentForm) fillFrom(p wire.LendingPupilRef) {
	u := f.s.u
	var ref string
	u.run(func(ctx context.Context) error {
		var err error
		ref, err = u.lmReferenceOf(ctx, p, f.s.yearID)
		return err
	}, func(err error) {
		if err != nil {
			u.report(f.Message, err)
			return
		}
		f.Target.SetText(ref)
		f.Choose.Hide()
		setPlain(f.Message, T("lendmoney.target.filled", "Name", p.Name, "Reference", ref))
	})
}

// submit books the payment.
func (f *LendingPaymentForm) submit() {
	u := f.s.u
	cents, err := parseEuro(f.Amount.Text)
	if err == nil && cents == 0 {
		err = userError(T("lendmoney.amount.zero"))
	}
	if err != nil {
		u.report(f.Message, err)
		return
	}
	if f.Refund.Checked && cents > 0 {
		cents = -cents
	}
	date, err := isoDate(f.Date.Text)
	if err != nil {
		u.report(f.Message, err)
		return
	}
	text, note, year := f.Target.Text, f.Note.Text, f.s.yearID
	var acc wire.LendingAccount
	var found []wire.LendingPupilRef
	clearMessage(f.Message)
	u.run(func(ctx context.Context) error {
		ref, cands, err := u.lmResolve(ctx, text, year)
		if err != nil || len(cands) > 0 {
			found = cands
			return err
		}
		acc, err = u.api.LendingAddPayment(ctx, wire.LendingPaymentInput{Reference: ref, AmountCents: cents, Date: date, Note: note})
		return err
	}, func(err error) {
		if err != nil {
			u.report(f.Message, err)
			return
		}
		if len(found) > 0 {
			f.found = found
			var opts []string
			for _, p := range found {
				opts = append(opts, lmPupilOption(p))
			}
			f.Choose.Options = opts
			f.Choose.ClearSelected()
			f.Choose.Show()
			setPlain(f.Message, T("lendmoney.target.several"))
			return
		}
		key := "lendmoney.pay.booked"
		if cents < 0 {
			key = "lendmoney.pay.refunded"
		}
		setInfo(f.Message, T(key, "Amount", euro(lmAbs(cents)), "Name", acc.PupilName, "Reference", acc.Reference,
			"Status", lmStatus(acc.Status), "Balance", lmBalance(acc.BalanceCents)))
		f.Amount.SetText("")
		f.Note.SetText("")
		if !f.fixed {
			f.Target.SetText("")
		}
		f.Refund.SetChecked(false)
		if f.done != nil {
			f.done(acc)
		}
	})
}

func lmAbs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
