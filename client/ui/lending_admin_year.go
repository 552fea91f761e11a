package ui

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// laRoundings are the roundings of the default fees the server knows.
var laRoundings = []int64{1, 5, 10, 50, 100}

// LendingYearTab is the form of a school year: its dates, the school's
// bank account and the fee rules the Schulvorstand decided. "Neues
// Schuljahr" starts a form from the server's template; saving creates
// it, or changes the year the screen works in.
type LendingYearTab struct {
	Heading *widget.Label

	Name, StartsOn, SecondHalfOn, EndsOn         *widget.Entry
	RegistrationFrom, RegistrationUntil          *widget.Entry
	PaymentDue, ReturnDue                        *widget.Entry
	IBAN, AccountHolder, Bank                    *widget.Entry
	RateMin, RateMax, Rate, MultiYear, Reduction *widget.Entry
	DamageLight, DamageMedium, DamageTotal       *widget.Entry
	RoundTo                                      *widget.Select
	PackageOnly                                  *widget.Check
	Terms                                        *widget.Entry
	Save, New                                    *widget.Button
	Message                                      *widget.Label
	Hints                                        laFields
	Editing                                      int64 // the year the form changes; 0: a new one

	s       *LendingAdminScreen
	content fyne.CanvasObject
}

func newLendingYearTab(s *LendingAdminScreen) *LendingYearTab {
	t := &LendingYearTab{s: s, Hints: laFields{}, Message: newMessage()}
	t.Heading = heading("")
	entry := func(place string) *widget.Entry {
		e := widget.NewEntry()
		e.PlaceHolder = place
		return e
	}
	date := func() *widget.Entry { return entry(T("lending_admin.date.placeholder")) }
	t.Name = entry("2026/27")
	t.StartsOn, t.SecondHalfOn, t.EndsOn = date(), date(), date()
	t.RegistrationFrom, t.RegistrationUntil = date(), date()
	t.PaymentDue, t.ReturnDue = date(), date()
	t.IBAN = entry("DE12 3456 7890 1234 5678 90")
	t.AccountHolder, t.Bank = entry(""), entry("")
	t.RateMin, t.RateMax, t.Rate, t.MultiYear, t.Reduction = entry("33"), entry("40"), entry("35"), entry("60"), entry("80")
	t.DamageLight, t.DamageMedium, t.DamageTotal = entry("25"), entry("50"), entry("100")
	var rounds []string
	for _, r := range laRoundings {
		rounds = append(rounds, laRoundName(r))
	}
	t.RoundTo = widget.NewSelect(rounds, nil)
	t.PackageOnly = widget.NewCheck(T("lending_admin.year.package_only"), nil)
	t.Terms = widget.NewMultiLineEntry()
	t.Terms.Wrapping = fyne.TextWrapWord
	t.Terms.SetMinRowsVisible(4)
	t.Terms.PlaceHolder = T("lending_admin.year.terms_placeholder")
	t.Save = widget.NewButtonWithIcon(T("lending_admin.year.save"), theme.DocumentSaveIcon(), t.save)
	t.Save.Importance = widget.HighImportance
	t.New = widget.NewButtonWithIcon(T("lending_admin.year.new"), theme.ContentAddIcon(), func() {
		s.u.touch()
		t.fill(nil, s.Years.Template)
	})
	h := t.Hints.hint
	dates := laForm(
		laFormRow(T("lending_admin.year.name"), t.Name, h("name")),
		laFormRow(T("lending_admin.year.starts_on"), s.u.datePick(t.StartsOn).object(), h("starts_on")),
		laFormRow(T("lending_admin.year.second_half_on"), s.u.datePick(t.SecondHalfOn).object(), h("second_half_on")),
		laFormRow(T("lending_admin.year.ends_on"), s.u.datePick(t.EndsOn).object(), h("ends_on")),
		laFormRow(T("lending_admin.year.registration_from"), s.u.datePick(t.RegistrationFrom).object(), h("registration_from")),
		laFormRow(T("lending_admin.year.registration_until"), s.u.datePick(t.RegistrationUntil).object(), h("registration_until")),
		laFormRow(T("lending_admin.year.payment_due"), s.u.datePick(t.PaymentDue).object(), h("payment_due")),
		laFormRow(T("lending_admin.year.return_due"), s.u.datePick(t.ReturnDue).object(), h("return_due")),
		laFormRow(T("lending_admin.year.iban"), t.IBAN, h("iban")),
		laFormRow(T("lending_admin.year.account_holder"), t.AccountHolder, h("account_holder")),
		laFormRow(T("lending_admin.year.bank"), t.Bank, h("bank")),
	)
	rules := laForm(
		laFormRow(T("lending_admin.year.rate_min"), t.RateMin, h("rate_min_pct")),
		laFormRow(T("lending_admin.year.rate_max"), t.RateMax, h("rate_max_pct")),
		laFormRow(T("lending_admin.year.rate"), t.Rate, h("rate_pct")),
		laFormRow(T("lending_admin.year.multi_year"), t.MultiYear, h("multi_year_pct")),
		laFormRow(T("lending_admin.year.round_to"), t.RoundTo, h("round_to_cents")),
		laFormRow(T("lending_admin.year.reduction"), t.Reduction, h("reduction_pct")),
		laFormRow("", t.PackageOnly, h("package_only")),
		laFormRow(T("lending_admin.year.damage_light"), t.DamageLight, nil),
		laFormRow(T("lending_admin.year.damage_medium"), t.DamageMedium, nil),
		laFormRow(T("lending_admin.year.damage_total"), t.DamageTotal, h("damage_pct", "damage_light_pct", "damage_medium_pct", "damage_total_pct")),
	)
	terms := laForm(laFormRow(T("lending_admin.year.terms"), t.Terms, h("terms")))
	cols := container.NewGridWithColumns(2,
		container.NewVBox(heading(T("lending_admin.year.dates")), dates),
		container.NewVBox(heading(T("lending_admin.year.rules")), rules))
	t.content = container.NewBorder(
		container.NewVBox(container.NewHBox(t.Heading, spacer(), t.New), t.Message), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(cols, terms, container.NewHBox(t.Save)))))
	return t
}

