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

// LendingTitlesTab lists the titles (with a search) and holds the form of
// one: ISBN, title, publisher, subject, grades, shop price, years of use,
// consumable. Tapping a title puts it into the form; "Neuer Titel"
// empties it. The server checks the ISBN's check digit and refuses to
// delete a title that copies or lists refer to; both answers show at the
// form.
type LendingTitlesTab struct {
	Search *widget.Entry
	Find   *widget.Button
	Empty  *widget.Label
	Rows   []*LendingTitleRow
	List   []wire.LendingTitle // as last loaded (with the search)

	FormHeading                                    *widget.Label
	ISBN, Title, Publisher, Subject, Grades, Price *widget.Entry
	YearsOfUse                                     *widget.Select
	Consumable                                     *widget.Check
	Save, New, Delete                              *widget.Button
	Confirm                                        *ConfirmBar
	Message                                        *widget.Label
	Hints                                          laFields
	Editing                                        int64 // 0: a new title

	s       *LendingAdminScreen
	seq     int
	rows    *fyne.Container
	content fyne.CanvasObject
}

// LendingTitleRow is a title in the list: its name (tap to edit) and a
// line with ISBN, subject, grades, price and stock.
type LendingTitleRow struct {
	Title wire.LendingTitle
	Open  *widget.Button
	Info  *widget.Label
}

func newLendingTitlesTab(s *LendingAdminScreen) *LendingTitlesTab {
	t := &LendingTitlesTab{s: s, Hints: laFields{}, Message: newMessage(), Confirm: newConfirmBar()}
	t.Search = widget.NewEntry()
	t.Search.PlaceHolder = T("lending_admin.titles.search")
	t.Search.OnSubmitted = func(string) { t.load() }
	t.Find = widget.NewButtonWithIcon(T("lending_admin.titles.find"), theme.SearchIcon(), t.load)
	t.Empty = widget.NewLabel(T("lending_admin.titles.empty"))
	t.Empty.Hide()
	t.FormHeading = heading(T("lending_admin.titles.heading_new"))
	t.ISBN, t.Title, t.Publisher, t.Subject = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	t.ISBN.PlaceHolder = "978-3-…"
	t.Grades, t.Price = widget.NewEntry(), widget.NewEntry()
	t.Grades.PlaceHolder = T("lending_admin.titles.grades_placeholder")
	t.Price.PlaceHolder = "24,95"
	t.YearsOfUse = widget.NewSelect([]string{laYearsName(1), laYearsName(2)}, nil)
	t.YearsOfUse.SetSelected(laYearsName(1))
	t.Consumable = widget.NewCheck(T("lending_admin.titles.consumable"), nil)
	t.Save = widget.NewButtonWithIcon(T("lending_admin.titles.create"), theme.DocumentSaveIcon(), t.save)
	t.Save.Importance = widget.HighImportance
	t.New = widget.NewButtonWithIcon(T("lending_admin.titles.new"), theme.ContentAddIcon(), func() {
		s.u.touch()
		t.edit(nil)
	})
	t.Delete = widget.NewButtonWithIcon(T("lending_admin.titles.delete"), theme.DeleteIcon(), t.askDelete)
	t.Delete.Hide()
	h := t.Hints.hint
	form := laForm(
		laFormRow(T("lending_admin.titles.isbn"), t.ISBN, h("isbn")),
		laFormRow(T("lending_admin.titles.title"), t.Title, h("title")),
		laFormRow(T("lending_admin.titles.publisher"), t.Publisher, h("publisher")),
		laFormRow(T("lending_admin.titles.subject"), t.Subject, h("subject")),
		laFormRow(T("lending_admin.titles.grades"), t.Grades, h("grades")),
		laFormRow(T("lending_admin.titles.price"), t.Price, h("price_cents")),
		laFormRow(T("lending_admin.titles.years_of_use"), t.YearsOfUse, h("years_of_use")),
		laFormRow("", t.Consumable, h("consumable")),
	)
	t.rows = container.NewVBox()
	left := container.NewBorder(
		container.NewBorder(nil, nil, nil, t.Find, t.Search), nil, nil, nil,
		container.NewVScroll(container.NewVBox(t.rows, t.Empty)))
	right := container.NewVScroll(container.NewPadded(container.NewVBox(
		container.NewHBox(t.FormHeading, spacer(), t.New), form, t.Message,
		container.NewHBox(t.Save, t.Delete), t.Confirm.box)))
	split := container.NewHSplit(left, right)
	split.Offset = 0.5
	t.content = split
	return t
}

// laYearsName is the years of use as the picker names them.
func laYearsName(n int) string {
	if n == 2 {
		return T("lending_admin.titles.two_years")
	}
	return T("lending_admin.titles.one_year")
}

// load asks for the titles (with the search); the full list also goes to
// the other tabs.
func (t *LendingTitlesTab) load() {
	s := t.s
	t.seq++
	seq := t.seq
	q := strings.TrimSpace(t.Search.Text)
	var list, all []wire.LendingTitle
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		if list, err = s.u.api.LendingTitles(ctx, q); err != nil {
			return err
		}
		all = list
		if q != "" {
			all, err = s.u.api.LendingTitles(ctx, "")
		}
		return err
	}, func(err error) {
		if seq != t.seq {
			return
		}
		if err != nil {
			s.u.report(t.Message, err)
			return
		}
		t.show(list)
		s.titlesChanged(all)
	})
}

