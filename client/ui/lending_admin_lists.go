package ui

import (
	"context"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// laGradeList is the grades a primary school has book lists for.
var laGradeList = []int{1, 2, 3, 4}

// LendingListsTab is a grade's book list in the chosen year: its titles
// in order (up, down, remove), a picker of the grade's titles not on it
// yet, and whether it is published for the registration. The changes
// stay on the screen until "Speichern", which is one call.
type LendingListsTab struct {
	Grade     *widget.Select
	State     *widget.Label // published or not, and when
	Rows      []*LendingListRow
	Add       *widget.Select // the grade's titles not on the list
	AddButton *widget.Button
	Published *widget.Check
	Save      *widget.Button
	Message   *widget.Label

	Lists  wire.LendingLists
	Titles []wire.LendingTitle // the list as edited

	s       *LendingAdminScreen
	seq     int
	rows    *fyne.Container
	content fyne.CanvasObject
}

// LendingListRow is a title on the list.
type LendingListRow struct {
	Title          wire.LendingTitle
	Name           *widget.Label
	Up, Down, Drop *widget.Button
}

func newLendingListsTab(s *LendingAdminScreen) *LendingListsTab {
	t := &LendingListsTab{s: s, Message: newMessage(), State: widget.NewLabel("")}
	var grades []string
	for _, g := range laGradeList {
		grades = append(grades, laGradeName(g))
	}
	t.Grade = widget.NewSelect(grades, func(string) {
		s.u.touch()
		clearMessage(t.Message)
		t.showGrade()
	})
	t.Add = widget.NewSelect(nil, nil)
	t.Add.PlaceHolder = T("lending_admin.lists.add_placeholder")
	t.AddButton = widget.NewButtonWithIcon(T("lending_admin.lists.add"), theme.ContentAddIcon(), t.add)
	t.Published = widget.NewCheck(T("lending_admin.lists.published"), nil)
	t.Save = widget.NewButtonWithIcon(T("lending_admin.lists.save"), theme.DocumentSaveIcon(), t.save)
	t.Save.Importance = widget.HighImportance
	t.rows = container.NewVBox()
	top := container.NewVBox(
		container.NewHBox(widget.NewLabel(T("lending_admin.lists.grade")),
			container.NewGridWrap(fyne.NewSize(140, t.Grade.MinSize().Height), t.Grade), t.State),
		t.Message)
	bottom := container.NewVBox(widget.NewSeparator(),
		container.NewBorder(nil, nil, nil, t.AddButton, t.Add),
		container.NewHBox(t.Published, t.Save))
	t.content = container.NewBorder(top, container.NewPadded(bottom), nil, nil, container.NewVScroll(container.NewPadded(t.rows)))
	return t
}

// laGradeName is "Klasse 3".
func laGradeName(g int) string { return T("lending_admin.lists.grade_name", "Grade", g) }

// grade is the chosen grade (0: none).
func (t *LendingListsTab) grade() int {
	for _, g := range laGradeList {
		if laGradeName(g) == t.Grade.Selected {
			return g
		}
	}
	return 0
}

// load asks for the chosen year's lists.
func (t *LendingListsTab) load() {
	s := t.s
	year := s.YearID
	if year == 0 {
		return
	}
	laLoad(s.u, &t.seq, t.Message, func(ctx context.Context) (wire.LendingLists, error) {
		return s.u.api.LendingLists(ctx, year)
	}, func(lists wire.LendingLists) {
		t.Lists = lists
		if t.Grade.Selected == "" {
			t.Grade.SetSelected(laGradeName(laGradeList[0])) // shows it
			return
		}
		t.showGrade()
	})
}

// list is the loaded list of a grade (an empty one if none).
func (t *LendingListsTab) list(grade int) wire.LendingList {
	for _, l := range t.Lists.Lists {
		if l.Grade == grade {
			return l
		}
	}
	return wire.LendingList{Grade: grade}
}

// showGrade shows the chosen grade's list as loaded.
func (t *LendingListsTab) showGrade() {
	g := t.grade()
	l := t.list(g)
	t.Titles = nil
	for _, lt := range l.Titles {
		t.Titles = append(t.Titles, lt.Title)
	}
	t.Published.SetChecked(l.Published)
	t.showState(l)
	t.layout()
}

func (t *LendingListsTab) showState(l wire.LendingList) {
	switch {
	case l.Published && l.PublishedAt != nil:
		t.State.SetText(T("lending_admin.lists.state_published_at", "Date", l.PublishedAt.Local().Format("02.01.2006")))
	case l.Published:
		t.State.SetText(T("lending_admin.lists.state_published"))
	default:
		t.State.SetText(T("lending_admin.lists.state_draft"))
	}
}

// layout shows the edited list and the titles that can be added.
func (t *LendingListsTab) layout() {
	t.Rows = nil
	t.rows.Objects = nil
	for i, ti := range t.Titles {
		r := &LendingListRow{Title: ti}
		name := strconv.Itoa(i+1) + ". " + ti.Title
		if ti.Consumable {
			name += " (" + T("lending_admin.lists.buy") + ")"
		}
		r.Name = widget.NewLabel(name)
		r.Up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { t.move(i, -1) })
		r.Down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { t.move(i, 1) })
		r.Drop = widget.NewButtonWithIcon(T("lending_admin.lists.remove"), theme.ContentRemoveIcon(), func() { t.remove(i) })
		if i == 0 {
			r.Up.Disable()
		}
		if i == len(t.Titles)-1 {
			r.Down.Disable()
		}
		t.Rows = append(t.Rows, r)
		t.rows.Add(container.NewBorder(nil, nil, nil, container.NewHBox(r.Up, r.Down, r.Drop), r.Name))
	}
	if len(t.Titles) == 0 {
		t.rows.Add(widget.NewLabel(T("lending_admin.lists.empty")))
	}
	t.rows.Refresh()
	t.showAdd()
}

