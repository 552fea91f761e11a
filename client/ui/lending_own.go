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

// lendingOwnKey is the child's own view's key in u.screens (and its
// home tile's).
const lendingOwnKey = "lending-own"

func init() {
	registerTile(tile{key: lendingOwnKey, title: "lendown.title", icon: lendingIcon, order: 18,
		// module: false, because the tile's key is not the module's name;
		// the lending module's switch is checked here instead.
		visible: func(s *wire.Session) bool {
			if s.User.Role != wire.RolePupil {
				return false
			}
			for _, m := range s.Modules {
				if m == wire.ModuleLending {
					return true
				}
			}
			return false
		},
		open: func(u *UI) { u.showLendingOwn() }})
}

// LendingOwnScreen is "Meine Schulbücher": what the parents see on the
// page /buecher/, in the child's client — the books the child has and
// still gets, the registration, what it costs and what is paid, where
// to pay (bank account and payment reference, large), and claims for
// damaged or lost books. Short sentences that a nine-year-old and a
// parent looking over the shoulder both understand. While the
// registration is open, "Anmelden" (or "Anmeldung ändern") leads to the
// form (Register) and its result.
type LendingOwnScreen struct {
	Heading      *widget.Label
	Message      *widget.Label
	Books        *widget.Label // the books the child has
	Missing      *widget.Label // the books still to come
	Registration *widget.Label
	Money        *widget.Label // the state of the payment in a sentence
	Amounts      *widget.Label
	Bank         *widget.Label
	Reference    *widget.Label // the payment reference, large
	Claims       *widget.Label
	Current      *widget.Label // the year under way, when the registration is for the next
	Register     *widget.Button
	Withdraw     *widget.Button // while the registration is open
	Reload       *widget.Button

	Form   *LendingRegisterForm // while the form is open
	Result *LendingRegisteredView

	Own   *wire.LendingOwn
	Offer *wire.LendingOffer

	u        *UI
	payCard  *widget.Card
	claims   *widget.Card
	current  *widget.Card
	missing  *widget.Card
	overview fyne.CanvasObject
}

// showLendingOwn opens the child's own view.
func (u *UI) showLendingOwn() {
	s := &LendingOwnScreen{u: u, Message: newMessage()}
	s.Heading = heading(T("lendown.heading"))
	s.Heading.SizeName = theme.SizeNameHeadingText
	s.Books = lmBig("")
	s.Missing = lmBig("")
	s.Registration = lmBig("")
	s.Money = lmBig("")
	s.Money.TextStyle.Bold = true
	s.Amounts = lmBig("")
	s.Bank = lmBig("")
	s.Reference = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	s.Reference.SizeName = theme.SizeNameSubHeadingText
	s.Reference.Selectable = true
	s.Claims = lmBig("")
	s.Current = lmBig("")
	s.Register = widget.NewButtonWithIcon(T("lendown.register"), theme.DocumentCreateIcon(), s.openForm)
	s.Register.Importance = widget.HighImportance
	s.Register.Hide()
	s.Withdraw = widget.NewButtonWithIcon(T("lendown.withdraw"), theme.ContentUndoIcon(), s.askWithdraw)
	s.Withdraw.Hide()
	s.Reload = widget.NewButtonWithIcon(T("lendown.reload"), theme.ViewRefreshIcon(), s.load)
	s.missing = widget.NewCard(T("lendown.missing.title"), "", s.Missing)
	s.payCard = widget.NewCard(T("lendown.pay.title"), "", container.NewVBox(s.Money, s.Amounts, s.Reference, s.Bank))
	s.claims = widget.NewCard(T("lendown.claims.title"), "", s.Claims)
	s.current = widget.NewCard("", "", s.Current)
	s.overview = container.NewBorder(container.NewPadded(container.NewBorder(nil, nil, nil, s.Reload, s.Heading)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(s.Message,
			widget.NewCard(T("lendown.books.title"), "", s.Books), s.missing,
			widget.NewCard(T("lendown.registration.title"), "", container.NewVBox(s.Registration, container.NewHBox(s.Register, s.Withdraw))),
			s.payCard, s.claims, s.current))))
	u.setScreen(lendingOwnKey, s)
	s.back()
}

