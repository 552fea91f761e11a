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

// Copy conditions and states as the API names them.
var (
	laConditions = []string{"new", "good", "worn", "damaged"}
	laStates     = []string{"in_stock", "damaged", "lost", "retired"}
)

// LendingCopiesTab is a title's copies: entering new ones (a number of
// new labels, or pre-printed numbers, with the acquired date, condition
// and loans before Kaspel), the list of its copies with status,
// condition and loan count, and one copy's full history, where it can be
// sorted out or marked lost or damaged.
type LendingCopiesTab struct {
	Title *widget.Select // the title whose copies show

	Count, Numbers, Acquired, LoanCount, Note *widget.Entry
	Condition                                 *widget.Select
	Add                                       *widget.Button
	PrintNew                                  *widget.Button // labels of the copies just entered
	AddMessage                                *widget.Label
	Hints                                     laFields
	Added                                     []wire.LendingCopy // the last entered

	Rows    []*LendingCopyRow
	Copies  []wire.LendingCopy
	Message *widget.Label

	Code      *widget.Entry // a copy's number, to look it up
	Show      *widget.Button
	Detail    *LendingCopyDetail
	titles    []wire.LendingTitle
	s         *LendingAdminScreen
	seq       int
	rows      *fyne.Container
	content   fyne.CanvasObject
	detailBox *fyne.Container
}

// LendingCopyRow is a copy in the title's list.
type LendingCopyRow struct {
	Copy    wire.LendingCopy
	Code    *widget.Label
	Info    *widget.Label
	History *widget.Button
}

// LendingCopyDetail is one copy with its whole history and the change of
// its status, condition and note.
type LendingCopyDetail struct {
	Copy      wire.LendingCopy
	Heading   *widget.Label
	Info      *widget.Label
	History   []*widget.Label
	Status    *widget.Select
	Condition *widget.Select
	Note      *widget.Entry
	Save      *widget.Button
	Message   *widget.Label
}

func newLendingCopiesTab(s *LendingAdminScreen) *LendingCopiesTab {
	t := &LendingCopiesTab{s: s, Hints: laFields{}, AddMessage: newMessage(), Message: newMessage()}
	t.Title = widget.NewSelect(nil, func(string) {
		s.u.touch()
		t.load()
	})
	t.Title.PlaceHolder = T("lending_admin.copies.choose_title")
	t.Count, t.Numbers, t.Acquired, t.LoanCount, t.Note = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	t.Count.PlaceHolder = "30"
	t.Numbers.PlaceHolder = T("lending_admin.copies.numbers_placeholder")
	t.Acquired.PlaceHolder = T("lending_admin.date.placeholder")
	t.Acquired.SetText(s.u.opts.Now().Format("02.01.2006"))
	t.LoanCount.SetText("0")
	var conds []string
	for _, c := range laConditions {
		conds = append(conds, laConditionName(c))
	}
	t.Condition = widget.NewSelect(conds, nil)
	t.Condition.SetSelected(laConditionName("new"))
	t.Add = widget.NewButtonWithIcon(T("lending_admin.copies.add"), theme.ContentAddIcon(), t.add)
	t.Add.Importance = widget.HighImportance
	t.PrintNew = widget.NewButtonWithIcon(T("lending_admin.copies.print_new"), theme.DocumentPrintIcon(), t.printNew)
	t.PrintNew.Hide()
	h := t.Hints.hint
	form := laForm(
		laFormRow(T("lending_admin.copies.count"), t.Count, h("count")),
		laFormRow(T("lending_admin.copies.numbers"), t.Numbers, h("numbers", "code")),
		laFormRow(T("lending_admin.copies.acquired"), t.Acquired, h("acquired_on")),
		laFormRow(T("lending_admin.copies.condition"), t.Condition, h("condition")),
		laFormRow(T("lending_admin.copies.loan_count"), t.LoanCount, h("loan_count")),
		laFormRow(T("lending_admin.copies.note"), t.Note, h("note", "title")),
	)
	t.Code = widget.NewEntry()
	t.Code.PlaceHolder = "0000123"
	t.Code.OnSubmitted = func(string) { t.lookUp() }
	t.Show = widget.NewButtonWithIcon(T("lending_admin.copies.show"), theme.SearchIcon(), t.lookUp)
	t.rows = container.NewVBox()
	t.detailBox = container.NewVBox()
	enter := container.NewVBox(heading(T("lending_admin.copies.enter")), form, t.AddMessage, container.NewHBox(t.Add, t.PrintNew))
	lookup := container.NewVBox(heading(T("lending_admin.copies.lookup")),
		container.NewBorder(nil, nil, nil, t.Show, t.Code), t.detailBox)
	left := container.NewBorder(container.NewVBox(heading(T("lending_admin.copies.list")), t.Message), nil, nil, nil,
		container.NewVScroll(t.rows))
	right := container.NewVScroll(container.NewPadded(container.NewVBox(enter, widget.NewSeparator(), lookup)))
	split := container.NewHSplit(left, right)
	split.Offset = 0.5
	top := container.NewHBox(widget.NewLabel(T("lending_admin.copies.title")),
		container.NewGridWrap(fyne.NewSize(360, t.Title.MinSize().Height), t.Title))
	t.content = container.NewBorder(top, nil, nil, nil, split)
	return t
}