// laRoundName is a rounding as the picker names it.
func laRoundName(cents int64) string {
	if cents == 100 {
		return T("lending_admin.year.round_euro")
	}
	return T("lending_admin.year.round_cents", "Cents", cents)
}

// fill puts a year into the form; nil starts a new one from the template.
func (t *LendingYearTab) fill(y *wire.LendingYear, template wire.LendingYearInput) {
	t.Hints.clear()
	clearMessage(t.Message)
	in := template
	t.Editing = 0
	t.Heading.SetText(T("lending_admin.year.heading_new"))
	t.Save.SetText(T("lending_admin.year.create"))
	if y != nil {
		in = y.LendingYearInput
		t.Editing = y.ID
		t.Heading.SetText(T("lending_admin.year.heading", "Name", y.Name))
		t.Save.SetText(T("lending_admin.year.save"))
	}
	t.Name.SetText(in.Name)
	for _, p := range []struct {
		e *widget.Entry
		v string
	}{
		{t.StartsOn, in.StartsOn}, {t.SecondHalfOn, in.SecondHalfOn}, {t.EndsOn, in.EndsOn},
		{t.RegistrationFrom, in.RegistrationFrom}, {t.RegistrationUntil, in.RegistrationUntil},
		{t.PaymentDue, in.PaymentDue}, {t.ReturnDue, in.ReturnDue},
	} {
		p.e.SetText(shownDate(p.v))
	}
	t.IBAN.SetText(in.IBAN)
	t.AccountHolder.SetText(in.AccountHolder)
	t.Bank.SetText(in.Bank)
	t.RateMin.SetText(laPct(in.RateMinPct))
	t.RateMax.SetText(laPct(in.RateMaxPct))
	t.Rate.SetText(laPct(in.RatePct))
	t.MultiYear.SetText(laPct(in.MultiYearPct))
	t.Reduction.SetText(strconv.Itoa(in.ReductionPct))
	t.DamageLight.SetText(strconv.Itoa(in.DamageLightPct))
	t.DamageMedium.SetText(strconv.Itoa(in.DamageMediumPct))
	t.DamageTotal.SetText(strconv.Itoa(in.DamageTotalPct))
	round := in.RoundToCents
	if round == 0 {
		round = 1
	}
	t.RoundTo.SetSelected(laRoundName(round))
	t.PackageOnly.SetChecked(in.PackageOnly)
	t.Terms.SetText(in.Terms)
}

