package ui

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// lendingMoneyKey is the money screen's key in u.screens.
const lendingMoneyKey = "lending-money"

func init() {
	registerLendingTool(lendingTool{key: lendingMoneyKey, title: "lendmoney.title", icon: theme.AccountIcon, order: 30,
		visible: func(a wire.LendingAbilities) bool { return a.Staff },
		open:    func(u *UI) { u.showLendingMoney() }})
}

// LendingMoneyScreen is the lending staff's money desk (the secretary,
// the coordinator): the bank statement import with its dry run, the
// bookings waiting to be matched by hand, the accounts of a school year
// with a pupil's payments, claims and proofs, cash and refunds, and the
// claims for damaged and lost books. Every tab works in the year picked
// at the top (the year under way first).
type LendingMoneyScreen struct {
	Year      *widget.Select
	Tabs      *container.AppTabs
	Message   *widget.Label
	Import    *LendingImportTab
	Unmatched *LendingUnmatchedTab
	Accounts  *LendingAccountsTab
	Cash      *LendingPaymentForm // a payment for any pupil or reference
	Claims    *LendingClaimsTab

	years  []wire.LendingYear
	yearID int64
	u      *UI
}

// showLendingMoney opens the money desk (lending staff).
func (u *UI) showLendingMoney() {
	s := &LendingMoneyScreen{u: u, Message: newMessage()}
	s.Year = widget.NewSelect(nil, func(name string) {
		for _, y := range s.years {
			if y.Name == name && y.ID != s.yearID {
				s.yearID = y.ID
				s.yearChanged()
			}
		}
	})
	s.Year.PlaceHolder = T("lendmoney.year.pick")
	s.Import = s.newImportTab()
	s.Unmatched = s.newUnmatchedTab()
	s.Accounts = s.newAccountsTab()
	s.Cash = s.newPaymentForm("", func(wire.LendingAccount) { s.Accounts.load() })
	s.Claims = s.newClaimsTab()
	cashIntro := widget.NewLabel(T("lendmoney.cash.intro"))
	cashIntro.Wrapping = fyne.TextWrapWord
	s.Tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(T("lendmoney.tab.import"), theme.UploadIcon(), s.Import.content),
		container.NewTabItemWithIcon(T("lendmoney.tab.unmatched"), theme.QuestionIcon(), s.Unmatched.content),
		container.NewTabItemWithIcon(T("lendmoney.tab.accounts"), theme.ListIcon(), s.Accounts.content),
		container.NewTabItemWithIcon(T("lendmoney.tab.cash"), theme.ContentAddIcon(), container.NewVScroll(container.NewPadded(container.NewVBox(cashIntro, s.Cash.box)))),
		container.NewTabItemWithIcon(T("lendmoney.tab.claims"), theme.WarningIcon(), s.Claims.content),
	)
	s.Tabs.OnSelected = func(ti *container.TabItem) {
		switch ti {
		case s.Tabs.Items[1]:
			s.Unmatched.load()
		case s.Tabs.Items[2]:
			s.Accounts.load()
		case s.Tabs.Items[4]:
			s.Claims.load()
		}
	}
	top := container.NewHBox(widget.NewLabel(T("lendmoney.year")), container.NewGridWrap(fyne.NewSize(160, s.Year.MinSize().Height), s.Year))
	u.setScreen(lendingMoneyKey, s)
	u.openScreen(T("lendmoney.title"), container.NewBorder(container.NewVBox(container.NewPadded(top), s.Message), nil, nil, nil, s.Tabs))
	s.loadYears()
}

