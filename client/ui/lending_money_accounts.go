package ui

import (
	"context"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// LendingAccountsTab is the year's accounts: per pupil the state (Wartet,
// Offen, Bezahlt, Erstattung, keine Anmeldung), what is due, paid and
// claimed, with the totals; filtered by class and state and searched by
// name or reference. A class shows its pupils without a registration
// too. "Öffnen" shows one account with its payments, claims and proofs.
type LendingAccountsTab struct {
	Class   *widget.Select
	Status  *widget.Select
	Search  *widget.Entry
	Reload  *widget.Button
	Totals  *widget.Label
	Message *widget.Label
	Empty   *widget.Label
	Rows    []*LendingAccountRow
	Detail  *LendingAccountView // while one account is open

	List wire.LendingAccounts

	s          *LendingMoneyScreen
	classRows  []wire.LendingClassPupil // the chosen class's pupils (nil: all)
	classesSet bool
	rows       *fyne.Container
	list       fyne.CanvasObject
	stack      *fyne.Container
	content    fyne.CanvasObject
	seq        int
}

// LendingAccountRow is an account in the overview.
type LendingAccountRow struct {
	Account wire.LendingAccount
	Info    *widget.Label
	Status  *widget.Label
	Open    *widget.Button
}

func (s *LendingMoneyScreen) newAccountsTab() *LendingAccountsTab {
	t := &LendingAccountsTab{s: s, Totals: widget.NewLabel(""), Message: newMessage(), rows: container.NewVBox()}
	all := T("lendmoney.accounts.all_classes")
	t.Class = widget.NewSelect([]string{all}, func(string) { t.load() })
	t.Class.PlaceHolder = all
	statuses := []string{T("lendmoney.accounts.all_states")}
	for _, st := range lmStatuses {
		statuses = append(statuses, lmStatus(st))
	}
	t.Status = widget.NewSelect(statuses, func(string) { t.filter() })
	t.Status.PlaceHolder = statuses[0]
	t.Search = widget.NewEntry()
	t.Search.SetPlaceHolder(T("lendmoney.accounts.search"))
	t.Search.OnChanged = func(string) { t.filter() }
	t.Reload = widget.NewButtonWithIcon(T("lendmoney.reload"), theme.ViewRefreshIcon(), t.load)
	t.Totals.Wrapping = fyne.TextWrapWord
	t.Totals.TextStyle.Bold = true
	t.Empty = widget.NewLabelWithStyle(T("lendmoney.accounts.empty"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	t.Empty.Hide()
	bar := container.NewBorder(nil, nil, container.NewHBox(
		container.NewGridWrap(fyne.NewSize(170, t.Class.MinSize().Height), t.Class),
		container.NewGridWrap(fyne.NewSize(190, t.Status.MinSize().Height), t.Status)), t.Reload, t.Search)
	t.list = container.NewBorder(container.NewPadded(container.NewVBox(bar, t.Totals, t.Message)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(t.Empty, t.rows))))
	t.stack = container.NewStack(t.list)
	t.content = t.stack
	return t
}

// chosenClass is the class filter ("" for all).
func (t *LendingAccountsTab) chosenClass() string {
	if t.Class.Selected == T("lendmoney.accounts.all_classes") {
		return ""
	}
	return t.Class.Selected
}

// load fetches the year's accounts (and the chosen class's pupils).
func (t *LendingAccountsTab) load() {
	u := t.s.u
	year := t.s.yearID
	if year == 0 {
		return
	}
	t.seq++
	seq := t.seq
	class := t.chosenClass()
	needClasses := !t.classesSet
	var list wire.LendingAccounts
	var cls *wire.LendingClass
	var classes []string
	u.run(func(ctx context.Context) error {
		var err error
		if needClasses {
			classes, _ = u.lmClasses(ctx) // the filter stays "all" without them
		}
		if list, err = u.api.LendingAccounts(ctx, year); err != nil {
			return err
		}
		if class != "" {
			c, err := u.api.LendingClass(ctx, class, year)
			if err != nil {
				return err
			}
			cls = &c
		}
		return nil
	}, func(err error) {
		if seq != t.seq {
			return
		}
		if len(classes) > 0 {
			t.classesSet = true
			t.Class.Options = append([]string{T("lendmoney.accounts.all_classes")}, classes...)
			t.Class.Refresh()
		}
		if err != nil {
			u.report(t.Message, err)
			return
		}
		clearMessage(t.Message)
		t.List = list
		t.classRows = nil
		if cls != nil {
			t.classRows = cls.Pupils
			if t.classRows == nil {
				t.classRows = []wire.LendingClassPupil{}
			}
		}
		t.filter()
	})
}

// shown is the accounts the filters let through: of the class (with its
// unregistered pupils as "keine Anmeldung"), of the state, matching the
// search.
func (t *LendingAccountsTab) shown() []wire.LendingAccount {
	accounts := t.List.Accounts
	if t.classRows != nil {
		byPupil := map[string]wire.LendingAccount{}
		for _, a := range accounts {
			byPupil[a.Pupil] = a
		}
		accounts = nil
		for _, p := range t.classRows {
			if a, ok := byPupil[p.Pupil]; ok {
				accounts = append(accounts, a)
			} else {
				accounts = append(accounts, wire.LendingAccount{Pupil: p.Pupil, PupilName: p.Name, Status: "none"})
			}
		}
	}
	status := ""
	for _, st := range lmStatuses {
		if lmStatus(st) == t.Status.Selected {
			status = st
		}
	}
	q := strings.ToLower(strings.TrimSpace(t.Search.Text))
	qRef := strings.NewReplacer("-", "", " ", "").Replace(q)
	var out []wire.LendingAccount
	for _, a := range accounts {
		if status != "" && a.Status != status {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(a.PupilName), q) &&
			!strings.Contains(strings.ToLower(strings.ReplaceAll(a.Reference, "-", "")), qRef) {
			continue
		}
		out = append(out, a)
	}
	if t.classRows == nil {
		sort.SliceStable(out, func(i, j int) bool { return out[i].PupilName < out[j].PupilName })
	}
	return out
}

// filter shows the rows the filters let through.
func (t *LendingAccountsTab) filter() {
	list := t.shown()
	t.Rows = nil
	t.rows.RemoveAll()
	for _, a := range list {
		r := t.newRow(a)
		t.Rows = append(t.Rows, r)
		t.rows.Add(container.NewBorder(nil, widget.NewSeparator(), nil, container.NewHBox(r.Status, r.Open), r.Info))
	}
	showIf(t.Empty, len(list) == 0)
	counts := []string{}
	for _, st := range lmStatuses {
		if n := t.List.CountByStatus[st]; n > 0 {
			counts = append(counts, T("lendmoney.accounts.count", "Count", n, "Status", lmStatus(st)))
		}
	}
	t.Totals.SetText(T("lendmoney.accounts.totals", "Year", t.List.Year.Name, "Due", euro(t.List.DueCents),
		"Paid", euro(t.List.PaidCents), "Counts", strings.Join(counts, ", ")))
}

func (t *LendingAccountsTab) newRow(a wire.LendingAccount) *LendingAccountRow {
	r := &LendingAccountRow{Account: a}
	r.Info = widget.NewLabel(lmAccountLine(a))
	r.Info.Wrapping = fyne.TextWrapWord
	r.Status = widget.NewLabelWithStyle(lmStatus(a.Status), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	r.Status.Importance = lmStatusImportance(a.Status)
	r.Open = widget.NewButtonWithIcon(T("lendmoney.accounts.open"), theme.NavigateNextIcon(), func() { t.open(a.Reference) })
	showIf(r.Open, a.Reference != "")
	return r
}

// lmAccountLine is an account in one line for the secretary.
func lmAccountLine(a wire.LendingAccount) string {
	if a.Reference == "" {
		return T("lendmoney.accounts.line_none", "Name", a.PupilName)
	}
	line := T("lendmoney.accounts.line", "Name", a.PupilName, "Reference", a.Reference, "Due", euro(a.RegistrationDueCents),
		"Paid", euro(a.PaidCents))
	if a.ClaimsDueCents != 0 {
		line += " · " + T("lendmoney.accounts.claims", "Amount", euro(a.ClaimsDueCents))
	}
	if a.BalanceCents > 0 {
		line += " · " + T("lendmoney.accounts.balance_due", "Amount", euro(a.BalanceCents))
	} else if a.BalanceCents < 0 {
		line += " · " + T("lendmoney.accounts.balance_back", "Amount", euro(-a.BalanceCents))
	}
	return line
}

// open shows one account in place of the list.
func (t *LendingAccountsTab) open(reference string) {
	v := t.newAccountView(reference)
	t.Detail = v
	t.stack.Objects = []fyne.CanvasObject{v.content}
	t.stack.Refresh()
	v.load()
}

// back shows the list again, loaded anew.
func (t *LendingAccountsTab) back() {
	t.Detail = nil
	t.stack.Objects = []fyne.CanvasObject{t.list}
	t.stack.Refresh()
	t.load()
}

// LendingAccountView is one account: the state, the payments, the
// claims, the proofs of a reduction or exemption (accepted or rejected
// here) and a payment by hand.
type LendingAccountView struct {
	Back      *widget.Button
	Heading   *widget.Label
	Summary   *widget.Label
	Payments  *widget.Label
	Claims    *widget.Label
	Reduction *LendingProofRow
	Exemption *LendingProofRow
	Payment   *LendingPaymentForm
	Message   *widget.Label

	Detail wire.LendingAccountDetail
	Panel  *wire.LendingPanel

	t         *LendingAccountsTab
	reference string
	content   fyne.CanvasObject
}

// LendingProofRow is a proof's state with the buttons that decide it.
type LendingProofRow struct {
	State  *widget.Label
	Accept *widget.Button
	Reject *widget.Button
	box    *fyne.Container
}

func (t *LendingAccountsTab) newAccountView(reference string) *LendingAccountView {
	v := &LendingAccountView{t: t, reference: reference, Message: newMessage()}
	v.Back = widget.NewButtonWithIcon(T("lendmoney.back"), theme.NavigateBackIcon(), t.back)
	v.Heading = heading("")
	v.Heading.SizeName = theme.SizeNameSubHeadingText
	v.Summary = widget.NewLabel("")
	v.Summary.Wrapping = fyne.TextWrapWord
	v.Payments = monoLines()
	v.Claims = monoLines()
	v.Reduction = v.newProofRow("reduction")
	v.Exemption = v.newProofRow("exemption")
	v.Payment = t.s.newPaymentForm(reference, func(wire.LendingAccount) { v.load() })
	v.content = container.NewBorder(container.NewPadded(container.NewHBox(v.Back)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(v.Heading, v.Summary, v.Message,
			v.Reduction.box, v.Exemption.box,
			widget.NewCard(T("lendmoney.account.payments"), "", v.Payments),
			widget.NewCard(T("lendmoney.account.claims"), "", v.Claims),
			widget.NewCard(T("lendmoney.account.pay"), T("lendmoney.account.pay_hint"), v.Payment.box)))))
	return v
}

func (v *LendingAccountView) newProofRow(kind string) *LendingProofRow {
	r := &LendingProofRow{State: widget.NewLabel("")}
	r.State.Wrapping = fyne.TextWrapWord
	r.Accept = widget.NewButtonWithIcon(T("lendmoney.proof.accept"), theme.ConfirmIcon(), func() { v.setProof(kind, "accepted") })
	r.Reject = widget.NewButtonWithIcon(T("lendmoney.proof.reject"), theme.CancelIcon(), func() { v.setProof(kind, "rejected") })
	r.Reject.Importance = widget.DangerImportance
	r.box = container.NewVBox(widget.NewCard("", "", container.NewVBox(r.State, container.NewHBox(r.Accept, r.Reject))))
	r.box.Hide()
	return r
}

// load fetches the account and the pupil's registration (for proofs).
func (v *LendingAccountView) load() {
	u := v.t.s.u
	var d wire.LendingAccountDetail
	var panel *wire.LendingPanel
	u.run(func(ctx context.Context) error {
		var err error
		if d, err = u.api.LendingAccount(ctx, v.reference); err != nil {
			return err
		}
		if d.Account.Pupil != "" {
			p, err := u.api.LendingPupil(ctx, d.Account.Pupil, d.Account.YearID)
			if err != nil {
				return err
			}
			panel = &p
		}
		return nil
	}, func(err error) {
		if err != nil {
			u.report(v.Message, err)
			return
		}
		v.show(d, panel)
	})
}

func (v *LendingAccountView) show(d wire.LendingAccountDetail, panel *wire.LendingPanel) {
	v.Detail, v.Panel = d, panel
	a := d.Account
	name := a.PupilName
	if panel != nil && panel.Class != "" {
		name += " (" + panel.Class + ")"
	}
	v.Heading.SetText(T("lendmoney.account.heading", "Name", name, "Year", a.Year))
	v.Summary.SetText(T("lendmoney.account.summary", "Reference", a.Reference, "Status", lmStatus(a.Status),
		"Due", euro(a.RegistrationDueCents), "Claims", euro(a.ClaimsDueCents), "Paid", euro(a.PaidCents),
		"Balance", lmBalance(a.BalanceCents)))
	var pays []string
	for _, p := range d.Payments {
		src := T("lendmoney.account.source." + lmSource(p.Source))
		line := shownDate(p.BookedOn) + "  " + lmPad(euro(p.AmountCents), 12) + "  " + src
		if p.Payer != "" {
			line += " · " + p.Payer
		}
		if p.Note != "" {
			line += " · " + p.Note
		}
		pays = append(pays, line)
	}
	if len(pays) == 0 {
		pays = []string{T("lendmoney.account.no_payments")}
	}
	v.Payments.SetText(strings.Join(pays, "\n"))
	var claims []string
	for _, c := range d.Claims {
		claims = append(claims, lmClaimLine(c))
	}
	if len(claims) == 0 {
		claims = []string{T("lendmoney.account.no_claims")}
	}
	v.Claims.SetText(strings.Join(claims, "\n"))
	v.Reduction.box.Hide()
	v.Exemption.box.Hide()
	if panel != nil && panel.Registration != nil {
		r := panel.Registration
		if r.Reduction {
			v.Reduction.State.SetText(T("lendmoney.proof.reduction", "State", lmProof(r.ReductionProof)))
			v.Reduction.box.Show()
			showIf(v.Reduction.Accept, r.ReductionProof != "accepted")
			showIf(v.Reduction.Reject, r.ReductionProof != "rejected")
		}
		if r.Exemption != "" {
			v.Exemption.State.SetText(T("lendmoney.proof.exemption", "Reason", r.ExemptionTitle, "State", lmProof(r.ExemptionProof)))
			v.Exemption.box.Show()
			showIf(v.Exemption.Accept, r.ExemptionProof != "accepted")
			showIf(v.Exemption.Reject, r.ExemptionProof != "rejected")
		}
	}
}

// lmSource names a payment's source key (bank or manual).
func lmSource(s string) string {
	if s == "bank" {
		return "bank"
	}
	return "manual"
}

// lmPad right-aligns text in width runes (for lists in a fixed font).
func lmPad(s string, width int) string {
	if n := len([]rune(s)); n < width {
		return strings.Repeat(" ", width-n) + s
	}
	return s
}

// lmProof is a proof's state as people read it.
func lmProof(state string) string {
	switch state {
	case "accepted":
		return T("lendmoney.proof.accepted")
	case "rejected":
		return T("lendmoney.proof.rejected")
	}
	return T("lendmoney.proof.pending")
}

// setProof accepts or rejects a proof (LendingSetProof).
func (v *LendingAccountView) setProof(kind, state string) {
	u := v.t.s.u
	login, year := v.Detail.Account.Pupil, v.Detail.Account.YearID
	u.run(func(ctx context.Context) error {
		_, err := u.api.LendingSetProof(ctx, login, kind, year, state)
		return err
	}, func(err error) {
		if err != nil {
			u.report(v.Message, err)
			return
		}
		setInfo(v.Message, T("lendmoney.proof.saved."+state))
		v.load()
	})
}