// addable are the grade's titles not on the list.
func (t *LendingListsTab) addable() []wire.LendingTitle {
	g := t.grade()
	var out []wire.LendingTitle
	for _, ti := range t.s.AllTitle {
		if !slices.Contains(ti.Grades, g) {
			continue
		}
		if slices.ContainsFunc(t.Titles, func(o wire.LendingTitle) bool { return o.ID == ti.ID }) {
			continue
		}
		out = append(out, ti)
	}
	return out
}

// showAdd fills the picker of titles to add.
func (t *LendingListsTab) showAdd() {
	var names []string
	for _, ti := range t.addable() {
		names = append(names, laTitleName(ti))
	}
	t.Add.Options = names
	t.Add.ClearSelected()
	t.Add.Refresh()
}

func (t *LendingListsTab) add() {
	t.s.u.touch()
	for _, ti := range t.addable() {
		if laTitleName(ti) == t.Add.Selected {
			t.Titles = append(t.Titles, ti)
			t.layout()
			return
		}
	}
}

func (t *LendingListsTab) move(i, by int) {
	t.s.u.touch()
	j := i + by
	if j < 0 || j >= len(t.Titles) {
		return
	}
	t.Titles[i], t.Titles[j] = t.Titles[j], t.Titles[i]
	t.layout()
}

func (t *LendingListsTab) remove(i int) {
	t.s.u.touch()
	t.Titles = slices.Delete(t.Titles, i, i+1)
	t.layout()
}

// save stores the grade's list (order and published): one call.
func (t *LendingListsTab) save() {
	s := t.s
	s.u.touch()
	year, grade, published := s.YearID, t.grade(), t.Published.Checked
	if grade == 0 || year == 0 {
		return
	}
	ids := make([]int64, 0, len(t.Titles))
	for _, ti := range t.Titles {
		ids = append(ids, ti.ID)
	}
	var l wire.LendingList
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		l, err = s.u.api.LendingPutList(ctx, year, grade, ids, published)
		return err
	}, func(err error) {
		if err != nil {
			s.u.report(t.Message, err)
			return
		}
		replaced := false
		for i := range t.Lists.Lists {
			if t.Lists.Lists[i].Grade == grade {
				t.Lists.Lists[i], replaced = l, true
			}
		}
		if !replaced {
			t.Lists.Lists = append(t.Lists.Lists, l)
		}
		t.showState(l)
		key := "lending_admin.lists.saved"
		if l.Published {
			key = "lending_admin.lists.saved_published"
		}
		setInfo(t.Message, T(key, "Grade", grade))
	})
}
