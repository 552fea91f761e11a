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

// lmExemptions are the reasons that free a family from the fee, in the
// order the form shows them (docs/api/lending.md).
var lmExemptions = []string{"sgb2", "sgb8", "sgb12", "asylblg", "kinderzuschlag", "wohngeld"}

// LendingRegisterForm is the online registration as on the parents'
// page: the book list of the year with each title's fee, the whole
// package or a choice per title (borrow or buy), a parent's name, the
// reduction for three or more children or an exemption, the conditions
// to accept — and what it costs, worked out as the server does while the
// parents choose. "Verbindlich anmelden" sends it; the answer shows the
// amount, the bank account and the payment reference.
type LendingRegisterForm struct {
	Heading   *widget.Label
	Package   *widget.RadioGroup // whole package or single titles
	Titles    []*LendingRegisterTitle
	Guardian  *widget.Entry
	Reduction *widget.Check
	Exemption *widget.Select
	Terms     *widget.Label
	Accept    *widget.Check
	Amount    *widget.Label // what it costs as chosen
	Submit    *widget.Button
	Cancel    *widget.Button
	Message   *widget.Label

	Offer wire.LendingOffer

	s *LendingOwnScreen
}

// LendingRegisterTitle is a title of the book list with the choice.
type LendingRegisterTitle struct {
	Title  wire.LendingListTitle
	Name   *widget.Label
	Choice *widget.RadioGroup // leihen / selbst kaufen (nil for workbooks)
}

