package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// KioskPanel is the pupil's state at the counter: who it is, the
// registration, the payment with its amounts and reference, open claims,
// the booked titles (ticked when issued), what is still missing and the
// books the child has now; a lost book is reported from its loan.
type KioskPanel struct {
	State  wire.LendingPanel
	Shown  bool
	Name   *widget.Label
	Info   *widget.Label // class and card
	Reg    *widget.Label // registration and channel
	Status *HomeworkBadge
	Amount *widget.Label // due, paid, open
	Ref    *widget.Label
	Claims *widget.Label
	// Register opens the registration for parents without internet.
	Register *widget.Button
	// Withdraw takes the registration back (tap twice: the second tap
	// asks "wirklich?").
	Withdraw *widget.Button
	armed    bool
	Books    []*KioskBook
	Missing  *widget.Label
	Loans    []*KioskLoan
	NotSel   *widget.Label // the panel is not the selected pupil's

	s       *KioskScreen
	books   *fyne.Container
	loans   *fyne.Container
	empty   *widget.Label
	content *fyne.Container
}

// KioskBook is a booked title: ticked when the child has a copy.
type KioskBook struct {
	Booked wire.LendingBooked
	Issued bool
	Label  *widget.Label
}

// KioskLoan is a book the child has, with the button that reports it
// lost (tap twice: the second tap asks "wirklich?").
type KioskLoan struct {
	Loan  wire.LendingLoan
	Label *widget.Label
	Lost  *widget.Button
	armed bool
}

