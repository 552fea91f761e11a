package ui

import (
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// laKey is the coordinator's screen's key in u.screens.
const laKey = "lending_admin"

// LendingAdminScreen is the textbook-lending coordinator's screen: one
// tab each for the school year, the titles, the fees, the book lists, the
// copies, printing (labels, cards, lists) and the order list. The school
// year the tabs work in is chosen at the top; the year under way is
// preselected. Every save is one server call; a refusal shows its German
// message next to the form (and under the field the server names), and
// the form keeps what was typed.
type LendingAdminScreen struct {
	YearPick *widget.Select // the year the tabs work in
	Tabs     *container.AppTabs
	Message  *widget.Label // loading problems of the whole screen

	Year   *LendingYearTab
	Titles *LendingTitlesTab
	Fees   *LendingFeesTab
	Lists  *LendingListsTab
	Copies *LendingCopiesTab
	Print  *LendingPrintTab
	Orders *LendingOrdersTab

	YearItem, TitlesItem, FeesItem, ListsItem, CopiesItem, PrintItem, OrdersItem *container.TabItem

	// Years as last loaded, and the chosen one (0: none yet).
	Years    wire.LendingYears
	YearID   int64
	AllTitle []wire.LendingTitle // every title, for the lists and copies

	u *UI
}

func init() {
	registerLendingTool(lendingTool{key: laKey, title: "lending_admin.entry", icon: theme.SettingsIcon, order: 20,
		visible: lendingAdminAllowed, open: func(u *UI) { u.showLendingAdmin() }})
}

// lendingAdminAllowed says whether the person may use the coordinator's
// screen: holders of the right "lending" and admins (the server's answer).
func lendingAdminAllowed(a wire.LendingAbilities) bool { return a.Coordinator }

// showLendingAdmin opens the coordinator's screen, after asking the
// server whether the person may (a teacher's right may have changed).
func (u *UI) showLendingAdmin() {
	if u.sess == nil {
		return
	}
	var ab wire.LendingAbilities
	var years wire.LendingYears
	u.runInSession(func(ctx context.Context) error {
		var err error
		if ab, err = u.api.LendingAbilities(ctx); err != nil {
			return err
		}
		if !lendingAdminAllowed(ab) {
			return userError(T("lending_admin.forbidden"))
		}
		years, err = u.api.LendingYears(ctx)
		return err
	}, func(err error) {
		if u.handle(err) {
			return
		}
		s := newLendingAdminScreen(u)
		u.setScreen(laKey, s)
		u.openScreen(T("lending_admin.title"), s.content())
		s.setYears(years, years.Current)
		s.Titles.load()
	})
}

func newLendingAdminScreen(u *UI) *LendingAdminScreen {
	s := &LendingAdminScreen{u: u, Message: newMessage()}
	s.YearPick = widget.NewSelect(nil, func(name string) { s.pickYear(name) })
	s.YearPick.PlaceHolder = T("lending_admin.year.none")
	s.Year = newLendingYearTab(s)
	s.Titles = newLendingTitlesTab(s)
	s.Fees = newLendingFeesTab(s)
	s.Lists = newLendingListsTab(s)
	s.Copies = newLendingCopiesTab(s)
	s.Print = newLendingPrintTab(s)
	s.Orders = newLendingOrdersTab(s)
	s.YearItem = container.NewTabItemWithIcon(T("lending_admin.tab.year"), theme.CalendarIcon(), s.Year.content)
	s.TitlesItem = container.NewTabItemWithIcon(T("lending_admin.tab.titles"), theme.DocumentIcon(), s.Titles.content)
	s.FeesItem = container.NewTabItemWithIcon(T("lending_admin.tab.fees"), theme.ListIcon(), s.Fees.content)
	s.ListsItem = container.NewTabItemWithIcon(T("lending_admin.tab.lists"), theme.MenuIcon(), s.Lists.content)
	s.CopiesItem = container.NewTabItemWithIcon(T("lending_admin.tab.copies"), theme.StorageIcon(), s.Copies.content)
	s.PrintItem = container.NewTabItemWithIcon(T("lending_admin.tab.print"), theme.DocumentPrintIcon(), s.Print.content)
	s.OrdersItem = container.NewTabItemWithIcon(T("lending_admin.tab.orders"), theme.ContentPasteIcon(), s.Orders.content)
	s.Tabs = container.NewAppTabs(s.YearItem, s.TitlesItem, s.FeesItem, s.ListsItem, s.CopiesItem, s.PrintItem, s.OrdersItem)
	s.Tabs.OnSelected = func(it *container.TabItem) {
		u.touch()
		switch it {
		case s.FeesItem:
			s.Fees.load()
		case s.ListsItem:
			s.Lists.load()
		case s.OrdersItem:
			s.Orders.load()
		}
	}
	return s
}

func (s *LendingAdminScreen) content() fyne.CanvasObject {
	top := container.NewHBox(widget.NewLabel(T("lending_admin.year.pick")),
		container.NewGridWrap(fyne.NewSize(180, s.YearPick.MinSize().Height), s.YearPick))
	return container.NewBorder(container.NewVBox(container.NewPadded(top), s.Message), nil, nil, nil, s.Tabs)
}

// setYears takes the years from the server and chooses one (0: the
// current, else the newest).
func (s *LendingAdminScreen) setYears(y wire.LendingYears, choose int64) {
	s.Years = y
	var names []string
	for _, yr := range y.Years {
		names = append(names, yr.Name)
	}
	s.YearPick.Options = names
	if choose == 0 {
		choose = y.Current
	}
	if choose == 0 && len(y.Years) > 0 {
		choose = y.Years[len(y.Years)-1].ID
	}
	if yr := s.year(choose); yr != nil {
		s.YearPick.SetSelected(yr.Name) // calls pickYear
	} else {
		s.YearPick.Refresh()
		s.Year.fill(nil, y.Template)
		setPlain(s.Message, T("lending_admin.year.first"))
	}
}

// year is a loaded year by id, or nil.
func (s *LendingAdminScreen) year(id int64) *wire.LendingYear {
	for i := range s.Years.Years {
		if s.Years.Years[i].ID == id {
			return &s.Years.Years[i]
		}
	}
	return nil
}

// current is the chosen year, or nil.
func (s *LendingAdminScreen) current() *wire.LendingYear { return s.year(s.YearID) }

func (s *LendingAdminScreen) pickYear(name string) {
	for i := range s.Years.Years {
		if s.Years.Years[i].Name == name {
			s.YearID = s.Years.Years[i].ID
			clearMessage(s.Message)
			s.Year.fill(&s.Years.Years[i], s.Years.Template)
			s.Fees.load()
			s.Lists.load()
			s.Orders.clear()
			return
		}
	}
}

// titlesChanged takes a new list of all titles to the tabs that offer
// titles to choose from.
func (s *LendingAdminScreen) titlesChanged(all []wire.LendingTitle) {
	s.AllTitle = all
	s.Copies.setTitles(all)
	s.Print.setTitles(all)
	s.Lists.showAdd()
}

// --- small helpers of the coordinator's forms

// laFields are a form's hint lines under its fields, by the API's field
// name: a refusal names the field at fault (error.fields) and shows
// there as well as in the form's message line.
type laFields map[string]*widget.Label

func (f laFields) hint(names ...string) *widget.Label {
	l := newMessage()
	for _, n := range names {
		f[n] = l
	}
	return l
}

func (f laFields) clear() {
	for _, l := range f {
		clearMessage(l)
	}
}

// show reports a failed save: the message next to the form, and under
// each field the server (or the client's own check) names.
func (f laFields) show(u *UI, msg *widget.Label, err error) {
	f.clear()
	u.report(msg, err)
	var fields []string
	var se *serverapi.Error
	var fe *laFieldError
	switch {
	case errors.As(err, &fe):
		fields = []string{fe.field}
	case errors.As(err, &se):
		fields = se.Fields
	}
	for _, name := range fields {
		if l := f[name]; l != nil {
			setProblem(l, errorText(err))
		}
	}
}

// laFieldError is the client's own refusal of what was typed into a
// field (a price that is no number); its text is shown as it is.
type laFieldError struct{ field, msg string }

func (e *laFieldError) Error() string        { return e.msg }
func (e *laFieldError) Is(target error) bool { return target == errLocal }

func laInvalid(field, msg string) error { return &laFieldError{field: field, msg: msg} }

// laFormRow is a label, the field and its hint line under it.
func laFormRow(label string, field fyne.CanvasObject, hint *widget.Label) []fyne.CanvasObject {
	l := widget.NewLabel(label)
	if hint == nil {
		return []fyne.CanvasObject{l, field}
	}
	return []fyne.CanvasObject{l, container.NewVBox(field, hint)}
}

// laForm lays out rows of laFormRow.
func laForm(rows ...[]fyne.CanvasObject) *fyne.Container {
	var objs []fyne.CanvasObject
	for _, r := range rows {
		objs = append(objs, r...)
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// laPct is a percentage for an input field: "33", "33,5".
func laPct(p float64) string {
	return strings.Replace(strconv.FormatFloat(p, 'f', -1, 64), ".", ",", 1)
}

// laParsePct reads a percentage typed with a comma or a point.
func laParsePct(s string) (float64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	s = strings.Replace(s, ",", ".", 1)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// laParseInt reads a whole number.
func laParseInt(s string) (int, bool) {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	return v, err == nil
}

// laDate reads a date field (TT.MM.JJJJ) into the API's form, naming the
// field when it cannot.
func laDate(field, s string) (string, error) {
	d, err := isoDate(s)
	if err != nil {
		return "", laInvalid(field, errorText(err))
	}
	return d, nil
}

// laGrades reads "3, 4" or "3 4" into grades.
func laGrades(s string) ([]int, bool) {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '/' }) {
		g, err := strconv.Atoi(f)
		if err != nil || g < 1 || g > 13 {
			return nil, false
		}
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out, len(out) > 0
}

// laGradesText is grades as the form shows them: "3, 4".
func laGradesText(gs []int) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = strconv.Itoa(g)
	}
	return strings.Join(parts, ", ")
}

// laTitleName is a title in a chooser: "Zahlenreise 3 (978…)".
func laTitleName(t wire.LendingTitle) string {
	return T("lending_admin.title_choice", "Title", t.Title, "ISBN", t.ISBN)
}

// laPrint saves a PDF the server made and opens it with the system's
// viewer (which prints); msg tells where it went or what failed.
func (u *UI) laPrint(msg *widget.Label, name string, make func(ctx context.Context) ([]byte, error)) {
	var path string
	clearMessage(msg)
	u.runInSession(func(ctx context.Context) error {
		pdf, err := make(ctx)
		if err != nil {
			return err
		}
		path, err = u.savePDF(name, pdf)
		return err
	}, func(err error) { u.openPrinted(path, err, msg) })
}

// laLoad fetches one answer for a tab off the UI goroutine and shows it,
// unless the tab asked again meanwhile (seq counts the tab's loads; an
// older answer is dropped); a failure shows in msg, a success clears it.
func laLoad[T any](u *UI, seq *int, msg *widget.Label, get func(ctx context.Context) (T, error), show func(T)) {
	*seq++
	mine := *seq
	var v T
	u.runInSession(func(ctx context.Context) error {
		var err error
		v, err = get(ctx)
		return err
	}, func(err error) {
		if mine != *seq {
			return
		}
		if err != nil {
			u.report(msg, err)
			return
		}
		clearMessage(msg)
		show(v)
	})
}