// loadYears fills the year picker and selects the year under way.
func (s *LendingMoneyScreen) loadYears() {
	u := s.u
	var ys wire.LendingYears
	u.run(func(ctx context.Context) error {
		var err error
		ys, err = u.api.LendingYears(ctx)
		return err
	}, func(err error) {
		if err != nil {
			u.report(s.Message, err)
			return
		}
		s.years = ys.Years
		var names []string
		current := ""
		for _, y := range ys.Years {
			names = append(names, y.Name)
			if y.ID == ys.Current {
				current = y.Name
			}
		}
		if current == "" && len(names) > 0 {
			current = names[len(names)-1]
		}
		s.Year.Options = names
		s.Year.Refresh()
		if current == "" {
			setProblem(s.Message, T("lendmoney.year.none"))
			return
		}
		s.Year.SetSelected(current)
	})
}

// yearChanged loads what depends on the year.
func (s *LendingMoneyScreen) yearChanged() {
	s.Accounts.load()
	s.Claims.load()
	s.Unmatched.load()
}

// --- small helpers of the lending money, class and own screens

// lmStatus is an account's state in a word: Wartet, Offen, Bezahlt,
// Erstattung, keine Anmeldung.
func lmStatus(status string) string {
	switch status {
	case "none":
		return T("lendmoney.status.none")
	case "waiting":
		return T("lendmoney.status.waiting")
	case "due":
		return T("lendmoney.status.due")
	case "paid":
		return T("lendmoney.status.paid")
	case "refund":
		return T("lendmoney.status.refund")
	}
	return status
}

// lmBalance says what is still open on an account, or to be paid back.
func lmBalance(cents int64) string {
	switch {
	case cents > 0:
		return T("lendmoney.balance.due", "Amount", euro(cents))
	case cents < 0:
		return T("lendmoney.balance.back", "Amount", euro(-cents))
	}
	return T("lendmoney.balance.zero")
}

// lmStatusImportance colours a state.
func lmStatusImportance(status string) widget.Importance {
	switch status {
	case "paid":
		return widget.SuccessImportance
	case "due":
		return widget.DangerImportance
	case "waiting", "refund":
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// lmStatuses are the account states in the filter's order.
var lmStatuses = []string{"due", "waiting", "paid", "refund", "none"}

// lmLooksLikeReference tells a payment reference typed by hand
// ("SBA-2026-000123") from a name: references have digits.
func lmLooksLikeReference(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// lmResolve turns what a person typed into a payment reference: a
// reference stays as it is (the server checks it), a name is searched;
// one pupil gives that pupil's reference in the year, several come back
// as candidates to choose from.
func (u *UI) lmResolve(ctx context.Context, text string, year int64) (string, []wire.LendingPupilRef, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", nil, userError(T("lendmoney.target.missing"))
	}
	if lmLooksLikeReference(text) {
		return text, nil, nil
	}
	found, err := u.api.LendingSearchPupils(ctx, text)
	if err != nil {
		return "", nil, err
	}
	switch len(found) {
	case 0:
		return "", nil, userError(T("lendmoney.target.nobody", "Text", text))
	case 1:
		ref, err := u.lmReferenceOf(ctx, found[0], year)
		return ref, nil, err
	}
	return "", found, nil
}

// lmReferenceOf is a pupil's payment reference in a year.
func (u *UI) lmReferenceOf(ctx context.Context, p wire.LendingPupilRef, year int64) (string, error) {
	panel, err := u.api.LendingPupil(ctx, p.Login, year)
	if err != nil {
		return "", err
	}
	if panel.Account == nil || panel.Account.Reference == "" {
		return "", userError(T("lendmoney.target.no_account", "Name", p.Name))
	}
	return panel.Account.Reference, nil
}

// lmPupilOption is a search hit as a picker shows it.
func lmPupilOption(p wire.LendingPupilRef) string {
	if p.Class == "" {
		return p.Name
	}
	return p.Name + " (" + p.Class + ")"
}

// lmClasses lists the school's classes, sorted.
func (u *UI) lmClasses(ctx context.Context) ([]string, error) {
	groups, err := u.api.Groups(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, g := range groups {
		if g.Kind == "class" {
			out = append(out, g.Name)
		}
	}
	slices.Sort(out)
	return out, nil
}
