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

// KioskRegistration is the registration the secretary makes for parents
// without internet: the pupil's offer (the book list of their grade with
// the fees), the whole package or borrow/buy per title, the guardian's
// name, a reduction or an exemption with the state of its proof, the
// second half-year, the accepted conditions. After sending it shows the
// amount, the school's bank account and the payment reference, which the
// secretary tells the parents (the server also puts them into the
// child's mailbox).
type KioskRegistration struct {
	Offer          wire.LendingOffer
	Heading        *widget.Label
	Message        *widget.Label
	Package        *widget.Check
	Choices        map[int64]*widget.RadioGroup // per lendable title: Leihen / Kaufen
	Guardian       *widget.Entry
	Reduction      *widget.Check
	ReductionProof *widget.Select
	Exemption      *widget.Select
	ExemptionProof *widget.Select
	HalfYear       *widget.Check
	Terms          *widget.Check
	Fees           *widget.Label // the fees of the borrowed titles
	Submit         *widget.Button
	Back           *widget.Button
	// After saving: the amount, the account and the reference, with the
	// way back to the counter and to the form.
	Result     *widget.Label
	Close      *widget.Button
	Change     *widget.Button
	Registered *wire.LendingRegistered

	s    *KioskScreen
	form *container.Scroll
}

// The proof states as the selects show them.
var kioskProofs = []string{"pending", "accepted", "rejected"}

// openRegistration loads a pupil's offer and shows the form.
func (s *KioskScreen) openRegistration(login string) {
	if login == "" || !s.Abilities.Staff {
		s.focus()
		return
	}
	var offer wire.LendingOffer
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		offer, err = s.u.api.LendingPupilOffer(ctx, login, s.year)
		return err
	}, func(err error) {
		if err != nil {
			s.fail(err)
			s.focus()
			return
		}
		s.showRegistration(offer)
	})
}