// show lays out the rows.
func (t *LendingTitlesTab) show(list []wire.LendingTitle) {
	t.List = list
	t.Rows = nil
	t.rows.Objects = nil
	for _, ti := range list {
		r := &LendingTitleRow{Title: ti}
		r.Open = widget.NewButton(ti.Title, func() {
			t.s.u.touch()
			t.edit(&r.Title)
		})
		r.Open.Alignment = widget.ButtonAlignLeading
		r.Info = widget.NewLabel(laTitleInfo(ti))
		r.Info.Wrapping = fyne.TextWrapWord
		t.Rows = append(t.Rows, r)
		t.rows.Add(container.NewVBox(r.Open, r.Info))
	}
	showIf(t.Empty, len(list) == 0)
	t.rows.Refresh()
}

// laTitleInfo is a title's line: ISBN, subject, grades, price, stock.
func laTitleInfo(ti wire.LendingTitle) string {
	stock := T("lending_admin.titles.stock", "Copies", ti.Copies, "InStock", ti.InStock, "Lent", ti.Lent)
	if ti.Consumable {
		stock = T("lending_admin.titles.consumable_short")
	}
	years := ""
	if ti.YearsOfUse == 2 {
		years = " · " + T("lending_admin.titles.two_years")
	}
	return T("lending_admin.titles.info", "ISBN", ti.ISBN, "Subject", ti.Subject, "Grades", laGradesText(ti.Grades),
		"Price", euro(ti.PriceCents)) + years + " · " + stock
}

// edit puts a title into the form (nil: a new one).
func (t *LendingTitlesTab) edit(ti *wire.LendingTitle) {
	t.Hints.clear()
	clearMessage(t.Message)
	t.Confirm.Hide()
	in := wire.LendingTitleInput{YearsOfUse: 1}
	t.Editing = 0
	t.FormHeading.SetText(T("lending_admin.titles.heading_new"))
	t.Save.SetText(T("lending_admin.titles.create"))
	t.Delete.Hide()
	price := ""
	if ti != nil {
		in = ti.LendingTitleInput
		t.Editing = ti.ID
		t.FormHeading.SetText(T("lending_admin.titles.heading", "Title", ti.Title))
		t.Save.SetText(T("lending_admin.titles.save"))
		t.Delete.Show()
		price = euroPlain(in.PriceCents)
	}
	t.ISBN.SetText(in.ISBN)
	t.Title.SetText(in.Title)
	t.Publisher.SetText(in.Publisher)
	t.Subject.SetText(in.Subject)
	t.Grades.SetText(laGradesText(in.Grades))
	t.Price.SetText(price)
	t.YearsOfUse.SetSelected(laYearsName(in.YearsOfUse))
	t.Consumable.SetChecked(in.Consumable)
}

// input reads the form.
func (t *LendingTitlesTab) input() (wire.LendingTitleInput, error) {
	in := wire.LendingTitleInput{ISBN: strings.TrimSpace(t.ISBN.Text), Title: strings.TrimSpace(t.Title.Text),
		Publisher: strings.TrimSpace(t.Publisher.Text), Subject: strings.TrimSpace(t.Subject.Text),
		Consumable: t.Consumable.Checked, YearsOfUse: 1}
	if t.YearsOfUse.Selected == laYearsName(2) {
		in.YearsOfUse = 2
	}
	var ok bool
	if in.Grades, ok = laGrades(t.Grades.Text); !ok {
		return in, laInvalid("grades", T("lending_admin.titles.grades_invalid"))
	}
	price, err := parseEuro(t.Price.Text)
	if err != nil {
		return in, laInvalid("price_cents", errorText(err))
	}
	in.PriceCents = price
	return in, nil
}

// save creates or changes the title: one call; a refusal keeps the form.
func (t *LendingTitlesTab) save() {
	s := t.s
	s.u.touch()
	t.Confirm.Hide()
	in, err := t.input()
	if err != nil {
		t.Hints.show(s.u, t.Message, err)
		return
	}
	id := t.Editing
	var saved wire.LendingTitle
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		if id == 0 {
			saved, err = s.u.api.LendingCreateTitle(ctx, in)
		} else {
			saved, err = s.u.api.LendingUpdateTitle(ctx, id, in)
		}
		return err
	}, func(err error) {
		if err != nil {
			t.Hints.show(s.u, t.Message, err)
			return
		}
		t.edit(&saved)
		note := T("lending_admin.titles.saved", "Title", saved.Title)
		if id == 0 {
			note = T("lending_admin.titles.created", "Title", saved.Title)
		}
		setInfo(t.Message, note)
		t.load()
		s.Fees.load()
	})
}

func (t *LendingTitlesTab) askDelete() {
	t.s.u.touch()
	if t.Editing == 0 {
		return
	}
	t.Confirm.Ask(T("lending_admin.titles.delete_confirm", "Title", t.Title.Text), T("lending_admin.titles.delete_yes"), t.delete)
}

// delete removes the title; the server refuses while copies or lists
// refer to it, and its message shows at the form.
func (t *LendingTitlesTab) delete() {
	s := t.s
	id, name := t.Editing, t.Title.Text
	s.u.runInSession(func(ctx context.Context) error {
		return s.u.api.LendingDeleteTitle(ctx, id)
	}, func(err error) {
		if err != nil {
			t.Hints.show(s.u, t.Message, err)
			return
		}
		t.edit(nil)
		setInfo(t.Message, T("lending_admin.titles.deleted", "Title", name))
		t.load()
		s.Fees.load()
	})
}

// laTitleByID finds a title in a list.
func laTitleByID(list []wire.LendingTitle, id int64) *wire.LendingTitle {
	for i := range list {
		if list[i].ID == id {
			return &list[i]
		}
	}
	return nil
}