// lmBig is a label for sentences that wrap.
func lmBig(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// back shows the overview, loaded anew.
func (s *LendingOwnScreen) back() {
	s.Form, s.Result = nil, nil
	s.u.openScreen(T("lendown.title"), s.overview)
	s.load()
}

// load fetches the child's state and the offer of the open registration.
func (s *LendingOwnScreen) load() { s.loadThen("") }

// loadThen is load, with a notice shown once the state is there.
func (s *LendingOwnScreen) loadThen(notice string) {
	u := s.u
	var own wire.LendingOwn
	var offer *wire.LendingOffer
	u.run(func(ctx context.Context) error {
		var err error
		if own, err = u.api.LendingOwn(ctx); err != nil {
			return err
		}
		if o, err := u.api.LendingOwnOffer(ctx); err == nil {
			offer = &o
		}
		return nil
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		clearMessage(s.Message)
		if notice != "" {
			setInfo(s.Message, notice)
		}
		s.show(own, offer)
	})
}

func (s *LendingOwnScreen) show(own wire.LendingOwn, offer *wire.LendingOffer) {
	s.Own, s.Offer = &own, offer
	p := own.LendingPanel
	if p.Year.Name != "" {
		s.Heading.SetText(T("lendown.heading_year", "Year", p.Year.Name))
	}
	s.Books.SetText(lmLoansText(p.Loans))
	var missing []string
	for _, b := range p.Missing {
		missing = append(missing, "• "+b.Title)
	}
	s.Missing.SetText(strings.Join(missing, "\n"))
	showIf(s.missing, len(missing) > 0)

	r := p.Registration
	if r == nil {
		s.Registration.SetText(T("lendown.registration.none", "Year", p.Year.Name))
	} else {
		what := T("lendown.registration.package")
		if !r.Package {
			var borrowed []string
			for _, t := range r.Titles {
				if t.Choice == "borrow" {
					borrowed = append(borrowed, t.Title)
				}
			}
			what = T("lendown.registration.titles", "Titles", strings.Join(borrowed, ", "))
		}
		text := T("lendown.registration.done", "Year", r.Year, "What", what, "Guardian", r.Guardian)
		if r.Reduction {
			text += "\n" + T("lendown.registration.reduction", "State", lmProof(r.ReductionProof))
		}
		if r.Exemption != "" {
			text += "\n" + T("lendown.registration.exemption", "Reason", r.ExemptionTitle, "State", lmProof(r.ExemptionProof))
		}
		s.Registration.SetText(text)
	}
	showIf(s.Register, offer != nil && offer.Open)
	// Books of the year out: the server would refuse (they come back
	// first), so the button does not tempt.
	booksOut := false
	for _, l := range p.Loans {
		booksOut = booksOut || r != nil && l.YearID == r.YearID
	}
	showIf(s.Withdraw, offer != nil && offer.Open && r != nil && r.YearID == offer.Year.ID && !booksOut)
	if r != nil {
		s.Register.SetText(T("lendown.register.change"))
	} else {
		s.Register.SetText(T("lendown.register"))
	}

	a := p.Account
	if a == nil || a.Reference == "" {
		s.payCard.Hide()
	} else {
		s.payCard.Show()
		s.Money.SetText(lmOwnMoney(*a, p.Year, s.u.opts.Now().Format("2006-01-02")))
		s.Money.Importance = lmStatusImportance(a.Status)
		s.Money.Refresh()
		amounts := T("lendown.pay.amounts", "Due", euro(a.RegistrationDueCents), "Paid", euro(a.PaidCents))
		if a.ClaimsDueCents != 0 {
			amounts += "\n" + T("lendown.pay.claims", "Amount", euro(a.ClaimsDueCents))
		}
		s.Amounts.SetText(amounts)
		s.Bank.SetText(lmBankText(own.Bank))
		showIf(s.Bank, a.BalanceCents > 0) // nothing to transfer
		s.Reference.SetText(T("lendown.pay.reference", "Reference", a.Reference))
	}

	var claims []string
	for _, c := range p.Claims {
		claims = append(claims, T("lendown.claims.line", "Title", c.Title, "Kind", c.KindTitle, "Amount", euro(c.AmountCents),
			"State", lmClaimStateName(c.State)))
	}
	s.Claims.SetText(strings.Join(claims, "\n"))
	showIf(s.claims, len(claims) > 0)

	if own.Current != nil && own.Current.Year.ID != p.Year.ID {
		s.current.SetTitle(T("lendown.current.title", "Year", own.Current.Year.Name))
		s.Current.SetText(lmLoansText(own.Current.Loans))
		s.current.Show()
	} else {
		s.current.Hide()
	}
}

// lmLoansText lists the books a child has.
func lmLoansText(loans []wire.LendingLoan) string {
	if len(loans) == 0 {
		return T("lendown.books.none")
	}
	var lines []string
	for _, l := range loans {
		lines = append(lines, T("lendown.books.line", "Title", l.Title, "Code", l.Code))
	}
	return strings.Join(lines, "\n")
}

// lmOwnMoney says in a sentence where the payment stands.
func lmOwnMoney(a wire.LendingAccount, y wire.LendingYearRef, today string) string {
	switch a.Status {
	case "paid":
		return T("lendown.money.paid")
	case "refund":
		return T("lendown.money.refund", "Amount", euro(-a.BalanceCents))
	case "waiting":
		// The family pays what it applied for while the proof is checked.
		if a.BalanceCents > 0 {
			return lmOwnDue(a, y, today) + "\n" + T("lendown.money.waiting")
		}
		return T("lendown.money.waiting")
	case "due":
		return lmOwnDue(a, y, today)
	}
	return lmStatus(a.Status)
}

// lmOwnDue says what is still to pay, and by when (a deadline already
// past, for a late registration, is not shown).
func lmOwnDue(a wire.LendingAccount, y wire.LendingYearRef, today string) string {
	if y.PaymentDue >= today {
		return T("lendown.money.due_by", "Amount", euro(a.BalanceCents), "Date", shownDate(y.PaymentDue))
	}
	return T("lendown.money.due", "Amount", euro(a.BalanceCents))
}

// lmBankText is where to pay.
func lmBankText(b wire.LendingBank) string {
	return T("lendown.pay.bank", "Holder", b.AccountHolder, "IBAN", b.IBAN, "Bank", b.Bank)
}