func (s *KioskScreen) showRegistration(offer wire.LendingOffer) {
	r := &KioskRegistration{Offer: offer, s: s, Choices: map[int64]*widget.RadioGroup{}}
	s.Registration = r
	r.Heading = widget.NewLabelWithStyle(T("lending.kiosk.reg.heading", "Name", offer.PupilName, "Class", offer.Class, "Year", offer.Year.Name),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.Heading.SizeName = theme.SizeNameSubHeadingText
	r.Heading.Wrapping = fyne.TextWrapWord
	r.Message = newMessage()
	r.Result = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.Result.SizeName = theme.SizeNameSubHeadingText
	r.Result.Wrapping = fyne.TextWrapWord
	r.Close = widget.NewButtonWithIcon(T("lending.kiosk.reg.back"), theme.NavigateBackIcon(), r.close)
	r.Close.Importance = widget.HighImportance
	r.Change = widget.NewButtonWithIcon(T("lending.kiosk.reg.change"), theme.DocumentCreateIcon(), r.showForm)
	borrow, buy := T("lending.kiosk.reg.borrow"), T("lending.kiosk.reg.buy")

	titles := container.NewVBox()
	for _, lt := range offer.Titles {
		t := lt.Title
		name := widget.NewLabel(t.Title + " · " + t.Subject)
		name.Wrapping = fyne.TextWrapWord
		if t.Consumable {
			titles.Add(container.NewBorder(nil, nil, nil,
				widget.NewLabelWithStyle(T("lending.kiosk.reg.workbook", "Price", euro(t.PriceCents)), fyne.TextAlignTrailing, fyne.TextStyle{Italic: true}), name))
			continue
		}
		rg := widget.NewRadioGroup([]string{borrow, buy}, func(string) { r.updateFees() })
		rg.Horizontal = true
		rg.Required = true
		rg.SetSelected(borrow)
		r.Choices[t.ID] = rg
		fee := widget.NewLabel(T("lending.kiosk.reg.fee", "Fee", euro(lt.FeeCents), "Price", euro(t.PriceCents)))
		titles.Add(container.NewBorder(nil, nil, nil, container.NewHBox(fee, rg), name))
	}
	if len(offer.Titles) == 0 {
		reason := offer.Reason
		if reason == "" {
			reason = T("lending.kiosk.reg.no_titles")
		}
		titles.Add(widget.NewLabel(reason))
	}

	r.Package = widget.NewCheck(T("lending.kiosk.reg.package"), func(on bool) { r.packageChanged(on) })
	r.Guardian = widget.NewEntry()
	r.Guardian.SetPlaceHolder(T("lending.kiosk.reg.guardian_hint"))
	r.Reduction = widget.NewCheck(T("lending.kiosk.reg.reduction", "Pct", offer.Year.ReductionPct), func(bool) { r.updateFees() })
	proofs := []string{}
	for _, p := range kioskProofs {
		proofs = append(proofs, kioskProofText(p))
	}
	wide := func(sel *widget.Select) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(230, sel.MinSize().Height), sel)
	}
	r.ReductionProof = widget.NewSelect(proofs, nil)
	r.ReductionProof.SetSelected(proofs[0])
	exemptions := []string{T("lending.kiosk.reg.no_exemption")}
	for _, e := range kioskExemptions {
		exemptions = append(exemptions, kioskExemptionText(e))
	}
	r.Exemption = widget.NewSelect(exemptions, func(string) { r.updateFees() })
	r.Exemption.SetSelected(exemptions[0])
	r.ExemptionProof = widget.NewSelect(proofs, nil)
	r.ExemptionProof.SetSelected(proofs[0])
	r.HalfYear = widget.NewCheck(T("lending.kiosk.reg.half_year"), nil)
	r.HalfYear.SetChecked(offer.HalfYear)
	r.Terms = widget.NewCheck(T("lending.kiosk.reg.terms"), nil)
	termsText := widget.NewLabel(offer.Year.TermsText)
	termsText.Wrapping = fyne.TextWrapWord
	r.Fees = widget.NewLabel("")
	r.Submit = widget.NewButtonWithIcon(T("lending.kiosk.reg.submit"), theme.ConfirmIcon(), r.submit)
	r.Submit.Importance = widget.HighImportance
	r.Back = widget.NewButtonWithIcon(T("lending.kiosk.reg.back"), theme.NavigateBackIcon(), r.close)
	if len(offer.Titles) == 0 {
		r.Submit.Disable()
	}

	// What the family told the school before.
	if c := offer.Current; c != nil {
		r.Guardian.SetText(c.Guardian)
		r.Reduction.SetChecked(c.Reduction)
		if c.ReductionProof != "" {
			r.ReductionProof.SetSelected(kioskProofText(c.ReductionProof))
		}
		if c.Exemption != "" {
			r.Exemption.SetSelected(kioskExemptionText(c.Exemption))
			r.ExemptionProof.SetSelected(kioskProofText(c.ExemptionProof))
		}
		for _, t := range c.Titles {
			if rg := r.Choices[t.TitleID]; rg != nil && t.Choice == "buy" {
				rg.SetSelected(buy)
			}
		}
		r.Package.SetChecked(c.Package)
	}
	if offer.Year.PackageOnly {
		r.Package.SetChecked(true)
		r.Package.Disable()
	}
	r.updateFees()

	field := func(key string, o fyne.CanvasObject) fyne.CanvasObject { return hwField(T(key), o) }
	form := container.NewVBox(
		r.Heading,
		field("lending.kiosk.reg.titles", container.NewVBox(r.Package, titles, r.Fees)),
		field("lending.kiosk.reg.guardian", r.Guardian),
		field("lending.kiosk.reg.benefits", container.NewVBox(
			container.NewHBox(r.Reduction, wide(r.ReductionProof)),
			container.NewHBox(widget.NewLabel(T("lending.kiosk.reg.exemption")), wide(r.Exemption), wide(r.ExemptionProof)))),
		r.HalfYear,
		field("lending.kiosk.reg.conditions", container.NewVBox(termsText, r.Terms)),
		r.Message,
		container.NewHBox(r.Submit, r.Back),
	)
	r.form = container.NewVScroll(container.NewPadded(form))
	r.showForm()
}

// showForm shows the form (again, to change what was saved).
func (r *KioskRegistration) showForm() {
	r.s.u.openScreen(T("lending.kiosk.reg.title"), r.form)
	r.s.u.win.Canvas().Focus(r.Guardian)
}