// laConditionName is a copy's condition in German.
func laConditionName(c string) string { return T("lending_admin.condition." + c) }

// laStateName is a copy's status in German.
func laStateName(c string) string { return T("lending_admin.state." + c) }

// setTitles offers the lendable titles (workbooks have no copies).
func (t *LendingCopiesTab) setTitles(all []wire.LendingTitle) {
	t.titles = laOfferLendable(t.Title, all)
}

// laOfferLendable puts the lendable titles (not the workbooks, which are
// bought) into a select and returns them in its order.
func laOfferLendable(sel *widget.Select, all []wire.LendingTitle) []wire.LendingTitle {
	var titles []wire.LendingTitle
	var names []string
	for _, ti := range all {
		if ti.Consumable {
			continue
		}
		titles = append(titles, ti)
		names = append(names, laTitleName(ti))
	}
	sel.Options = names
	sel.Refresh()
	return titles
}

// title is the chosen title, or nil.
func (t *LendingCopiesTab) title() *wire.LendingTitle {
	for i := range t.titles {
		if laTitleName(t.titles[i]) == t.Title.Selected {
			return &t.titles[i]
		}
	}
	return nil
}

// choose selects a title by id (the copies load).
func (t *LendingCopiesTab) choose(id int64) {
	if ti := laTitleByID(t.titles, id); ti != nil {
		t.Title.SetSelected(laTitleName(*ti))
	}
}

// load asks for the chosen title's copies.
func (t *LendingCopiesTab) load() {
	s := t.s
	ti := t.title()
	if ti == nil {
		return
	}
	id := ti.ID
	laLoad(s.u, &t.seq, t.Message, func(ctx context.Context) ([]wire.LendingCopy, error) {
		return s.u.api.LendingTitleCopies(ctx, id)
	}, t.show)
}

func (t *LendingCopiesTab) show(copies []wire.LendingCopy) {
	t.Copies = copies
	t.Rows = nil
	t.rows.Objects = nil
	for _, c := range copies {
		r := &LendingCopyRow{Copy: c,
			Code: widget.NewLabelWithStyle(c.Code, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true, Bold: true}),
			Info: widget.NewLabel(laCopyInfo(c))}
		code := c.Code
		r.History = widget.NewButtonWithIcon(T("lending_admin.copies.history"), theme.HistoryIcon(), func() {
			t.s.u.touch()
			t.Code.SetText(code)
			t.lookUp()
		})
		t.Rows = append(t.Rows, r)
		t.rows.Add(container.NewBorder(nil, nil, r.Code, r.History, r.Info))
	}
	if len(copies) == 0 {
		t.rows.Add(widget.NewLabel(T("lending_admin.copies.none")))
	}
	t.rows.Refresh()
}

