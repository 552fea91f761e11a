package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// Label sheets the server draws on.
const (
	laSheetSmall = "L4736REV" // 45.7 x 21.2 mm, 4 x 12
	laSheetLarge = "3474"     // 70 x 37 mm, 3 x 8
)

// LendingPrintTab prints copy labels on a real label sheet, starting at
// a position of a partly used sheet (new numbers, a reprint of a number
// range, or all copies of a title), pupil cards for a class, and the
// lists and letters of the chosen year. Every PDF is saved into the
// files folder and opened with the system's viewer, which prints.
type LendingPrintTab struct {
	Sheet           *widget.Select
	Start           *widget.Entry
	What            *widget.RadioGroup // new numbers, a range, a title's copies
	Count, From, To *widget.Entry
	Title           *widget.Select
	Labels          *widget.Button
	LabelsMessage   *widget.Label
	LabelHints      laFields

	CardClass    *widget.Entry
	CardStart    *widget.Entry
	Cards        *widget.Button
	CardsMessage *widget.Label

	DocClass     *widget.Entry
	DocGrade     *widget.Select
	IssueList    *widget.Button
	Missing      *widget.Button
	ClaimLetters *widget.Button
	Payments     *widget.Button
	BookList     *widget.Button
	OrderList    *widget.Button
	DocsMessage  *widget.Label

	titles  []wire.LendingTitle
	s       *LendingAdminScreen
	content fyne.CanvasObject
}

func newLendingPrintTab(s *LendingAdminScreen) *LendingPrintTab {
	t := &LendingPrintTab{s: s, LabelsMessage: newMessage(), CardsMessage: newMessage(), DocsMessage: newMessage(), LabelHints: laFields{}}
	t.Sheet = widget.NewSelect([]string{laSheetName(laSheetSmall), laSheetName(laSheetLarge)}, nil)
	t.Sheet.SetSelected(laSheetName(laSheetSmall))
	t.Start = widget.NewEntry()
	t.Start.SetText("1")
	t.Count, t.From, t.To = widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	t.Count.PlaceHolder, t.From.PlaceHolder, t.To.PlaceHolder = "48", "1", "48"
	t.Title = widget.NewSelect(nil, nil)
	t.Title.PlaceHolder = T("lending_admin.copies.choose_title")
	t.What = widget.NewRadioGroup([]string{T("lending_admin.print.what_new"), T("lending_admin.print.what_range"),
		T("lending_admin.print.what_title")}, func(string) { t.showWhat() })
	t.What.Required = true
	t.Labels = widget.NewButtonWithIcon(T("lending_admin.print.labels"), theme.DocumentPrintIcon(), t.printLabels)
	t.Labels.Importance = widget.HighImportance
	h := t.LabelHints.hint
	labels := laForm(
		laFormRow(T("lending_admin.print.sheet"), t.Sheet, h("sheet")),
		laFormRow(T("lending_admin.print.start"), t.Start, h("start")),
		laFormRow(T("lending_admin.print.what"), t.What, nil),
		laFormRow(T("lending_admin.print.count"), t.Count, h("count")),
		laFormRow(T("lending_admin.print.range"), container.NewGridWithColumns(2, t.From, t.To), h("from", "to")),
		laFormRow(T("lending_admin.print.title"), t.Title, h("title")),
	)
	t.What.SetSelected(T("lending_admin.print.what_new"))

	t.CardClass, t.CardStart = widget.NewEntry(), widget.NewEntry()
	t.CardClass.PlaceHolder = "3a"
	t.CardStart.SetText("1")
	t.Cards = widget.NewButtonWithIcon(T("lending_admin.print.cards"), theme.DocumentPrintIcon(), t.printCards)
	cards := laForm(
		laFormRow(T("lending_admin.print.class"), t.CardClass, nil),
		laFormRow(T("lending_admin.print.start"), t.CardStart, nil),
	)

	t.DocClass = widget.NewEntry()
	t.DocClass.PlaceHolder = "3a"
	var grades []string
	for _, g := range laGradeList {
		grades = append(grades, laGradeName(g))
	}
	t.DocGrade = widget.NewSelect(grades, nil)
	t.DocGrade.SetSelected(grades[0])
	doc := func(key, name string, class, grade bool) *widget.Button {
		return widget.NewButtonWithIcon(T(key), theme.DocumentIcon(), func() { t.printDocument(name, class, grade) })
	}
	t.IssueList = doc("lending_admin.print.issue_list", "issue-list", true, false)
	t.ClaimLetters = doc("lending_admin.print.claim_letters", "claim-letters", true, false)
	t.Missing = doc("lending_admin.print.missing", "missing", false, false)
	t.Payments = doc("lending_admin.print.payments", "payments", false, false)
	t.BookList = doc("lending_admin.print.book_list", "book-list", false, true)
	t.OrderList = doc("lending_admin.print.order_list", "order-list", false, false)
	docs := container.NewVBox(
		laForm(laFormRow(T("lending_admin.print.class"), t.DocClass, nil)),
		container.NewGridWithColumns(2, t.IssueList, t.ClaimLetters),
		laForm(laFormRow(T("lending_admin.print.grade"), t.DocGrade, nil)),
		container.NewGridWithColumns(2, t.BookList),
		widget.NewLabel(T("lending_admin.print.year_docs")),
		container.NewGridWithColumns(2, t.Missing, t.Payments, t.OrderList),
		t.DocsMessage)

	left := container.NewVBox(heading(T("lending_admin.print.labels_heading")), labels, t.LabelsMessage, container.NewHBox(t.Labels),
		widget.NewSeparator(), heading(T("lending_admin.print.cards_heading")), cards, t.CardsMessage, container.NewHBox(t.Cards))
	right := container.NewVBox(heading(T("lending_admin.print.docs_heading")), docs)
	t.content = container.NewVScroll(container.NewPadded(container.NewGridWithColumns(2, left, right)))
	return t
}