// showResult shows what the parents must know after the registration.
func (r *KioskRegistration) showResult() {
	heading := widget.NewLabelWithStyle(r.Heading.Text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameSubHeadingText
	heading.Wrapping = fyne.TextWrapWord
	saved := widget.NewLabel(T("lending.kiosk.reg.saved"))
	page := container.NewVBox(heading, saved, r.Result, widget.NewLabel(T("lending.kiosk.reg.tell")), container.NewHBox(r.Close, r.Change))
	r.s.u.openScreen(T("lending.kiosk.reg.title"), container.NewVScroll(container.NewPadded(page)))
}

// packageChanged: the whole package borrows every title.
func (r *KioskRegistration) packageChanged(on bool) {
	for _, rg := range r.Choices {
		if on {
			rg.SetSelected(T("lending.kiosk.reg.borrow"))
			rg.Disable()
		} else {
			rg.Enable()
		}
	}
	r.updateFees()
}

// updateFees shows the fees of the titles to borrow; the amount due
// (with a reduction, exemption or half year) comes from the server.
func (r *KioskRegistration) updateFees() {
	if r.Fees == nil {
		return
	}
	var sum int64
	n := 0
	for _, lt := range r.Offer.Titles {
		if rg := r.Choices[lt.Title.ID]; rg != nil && rg.Selected == T("lending.kiosk.reg.borrow") {
			sum += lt.FeeCents
			n++
		}
	}
	r.Fees.SetText(T("lending.kiosk.reg.fees", "Count", n, "Sum", euro(sum)))
}

// input is the form as the API takes it.
func (r *KioskRegistration) input() wire.LendingRegistrationInput {
	in := wire.LendingRegistrationInput{Year: r.Offer.Year.ID, Package: r.Package.Checked,
		Guardian: strings.TrimSpace(r.Guardian.Text), Reduction: r.Reduction.Checked, AcceptTerms: r.Terms.Checked}
	if !in.Package {
		for _, lt := range r.Offer.Titles {
			rg := r.Choices[lt.Title.ID]
			if rg == nil {
				continue
			}
			choice := "buy"
			if rg.Selected == T("lending.kiosk.reg.borrow") {
				choice = "borrow"
			}
			in.Choices = append(in.Choices, wire.LendingChoice{Title: lt.Title.ID, Choice: choice})
		}
	}
	proof := func(sel *widget.Select) string {
		for _, p := range kioskProofs {
			if kioskProofText(p) == sel.Selected {
				return p
			}
		}
		return "pending"
	}
	if in.Reduction {
		in.ReductionProof = proof(r.ReductionProof)
	}
	for _, e := range kioskExemptions {
		if kioskExemptionText(e) == r.Exemption.Selected {
			in.Exemption = e
			in.ExemptionProof = proof(r.ExemptionProof)
		}
	}
	half := r.HalfYear.Checked
	in.HalfYear = &half
	return in
}

// submit sends the registration; a refusal keeps the form as it is.
func (r *KioskRegistration) submit() {
	in := r.input()
	login := r.Offer.Pupil
	r.Submit.Disable()
	clearMessage(r.Message)
	var got wire.LendingRegistered
	r.s.u.runInSession(func(ctx context.Context) error {
		var err error
		got, err = r.s.u.api.LendingRegisterPupil(ctx, login, in)
		return err
	}, func(err error) {
		r.Submit.Enable()
		if err != nil {
			if calSessionGone(err) {
				r.s.u.handle(err)
				return
			}
			setProblem(r.Message, errorText(err))
			r.form.ScrollToBottom() // the message stands above the buttons
			return
		}
		r.Registered = &got
		reg, acc, bank := got.Registration, got.Account, got.Bank
		text := T("lending.kiosk.reg.done", "Amount", euro(reg.DueCents), "Reference", acc.Reference,
			"Holder", bank.AccountHolder, "IBAN", bank.IBAN, "Bank", bank.Bank, "Due", shownDate(got.PaymentDue))
		if reg.DueCents == 0 {
			text = T("lending.kiosk.reg.done_free", "Reference", acc.Reference)
		}
		if got.Replaced {
			text += "\n" + T("lending.kiosk.reg.replaced")
		}
		r.Result.SetText(text)
		r.Submit.SetText(T("lending.kiosk.reg.again"))
		r.showResult()
	})
}

// close goes back to the kiosk with the pupil selected (their panel
// shows the registration now).
func (r *KioskRegistration) close() {
	s := r.s
	s.back()
	s.selectPupil(r.Offer.Pupil)
}