// openForm loads the offer anew and shows the form.
func (s *LendingOwnScreen) openForm() {
	u := s.u
	var offer wire.LendingOffer
	u.run(func(ctx context.Context) error {
		var err error
		offer, err = u.api.LendingOwnOffer(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		if !offer.Open {
			reason := offer.Reason
			if reason == "" {
				reason = T("lendown.form.closed")
			}
			setProblem(s.Message, reason)
			return
		}
		s.showForm(offer)
	})
}

func (s *LendingOwnScreen) showForm(o wire.LendingOffer) {
	f := &LendingRegisterForm{s: s, Offer: o, Message: newMessage()}
	s.Form = f
	f.Heading = heading(T("lendown.form.heading", "Year", o.Year.Name, "Grade", o.Grade))
	f.Heading.SizeName = theme.SizeNameSubHeadingText
	intro := lmBig(T("lendown.form.intro"))
	pkg, single := T("lendown.form.package"), T("lendown.form.single")
	f.Package = widget.NewRadioGroup([]string{pkg, single}, func(string) { f.update() })
	f.Package.Required = true
	f.Package.SetSelected(pkg)
	borrow := T("lendown.form.borrow")
	titles := container.NewVBox()
	for _, lt := range o.Titles {
		rt := &LendingRegisterTitle{Title: lt}
		t := lt.Title
		subject := ""
		if t.Subject != "" {
			subject = " (" + t.Subject + ")"
		}
		if t.Consumable {
			rt.Name = lmBig(T("lendown.form.workbook", "Title", t.Title+subject, "Price", euro(t.PriceCents)))
			rt.Name.Importance = widget.LowImportance
			titles.Add(rt.Name)
		} else {
			rt.Name = lmBig(T("lendown.form.title", "Title", t.Title+subject, "Fee", euro(lt.FeeCents)))
			buy := T("lendown.form.buy", "Price", euro(t.PriceCents))
			rt.Choice = widget.NewRadioGroup([]string{borrow, buy}, func(string) { f.update() })
			rt.Choice.Horizontal = true
			rt.Choice.Required = true
			rt.Choice.SetSelected(borrow)
			titles.Add(container.NewVBox(rt.Name, rt.Choice))
		}
		f.Titles = append(f.Titles, rt)
	}
	f.Guardian = widget.NewEntry()
	f.Guardian.SetPlaceHolder(T("lendown.form.guardian_hint"))
	f.Reduction = widget.NewCheck(T("lendown.form.reduction", "Pct", o.Year.ReductionPct), func(on bool) {
		if on {
			f.Exemption.SetSelected(T("lendown.exempt.none"))
		}
		f.update()
	})
	exemptions := []string{T("lendown.exempt.none")}
	for _, e := range lmExemptions {
		exemptions = append(exemptions, T("lendown.exempt."+e))
	}
	f.Exemption = widget.NewSelect(exemptions, func(opt string) {
		if opt != T("lendown.exempt.none") && f.Reduction.Checked {
			f.Reduction.SetChecked(false)
		}
		f.update()
	})
	f.Exemption.SetSelected(exemptions[0])
	terms := o.Year.TermsText
	f.Terms = lmBig(terms)
	f.Accept = widget.NewCheck(T("lendown.form.accept"), func(bool) {})
	f.Amount = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.Amount.SizeName = theme.SizeNameSubHeadingText
	f.Amount.Wrapping = fyne.TextWrapWord
	f.Submit = widget.NewButtonWithIcon(T("lendown.form.submit"), theme.ConfirmIcon(), f.submit)
	f.Submit.Importance = widget.HighImportance
	f.Cancel = widget.NewButtonWithIcon(T("lendown.form.cancel"), theme.NavigateBackIcon(), s.back)

	if cur := o.Current; cur != nil {
		f.Guardian.SetText(cur.Guardian)
		if !cur.Package {
			f.Package.SetSelected(single)
			for _, rt := range f.Titles {
				if rt.Choice == nil {
					continue
				}
				for _, ct := range cur.Titles {
					if ct.TitleID == rt.Title.Title.ID && ct.Choice == "buy" {
						rt.Choice.SetSelected(rt.Choice.Options[1])
					}
				}
			}
		}
		f.Reduction.SetChecked(cur.Reduction)
		for _, e := range lmExemptions {
			if cur.Exemption == e {
				f.Exemption.SetSelected(T("lendown.exempt." + e))
			}
		}
	}
	if o.Year.PackageOnly {
		f.Package.Hide()
	}
	var notes []fyne.CanvasObject
	if o.HalfYear {
		notes = append(notes, lmBig(T("lendown.form.half_year")))
	}
	if o.Year.PackageOnly {
		notes = append(notes, lmBig(T("lendown.form.package_only")))
	}
	proofHint := lmBig(T("lendown.form.proof_hint"))
	proofHint.Importance = widget.LowImportance
	body := container.NewVBox(f.Heading, intro)
	body.Objects = append(body.Objects, notes...)
	body.Objects = append(body.Objects,
		widget.NewCard(T("lendown.form.books"), "", container.NewVBox(f.Package, titles)),
		widget.NewCard(T("lendown.form.family"), "", container.NewVBox(
			widget.NewForm(widget.NewFormItem(T("lendown.form.guardian"), f.Guardian)),
			f.Reduction,
			widget.NewForm(widget.NewFormItem(T("lendown.form.exemption"), f.Exemption)),
			proofHint)),
		widget.NewCard(T("lendown.form.terms"), "", container.NewVBox(f.Terms, f.Accept)),
		f.Amount, f.Message, container.NewHBox(f.Submit, f.Cancel))
	f.update()
	s.u.openScreen(T("lendown.title"), container.NewVScroll(container.NewPadded(body)))
}

// exemption is the chosen reason's code ("" for none).
func (f *LendingRegisterForm) exemption() string {
	for _, e := range lmExemptions {
		if f.Exemption.Selected == T("lendown.exempt."+e) {
			return e
		}
	}
	return ""
}

// Input is the registration as chosen.
func (f *LendingRegisterForm) Input() wire.LendingRegistrationInput {
	in := wire.LendingRegistrationInput{Year: f.Offer.Year.ID, Package: f.packageChosen(), Guardian: strings.TrimSpace(f.Guardian.Text),
		Reduction: f.Reduction.Checked, Exemption: f.exemption(), AcceptTerms: f.Accept.Checked}
	if !in.Package {
		for _, rt := range f.Titles {
			choice := "buy"
			if rt.Choice != nil && rt.Choice.Selected == T("lendown.form.borrow") {
				choice = "borrow"
			}
			in.Choices = append(in.Choices, wire.LendingChoice{Title: rt.Title.Title.ID, Choice: choice})
		}
	}
	return in
}

func (f *LendingRegisterForm) packageChosen() bool {
	return f.Offer.Year.PackageOnly || f.Package.Selected != T("lendown.form.single")
}

// update enables the choices and shows what it costs.
func (f *LendingRegisterForm) update() {
	if f.Amount == nil || f.Exemption == nil {
		return // still being built
	}
	pkg := f.packageChosen()
	for _, rt := range f.Titles {
		if rt.Choice == nil {
			continue
		}
		if pkg {
			rt.Choice.SetSelected(T("lendown.form.borrow"))
			rt.Choice.Disable()
		} else {
			rt.Choice.Enable()
		}
	}
	in := f.Input()
	due, borrowed := lmQuote(f.Offer, in)
	switch {
	case borrowed == 0:
		f.Amount.SetText(T("lendown.form.nothing"))
	case in.Exemption != "":
		f.Amount.SetText(T("lendown.form.amount_exempt"))
	default:
		f.Amount.SetText(T("lendown.form.amount", "Amount", euro(due), "Count", borrowed))
	}
}

// lmQuote works out what a registration costs as the server does
// (server/lending/fee.go QuoteFor): the fees of the borrowed titles
// added exactly, times the half-year factor and the reduction, rounded
// once, half up, to the cent; nothing with an exemption.
func lmQuote(o wire.LendingOffer, in wire.LendingRegistrationInput) (due int64, borrowed int) {
	choice := map[int64]string{}
	for _, c := range in.Choices {
		choice[c.Title] = c.Choice
	}
	var sum int64
	for _, lt := range o.Titles {
		if lt.Title.Consumable {
			continue
		}
		if in.Package || choice[lt.Title.ID] == "borrow" {
			sum += lt.FeeCents
			borrowed++
		}
	}
	half := int64(1)
	if o.HalfYear {
		half = 2
	}
	switch {
	case in.Exemption != "":
		return 0, borrowed
	case in.Reduction:
		return lmRoundDiv(sum*int64(o.Year.ReductionPct), 100*half), borrowed
	}
	return lmRoundDiv(sum, half), borrowed
}

// lmRoundDiv is num/den rounded half up (num >= 0).
func lmRoundDiv(num, den int64) int64 { return (2*num + den) / (2 * den) }

// submit sends the registration.
func (f *LendingRegisterForm) submit() {
	u := f.s.u
	in := f.Input()
	var res wire.LendingRegistered
	clearMessage(f.Message)
	u.run(func(ctx context.Context) error {
		var err error
		res, err = u.api.LendingRegisterOwn(ctx, in)
		return err
	}, func(err error) {
		if err != nil {
			u.report(f.Message, err)
			return
		}
		f.s.showResult(res)
	})
}

// LendingRegisteredView is the answer to a registration: done, what it
// costs, where to pay it, and the reference to write on the transfer.
type LendingRegisteredView struct {
	Heading   *widget.Label
	Amount    *widget.Label
	Bank      *widget.Label
	Reference *widget.Label
	Note      *widget.Label
	Back      *widget.Button

	Registered wire.LendingRegistered
}

func (s *LendingOwnScreen) showResult(res wire.LendingRegistered) {
	v := &LendingRegisteredView{Registered: res}
	s.Form, s.Result = nil, v
	head := T("lendown.result.heading")
	if res.Replaced {
		head = T("lendown.result.changed")
	}
	v.Heading = heading(head)
	v.Heading.SizeName = theme.SizeNameHeadingText
	v.Heading.Importance = widget.SuccessImportance
	due := res.Registration.DueCents
	switch {
	case due == 0:
		v.Amount = lmBig(T("lendown.result.free"))
	case res.PaymentDue >= s.u.opts.Now().Format("2006-01-02"):
		v.Amount = lmBig(T("lendown.result.amount_by", "Amount", euro(due), "Date", shownDate(res.PaymentDue)))
	default:
		v.Amount = lmBig(T("lendown.result.amount", "Amount", euro(due)))
	}
	v.Amount.TextStyle.Bold = true
	v.Bank = lmBig(lmBankText(res.Bank))
	v.Reference = widget.NewLabelWithStyle(T("lendown.pay.reference", "Reference", res.Account.Reference), fyne.TextAlignLeading,
		fyne.TextStyle{Bold: true, Monospace: true})
	v.Reference.SizeName = theme.SizeNameSubHeadingText
	v.Reference.Selectable = true
	v.Note = lmBig(T("lendown.result.mail"))
	v.Back = widget.NewButtonWithIcon(T("lendown.result.back"), theme.NavigateBackIcon(), s.back)
	v.Back.Importance = widget.HighImportance
	payment := container.NewVBox(v.Amount)
	if due > 0 {
		payment.Add(v.Bank)
	}
	payment.Add(v.Reference)
	s.u.openScreen(T("lendown.title"), container.NewVScroll(container.NewPadded(container.NewVBox(v.Heading,
		widget.NewCard(T("lendown.pay.title"), "", payment), v.Note, container.NewHBox(v.Back)))))
}