func newKioskPanel(s *KioskScreen) *KioskPanel {
	p := &KioskPanel{s: s}
	p.Name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.Name.SizeName = theme.SizeNameHeadingText
	p.Info = widget.NewLabel("")
	p.Reg = widget.NewLabel("")
	p.Reg.Wrapping = fyne.TextWrapWord
	p.Status = newHomeworkBadge()
	p.Amount = widget.NewLabel("")
	p.Amount.Wrapping = fyne.TextWrapWord
	p.Ref = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	p.Claims = widget.NewLabel("")
	p.Claims.Wrapping = fyne.TextWrapWord
	p.Register = widget.NewButtonWithIcon(T("lending.kiosk.register"), theme.DocumentCreateIcon(), func() {
		s.openRegistration(p.State.Pupil)
	})
	showIf(p.Register, s.Abilities.Staff)
	p.Withdraw = widget.NewButtonWithIcon(T("lending.kiosk.withdraw"), theme.ContentUndoIcon(), p.withdraw)
	p.Withdraw.Hide()
	p.Missing = widget.NewLabel("")
	p.Missing.Wrapping = fyne.TextWrapWord
	p.NotSel = widget.NewLabel(T("lending.kiosk.panel.not_selected"))
	p.NotSel.Importance = widget.WarningImportance
	p.NotSel.Wrapping = fyne.TextWrapWord
	p.empty = widget.NewLabelWithStyle(T("lending.kiosk.panel.empty"), fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	p.books = container.NewVBox()
	p.loans = container.NewVBox()
	bold := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	left := container.NewVBox(p.Name, p.Info, p.NotSel, p.Reg,
		container.NewHBox(p.Status, container.NewCenter(p.Ref)), p.Amount, p.Claims, container.NewHBox(p.Register, p.Withdraw))
	right := container.NewVBox(bold("lending.kiosk.panel.booked"), p.books, p.Missing,
		bold("lending.kiosk.panel.loans"), p.loans)
	p.content = container.NewGridWithColumns(2, left, right)
	p.content.Hide()
	return p
}

// object is the panel on the screen: a hint until a pupil is chosen.
func (p *KioskPanel) object() fyne.CanvasObject {
	return container.NewStack(p.empty, p.content)
}

// Set shows a pupil's state.
func (p *KioskPanel) Set(pn wire.LendingPanel) {
	p.State, p.Shown = pn, true
	p.empty.Hide()
	p.content.Show()
	p.Name.SetText(pn.Name)
	info := []string{}
	if pn.Class != "" {
		info = append(info, T("lending.kiosk.panel.class", "Class", pn.Class))
	}
	if pn.Card != "" {
		info = append(info, T("lending.kiosk.panel.card", "Card", pn.Card))
	}
	p.Info.SetText(strings.Join(info, " · "))
	showIf(p.NotSel, p.s.Pupil != pn.Pupil && p.s.Mode == wire.LendingModeDesk)
	p.Reg.SetText(kioskRegistrationText(pn))
	p.disarm()
	showIf(p.Withdraw, p.s.Abilities.Staff && pn.Registration != nil)
	p.Reg.Importance = widget.MediumImportance
	if pn.Registration == nil {
		p.Reg.Importance = widget.DangerImportance
	}
	p.Reg.Refresh()

	status := "none"
	if pn.Account != nil && pn.Registration != nil {
		status = pn.Account.Status
	}
	p.Status.set(lendingStatusText(status), kioskStatusColour(status))
	p.Ref.SetText("")
	p.Amount.SetText("")
	if a := pn.Account; a != nil {
		if a.Reference != "" {
			p.Ref.SetText(T("lending.kiosk.panel.reference", "Reference", a.Reference))
		}
		if pn.Registration != nil || a.PaidCents != 0 {
			p.Amount.SetText(T("lending.kiosk.panel.amounts", "Due", euro(a.RegistrationDueCents), "Paid", euro(a.PaidCents), "Open", euro(max(a.BalanceCents, 0))))
		}
		if a.BalanceCents < 0 {
			p.Amount.SetText(p.Amount.Text + " · " + T("lending.kiosk.panel.pay_back", "Amount", euro(-a.BalanceCents)))
		}
	}
	if pn.ClaimsOpenCents > 0 {
		p.Claims.SetText(T("lending.kiosk.panel.claims", "Amount", euro(pn.ClaimsOpenCents), "Count", kioskOpenClaims(pn)))
		p.Claims.Importance = widget.DangerImportance
	} else {
		p.Claims.SetText(T("lending.kiosk.panel.no_claims"))
		p.Claims.Importance = widget.MediumImportance
	}
	p.Claims.Refresh()

	p.Books = nil
	p.books.Objects = nil
	for _, b := range pn.Booked {
		kb := &KioskBook{Booked: b, Issued: b.Code != ""}
		text := "○  " + b.Title
		if kb.Issued {
			text = "✓  " + b.Title + "  (" + b.Code + ")"
		}
		kb.Label = widget.NewLabel(text)
		kb.Label.Wrapping = fyne.TextWrapWord
		if kb.Issued {
			kb.Label.Importance = widget.SuccessImportance
		}
		p.Books = append(p.Books, kb)
		p.books.Add(kb.Label)
	}
	if len(pn.Booked) == 0 {
		p.books.Add(widget.NewLabelWithStyle(T("lending.kiosk.panel.none_booked"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	p.books.Refresh()
	var missing []string
	for _, m := range pn.Missing {
		missing = append(missing, m.Title)
	}
	switch {
	case len(missing) > 0:
		p.Missing.SetText(T("lending.kiosk.panel.missing", "Titles", strings.Join(missing, ", ")))
		p.Missing.Importance = widget.WarningImportance
	case len(pn.Booked) > 0:
		p.Missing.SetText(T("lending.kiosk.panel.complete"))
		p.Missing.Importance = widget.SuccessImportance
	default:
		p.Missing.SetText("")
	}
	p.Missing.Refresh()

	p.Loans = nil
	p.loans.Objects = nil
	for _, l := range pn.Loans {
		kl := &KioskLoan{Loan: l}
		kl.Label = widget.NewLabel(T("lending.kiosk.panel.loan", "Code", l.Code, "Title", l.Title, "Year", l.Year))
		kl.Label.Wrapping = fyne.TextWrapWord
		kl.Lost = widget.NewButton(T("lending.kiosk.lost"), func() { p.lost(kl) })
		showIf(kl.Lost, p.s.Abilities.Staff)
		p.Loans = append(p.Loans, kl)
		p.loans.Add(container.NewBorder(nil, nil, nil, kl.Lost, kl.Label))
	}
	if len(pn.Loans) == 0 {
		p.loans.Add(widget.NewLabelWithStyle(T("lending.kiosk.panel.no_loans"), fyne.TextAlignLeading, fyne.TextStyle{Italic: true}))
	}
	p.loans.Refresh()
	p.content.Refresh()
}

// lost reports a loan's book lost: the first tap asks, the second does it.
func (p *KioskPanel) lost(kl *KioskLoan) {
	if !kl.armed {
		for _, o := range p.Loans {
			o.armed = false
			o.Lost.SetText(T("lending.kiosk.lost"))
			o.Lost.Importance = widget.MediumImportance
			o.Lost.Refresh()
		}
		kl.armed = true
		kl.Lost.SetText(T("lending.kiosk.lost_sure"))
		kl.Lost.Importance = widget.DangerImportance
		kl.Lost.Refresh()
		p.s.focus()
		return
	}
	kl.armed = false
	p.s.returnLost(kl.Loan)
}

// kioskRegistrationText says whether and how a pupil is registered:
// "Angemeldet für 2026/27 im Sekretariat: ganzes Paket · Ermäßigung
// (Nachweis fehlt noch)".
func kioskRegistrationText(pn wire.LendingPanel) string {
	r := pn.Registration
	if r == nil {
		return T("lending.kiosk.panel.not_registered", "Year", pn.Year.Name)
	}
	channel := T("lending.kiosk.channel.online")
	if r.Channel == "secretary" {
		channel = T("lending.kiosk.channel.secretary")
	}
	what := T("lending.kiosk.panel.single")
	if r.Package {
		what = T("lending.kiosk.panel.package")
	}
	text := T("lending.kiosk.panel.registered", "Year", r.Year, "Channel", channel, "What", what)
	if r.Reduction {
		text += " · " + T("lending.kiosk.panel.reduction", "Proof", kioskProofText(r.ReductionProof))
	}
	if r.Exemption != "" {
		text += " · " + T("lending.kiosk.panel.exemption", "Reason", kioskExemptionText(r.Exemption), "Proof", kioskProofText(r.ExemptionProof))
	}
	if r.HalfYear {
		text += " · " + T("lending.kiosk.panel.half_year")
	}
	return text
}

// kioskOpenClaims counts the claims still to pay.
func kioskOpenClaims(pn wire.LendingPanel) int {
	n := 0
	for _, c := range pn.Claims {
		if c.State != "cancelled" {
			n++
		}
	}
	return n
}

func kioskProofText(state string) string {
	switch state {
	case "accepted":
		return T("lending.kiosk.proof.accepted")
	case "rejected":
		return T("lending.kiosk.proof.rejected")
	}
	return T("lending.kiosk.proof.pending")
}

// kioskExemptions are the reasons of an exemption, in the form's order.
var kioskExemptions = []string{"sgb2", "sgb8", "sgb12", "asylblg", "kinderzuschlag", "wohngeld"}

func kioskExemptionText(reason string) string {
	for _, e := range kioskExemptions {
		if e == reason {
			return T("lending.kiosk.exempt." + e)
		}
	}
	return reason
}

// kioskStatusColour is an account status's colour: paid green, due red,
// waiting for a proof orange, money back blue, none grey.
func kioskStatusColour(status string) color.NRGBA {
	switch status {
	case "paid":
		return hwGreen
	case "due":
		return hwRed
	case "waiting":
		return hwOrange
	case "refund":
		return hwBlue
	}
	return hwGrey
}