// laCopyInfo is a copy's line: status, condition, loans.
func laCopyInfo(c wire.LendingCopy) string {
	info := T("lending_admin.copies.info", "Status", laStateName(c.Status), "Condition", laConditionName(c.Condition), "Loans", c.LoanCount)
	if c.Loan != nil {
		info += " · " + T("lending_admin.copies.lent_to", "Name", c.Loan.PupilName)
	}
	return info
}

// laNumbers reads "101-105, 110" into label numbers.
func laNumbers(s string) ([]int64, bool) {
	var out []int64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		from, to, isRange := strings.Cut(f, "-")
		a, err := strconv.ParseInt(from, 10, 64)
		if err != nil || a < 1 {
			return nil, false
		}
		b := a
		if isRange {
			if b, err = strconv.ParseInt(to, 10, 64); err != nil || b < a || b-a >= 500 {
				return nil, false
			}
		}
		for n := a; n <= b; n++ {
			out = append(out, n)
		}
	}
	return out, len(out) > 0
}

// input reads the form of new copies.
func (t *LendingCopiesTab) input() (wire.LendingCopiesInput, error) {
	ti := t.title()
	if ti == nil {
		return wire.LendingCopiesInput{}, laInvalid("title", T("lending_admin.copies.no_title"))
	}
	in := wire.LendingCopiesInput{Title: ti.ID, Note: strings.TrimSpace(t.Note.Text)}
	if strings.TrimSpace(t.Numbers.Text) != "" {
		nums, ok := laNumbers(t.Numbers.Text)
		if !ok {
			return in, laInvalid("numbers", T("lending_admin.copies.numbers_invalid"))
		}
		in.Numbers = nums
	} else {
		n, ok := laParseInt(t.Count.Text)
		if !ok {
			return in, laInvalid("count", T("lending_admin.int.invalid", "Text", t.Count.Text))
		}
		in.Count = n
	}
	var err error
	if in.AcquiredOn, err = laDate("acquired_on", t.Acquired.Text); err != nil {
		return in, err
	}
	if strings.TrimSpace(t.LoanCount.Text) != "" {
		n, ok := laParseInt(t.LoanCount.Text)
		if !ok {
			return in, laInvalid("loan_count", T("lending_admin.int.invalid", "Text", t.LoanCount.Text))
		}
		in.LoanCount = n
	}
	for _, c := range laConditions {
		if laConditionName(c) == t.Condition.Selected {
			in.Condition = c
		}
	}
	return in, nil
}

// add enters the copies: one call; then the list shows them.
func (t *LendingCopiesTab) add() {
	s := t.s
	s.u.touch()
	in, err := t.input()
	if err != nil {
		t.Hints.show(s.u, t.AddMessage, err)
		return
	}
	var added []wire.LendingCopy
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		added, err = s.u.api.LendingCreateCopies(ctx, in)
		return err
	}, func(err error) {
		if err != nil {
			t.Hints.show(s.u, t.AddMessage, err)
			return
		}
		t.Hints.clear()
		t.Added = added
		if len(added) > 0 {
			setInfo(t.AddMessage, T("lending_admin.copies.added", "Count", len(added),
				"From", added[0].Code, "To", added[len(added)-1].Code))
		}
		showIf(t.PrintNew, len(added) > 0)
		t.Count.SetText("")
		t.Numbers.SetText("")
		t.load()
		s.Titles.load()
	})
}

// printNew takes the copies just entered to the print tab, as a range.
func (t *LendingCopiesTab) printNew() {
	s := t.s
	s.u.touch()
	if len(t.Added) == 0 {
		return
	}
	s.Print.prepareRange(t.Added[0].Number, t.Added[len(t.Added)-1].Number)
	s.Tabs.Select(s.PrintItem)
}

// lookUp shows a copy with its whole history.
func (t *LendingCopiesTab) lookUp() {
	s := t.s
	s.u.touch()
	code := strings.TrimSpace(t.Code.Text)
	if code == "" {
		return
	}
	var c wire.LendingCopy
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		c, err = s.u.api.LendingCopy(ctx, code)
		return err
	}, func(err error) {
		if err != nil {
			t.Detail = nil
			msg := newMessage()
			s.u.report(msg, err)
			t.detailBox.Objects = []fyne.CanvasObject{msg}
			t.detailBox.Refresh()
			return
		}
		t.showDetail(c)
	})
}