// input reads the form; a field the client cannot read is named.
func (t *LendingYearTab) input() (wire.LendingYearInput, error) {
	in := wire.LendingYearInput{Name: t.Name.Text, IBAN: t.IBAN.Text, AccountHolder: t.AccountHolder.Text,
		Bank: t.Bank.Text, PackageOnly: t.PackageOnly.Checked, Terms: t.Terms.Text}
	var err error
	for _, d := range []struct {
		field string
		e     *widget.Entry
		out   *string
	}{
		{"starts_on", t.StartsOn, &in.StartsOn}, {"second_half_on", t.SecondHalfOn, &in.SecondHalfOn},
		{"ends_on", t.EndsOn, &in.EndsOn}, {"registration_from", t.RegistrationFrom, &in.RegistrationFrom},
		{"registration_until", t.RegistrationUntil, &in.RegistrationUntil}, {"payment_due", t.PaymentDue, &in.PaymentDue},
		{"return_due", t.ReturnDue, &in.ReturnDue},
	} {
		if *d.out, err = laDate(d.field, d.e.Text); err != nil {
			return in, err
		}
	}
	for _, p := range []struct {
		field string
		e     *widget.Entry
		out   *float64
	}{
		{"rate_min_pct", t.RateMin, &in.RateMinPct}, {"rate_max_pct", t.RateMax, &in.RateMaxPct},
		{"rate_pct", t.Rate, &in.RatePct}, {"multi_year_pct", t.MultiYear, &in.MultiYearPct},
	} {
		v, ok := laParsePct(p.e.Text)
		if !ok {
			return in, laInvalid(p.field, T("lending_admin.pct.invalid", "Text", p.e.Text))
		}
		*p.out = v
	}
	for _, p := range []struct {
		field string
		e     *widget.Entry
		out   *int
	}{
		{"reduction_pct", t.Reduction, &in.ReductionPct}, {"damage_light_pct", t.DamageLight, &in.DamageLightPct},
		{"damage_medium_pct", t.DamageMedium, &in.DamageMediumPct}, {"damage_total_pct", t.DamageTotal, &in.DamageTotalPct},
	} {
		v, ok := laParseInt(p.e.Text)
		if !ok {
			return in, laInvalid(p.field, T("lending_admin.int.invalid", "Text", p.e.Text))
		}
		*p.out = v
	}
	for _, r := range laRoundings {
		if laRoundName(r) == t.RoundTo.Selected {
			in.RoundToCents = r
		}
	}
	return in, nil
}

// save creates the year or changes it: one call; a refusal keeps the form.
func (t *LendingYearTab) save() {
	s := t.s
	s.u.touch()
	in, err := t.input()
	if err != nil {
		t.Hints.show(s.u, t.Message, err)
		return
	}
	id := t.Editing
	var y wire.LendingYear
	var years wire.LendingYears
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		if id == 0 {
			y, err = s.u.api.LendingCreateYear(ctx, in)
		} else {
			y, err = s.u.api.LendingUpdateYear(ctx, id, in)
		}
		if err != nil {
			return err
		}
		years, err = s.u.api.LendingYears(ctx)
		return err
	}, func(err error) {
		if err != nil {
			t.Hints.show(s.u, t.Message, err)
			return
		}
		note := T("lending_admin.year.saved", "Name", y.Name)
		if id == 0 {
			note = T("lending_admin.year.created", "Name", y.Name)
		}
		s.setYears(years, y.ID)
		setInfo(t.Message, note)
	})
}