// laSheetName is a label sheet as the picker names it.
func laSheetName(id string) string {
	if id == laSheetLarge {
		return T("lending_admin.print.sheet_3474")
	}
	return T("lending_admin.print.sheet_l4736")
}

// sheet is the chosen sheet's id.
func (t *LendingPrintTab) sheet() string {
	if t.Sheet.Selected == laSheetName(laSheetLarge) {
		return laSheetLarge
	}
	return laSheetSmall
}

// showWhat enables the fields of the chosen kind of labels.
func (t *LendingPrintTab) showWhat() {
	enable := func(w fyne.Disableable, on bool) {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	enable(t.Count, t.What.Selected == T("lending_admin.print.what_new"))
	enable(t.From, t.What.Selected == T("lending_admin.print.what_range"))
	enable(t.To, t.What.Selected == T("lending_admin.print.what_range"))
	enable(t.Title, t.What.Selected == T("lending_admin.print.what_title"))
}

// setTitles offers the titles with copies.
func (t *LendingPrintTab) setTitles(all []wire.LendingTitle) {
	t.titles = laOfferLendable(t.Title, all)
}

// prepareRange sets up a reprint of a number range (the copies just
// entered).
func (t *LendingPrintTab) prepareRange(from, to int64) {
	t.What.SetSelected(T("lending_admin.print.what_range"))
	t.From.SetText(strconv.FormatInt(from, 10))
	t.To.SetText(strconv.FormatInt(to, 10))
}

// labelsInput reads the labels' form.
func (t *LendingPrintTab) labelsInput() (wire.LendingLabelsInput, error) {
	in := wire.LendingLabelsInput{Sheet: t.sheet()}
	start, ok := laParseInt(t.Start.Text)
	if !ok {
		return in, laInvalid("start", T("lending_admin.int.invalid", "Text", t.Start.Text))
	}
	in.Start = start
	switch t.What.Selected {
	case T("lending_admin.print.what_range"):
		from, ok1 := laParseInt(t.From.Text)
		to, ok2 := laParseInt(t.To.Text)
		if !ok1 || !ok2 {
			return in, laInvalid("from", T("lending_admin.print.range_invalid"))
		}
		in.From, in.To = int64(from), int64(to)
	case T("lending_admin.print.what_title"):
		for _, ti := range t.titles {
			if laTitleName(ti) == t.Title.Selected {
				in.Title = ti.ID
			}
		}
		if in.Title == 0 {
			return in, laInvalid("title", T("lending_admin.copies.no_title"))
		}
	default:
		n, ok := laParseInt(t.Count.Text)
		if !ok {
			return in, laInvalid("count", T("lending_admin.int.invalid", "Text", t.Count.Text))
		}
		in.Count = n
	}
	return in, nil
}

// printLabels asks the server for the labels' PDF and opens it.
func (t *LendingPrintTab) printLabels() {
	u := t.s.u
	u.touch()
	t.LabelHints.clear()
	in, err := t.labelsInput()
	if err != nil {
		t.LabelHints.show(u, t.LabelsMessage, err)
		return
	}
	var path string
	clearMessage(t.LabelsMessage)
	u.runInSession(func(ctx context.Context) error {
		pdf, err := u.api.LendingLabels(ctx, in)
		if err != nil {
			return err
		}
		path, err = u.savePDF("etiketten-"+in.Sheet+".pdf", pdf)
		return err
	}, func(err error) {
		if err != nil {
			t.LabelHints.show(u, t.LabelsMessage, err)
			return
		}
		u.openPrinted(path, nil, t.LabelsMessage)
	})
}

// printCards prints the pupil cards of a class.
func (t *LendingPrintTab) printCards() {
	u := t.s.u
	u.touch()
	class := strings.TrimSpace(t.CardClass.Text)
	start, ok := laParseInt(t.CardStart.Text)
	if !ok {
		setProblem(t.CardsMessage, T("lending_admin.int.invalid", "Text", t.CardStart.Text))
		return
	}
	if class == "" {
		setProblem(t.CardsMessage, T("lending_admin.print.class_missing"))
		return
	}
	u.laPrint(t.CardsMessage, "ausweise-"+class+".pdf", func(ctx context.Context) ([]byte, error) {
		return u.api.LendingCards(ctx, wire.LendingCardsInput{Class: class, Start: start})
	})
}

// printDocument prints one of the year's lists or letters.
func (t *LendingPrintTab) printDocument(name string, needClass, needGrade bool) {
	u := t.s.u
	u.touch()
	year := t.s.YearID
	class, grade := "", 0
	if needClass {
		class = strings.TrimSpace(t.DocClass.Text)
		if class == "" && name == "issue-list" {
			setProblem(t.DocsMessage, T("lending_admin.print.class_missing"))
			return
		}
	}
	if needGrade {
		for _, g := range laGradeList {
			if laGradeName(g) == t.DocGrade.Selected {
				grade = g
			}
		}
	}
	file := name
	if class != "" {
		file += "-" + class
	}
	if grade != 0 {
		file += "-" + strconv.Itoa(grade)
	}
	u.laPrint(t.DocsMessage, file+".pdf", func(ctx context.Context) ([]byte, error) {
		return u.api.LendingDocument(ctx, name, year, class, grade)
	})
}

// LendingOrdersTab is the order list of the chosen year as a table: per
// title the copies the registrations need, those that can go out, and
// how many to order (needed minus stock).
type LendingOrdersTab struct {
	Reload  *widget.Button
	Print   *widget.Button
	Message *widget.Label
	Rows    []*LendingOrderRow
	Orders  wire.LendingOrders

	s       *LendingAdminScreen
	seq     int
	rows    *fyne.Container
	content fyne.CanvasObject
}

// LendingOrderRow is a title's line of the order list.
type LendingOrderRow struct {
	Row                             wire.LendingOrderRow
	Title, Needed, Available, Order *widget.Label
}

func newLendingOrdersTab(s *LendingAdminScreen) *LendingOrdersTab {
	t := &LendingOrdersTab{s: s, Message: newMessage()}
	t.Reload = widget.NewButtonWithIcon(T("lending_admin.orders.reload"), theme.ViewRefreshIcon(), t.load)
	t.Print = widget.NewButtonWithIcon(T("lending_admin.print.order_list"), theme.DocumentPrintIcon(), func() {
		s.Print.printDocumentTo(t.Message, "order-list")
	})
	t.rows = container.NewVBox()
	t.content = container.NewBorder(container.NewVBox(container.NewHBox(t.Reload, t.Print), t.Message), nil, nil, nil,
		container.NewVScroll(container.NewPadded(t.rows)))
	return t
}

// printDocumentTo prints a year document with its message elsewhere.
func (t *LendingPrintTab) printDocumentTo(msg *widget.Label, name string) {
	u := t.s.u
	u.touch()
	year := t.s.YearID
	u.laPrint(msg, name+".pdf", func(ctx context.Context) ([]byte, error) {
		return u.api.LendingDocument(ctx, name, year, "", 0)
	})
}

// clear forgets the rows of another year.
func (t *LendingOrdersTab) clear() {
	t.seq++
	t.Rows = nil
	t.rows.Objects = nil
	t.rows.Refresh()
}

// load asks for the chosen year's order rows.
func (t *LendingOrdersTab) load() {
	s := t.s
	year := s.YearID
	if year == 0 {
		return
	}
	laLoad(s.u, &t.seq, t.Message, func(ctx context.Context) (wire.LendingOrders, error) {
		return s.u.api.LendingOrders(ctx, year)
	}, t.show)
}

func (t *LendingOrdersTab) show(o wire.LendingOrders) {
	t.Orders = o
	t.Rows = nil
	bold := fyne.TextStyle{Bold: true}
	grid := container.NewGridWithColumns(4,
		widget.NewLabelWithStyle(T("lending_admin.orders.title"), fyne.TextAlignLeading, bold),
		widget.NewLabelWithStyle(T("lending_admin.orders.needed"), fyne.TextAlignTrailing, bold),
		widget.NewLabelWithStyle(T("lending_admin.orders.available"), fyne.TextAlignTrailing, bold),
		widget.NewLabelWithStyle(T("lending_admin.orders.order"), fyne.TextAlignTrailing, bold))
	for _, row := range o.Rows {
		r := &LendingOrderRow{Row: row,
			Title:     widget.NewLabel(row.Title.Title),
			Needed:    widget.NewLabelWithStyle(strconv.Itoa(row.Needed), fyne.TextAlignTrailing, fyne.TextStyle{}),
			Available: widget.NewLabelWithStyle(strconv.Itoa(row.Available), fyne.TextAlignTrailing, fyne.TextStyle{}),
			Order:     widget.NewLabelWithStyle(strconv.Itoa(row.Order), fyne.TextAlignTrailing, bold)}
		if row.Order > 0 {
			r.Order.Importance = widget.WarningImportance
		}
		t.Rows = append(t.Rows, r)
		grid.Add(r.Title)
		grid.Add(r.Needed)
		grid.Add(r.Available)
		grid.Add(r.Order)
	}
	t.rows.Objects = []fyne.CanvasObject{grid}
	if len(o.Rows) == 0 {
		t.rows.Add(widget.NewLabel(T("lending_admin.orders.empty")))
	}
	t.rows.Refresh()
}