func (t *LendingCopiesTab) showDetail(c wire.LendingCopy) {
	d := &LendingCopyDetail{Copy: c, Message: newMessage()}
	d.Heading = heading(T("lending_admin.copies.detail", "Code", c.Code, "Title", c.Title))
	info := laCopyInfo(c)
	if c.AcquiredOn != "" {
		info += " · " + T("lending_admin.copies.acquired_on", "Date", shownDate(c.AcquiredOn))
	}
	if c.Note != "" {
		info += " · " + c.Note
	}
	d.Info = widget.NewLabel(info)
	d.Info.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{d.Heading, d.Info, heading(T("lending_admin.copies.history_heading"))}
	for _, l := range c.History {
		line := T("lending_admin.copies.loan", "Year", l.Year, "Name", l.PupilName, "Issued", l.IssuedAt.Local().Format("02.01.2006"), "By", l.IssuedBy)
		if l.ReturnedAt != nil {
			line += " · " + T("lending_admin.copies.returned", "Date", l.ReturnedAt.Local().Format("02.01.2006"), "By", l.ReturnedBy)
			if l.ReturnCondition != "" {
				line += " (" + T("lending_admin.return."+l.ReturnCondition) + ")"
			}
		} else {
			line += " · " + T("lending_admin.copies.still_out")
		}
		lb := widget.NewLabel(line)
		lb.Wrapping = fyne.TextWrapWord
		d.History = append(d.History, lb)
		objs = append(objs, lb)
	}
	if len(c.History) == 0 {
		objs = append(objs, widget.NewLabel(T("lending_admin.copies.no_history")))
	}
	var states, conds []string
	for _, st := range laStates {
		states = append(states, laStateName(st))
	}
	for _, co := range laConditions {
		conds = append(conds, laConditionName(co))
	}
	d.Status = widget.NewSelect(states, nil)
	d.Status.SetSelected(laStateName(c.Status))
	d.Condition = widget.NewSelect(conds, nil)
	d.Condition.SetSelected(laConditionName(c.Condition))
	d.Note = widget.NewEntry()
	d.Note.SetText(c.Note)
	d.Save = widget.NewButtonWithIcon(T("lending_admin.copies.change"), theme.DocumentSaveIcon(), func() { t.change(d) })
	if c.Status == "lent" {
		d.Status.Disable()
	}
	objs = append(objs, laForm(
		laFormRow(T("lending_admin.copies.status"), d.Status, nil),
		laFormRow(T("lending_admin.copies.condition"), d.Condition, nil),
		laFormRow(T("lending_admin.copies.note"), d.Note, nil),
	), d.Message, container.NewHBox(d.Save))
	t.Detail = d
	t.detailBox.Objects = objs
	t.detailBox.Refresh()
}

// change sorts a copy out, marks it lost or damaged, or back in stock,
// with its condition and note: one call.
func (t *LendingCopiesTab) change(d *LendingCopyDetail) {
	s := t.s
	s.u.touch()
	var ch wire.LendingCopyChange
	for _, st := range laStates {
		if laStateName(st) == d.Status.Selected && st != d.Copy.Status {
			ch.Status = &st
		}
	}
	for _, co := range laConditions {
		if laConditionName(co) == d.Condition.Selected && co != d.Copy.Condition {
			ch.Condition = &co
		}
	}
	if note := strings.TrimSpace(d.Note.Text); note != d.Copy.Note {
		ch.Note = &note
	}
	code := d.Copy.Code
	var c wire.LendingCopy
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		if _, err = s.u.api.LendingUpdateCopy(ctx, code, ch); err != nil {
			return err
		}
		c, err = s.u.api.LendingCopy(ctx, code)
		return err
	}, func(err error) {
		if err != nil {
			s.u.report(d.Message, err)
			return
		}
		t.showDetail(c)
		setInfo(t.Detail.Message, T("lending_admin.copies.changed", "Code", c.Code))
		t.load()
		s.Titles.load()
	})
}
