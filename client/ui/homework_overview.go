package ui

import (
	"context"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// HomeworkOverviewView is a class's homework at a glance for its
// teachers: a row per pupil, a column per homework, each cell the
// pupil's state in its colour with "abgegeben", "verspätet" and
// "Rückmeldung" under it, and per pupil how many are done, open and
// overdue. A column's head opens the homework's page; a cell opens it
// with the pupil's work beside the table.
type HomeworkOverviewView struct {
	Back    *widget.Button
	Group   *widget.Select
	Older   *widget.Check
	Heading *widget.Label
	Columns []*widget.Button // a homework each
	Rows    []*OverviewRow
	Empty   *widget.Label
	Message *widget.Label

	Overview wire.HomeworkOverview

	s      *HomeworkScreen
	seq    int
	table  *fyne.Container
	scroll *container.Scroll
}

// OverviewRow is a pupil's row.
type OverviewRow struct {
	Pupil wire.HomeworkOverviewRow
	Name  *widget.Label
	Cells []*OverviewCell
	Sum   *widget.Label // "2 erledigt · 1 offen · 1 überfällig"
}

// hwOverviewWidths: the name, then every homework's cell; the sum takes
// the rest.
const (
	hwOverviewName = 190
	hwOverviewCell = 124
)

// openOverview shows the overview of a class (group ""): the list's
// filter, else the first the person teaches.
func (s *HomeworkScreen) openOverview(group string) {
	u := s.u
	v := &HomeworkOverviewView{s: s}
	v.Back = widget.NewButtonWithIcon(T("nav.back"), theme.NavigateBackIcon(), func() { s.back("") })
	v.Group = widget.NewSelect(nil, func(string) { v.load() })
	v.Group.PlaceHolder = T("homework.edit.pick_group")
	v.Older = widget.NewCheck(T("homework.older"), func(bool) { v.load() })
	v.Heading = widget.NewLabelWithStyle(T("homework.overview"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Heading.SizeName = theme.SizeNameSubHeadingText
	v.Empty = hwWrapped(T("homework.overview.empty"))
	v.Empty.Hide()
	v.Message = newMessage()
	v.table = container.NewVBox()
	v.scroll = container.NewScroll(container.NewPadded(container.NewVBox(v.table, v.Empty)))
	top := container.NewVBox(
		container.NewHBox(v.Back, container.NewGridWrap(fyne.NewSize(220, v.Group.MinSize().Height), v.Group), v.Older),
		v.Heading, v.Message)
	s.Work, s.Editor, s.Handins, s.Classes = nil, nil, nil, v
	u.openScreen(T("homework.overview"), container.NewBorder(container.NewPadded(top), nil, nil, nil, v.scroll))
	if group == "" {
		group = s.groupName()
	}
	if s.groups != nil {
		v.setGroups(group)
		return
	}
	var gl []wire.HomeworkGroup
	u.runInSession(func(ctx context.Context) error {
		var err error
		gl, err = s.api.HomeworkGroups(ctx)
		return err
	}, func(err error) {
		if err != nil {
			hwFail(u, v.Message, err)
			return
		}
		s.setGroups(gl)
		v.setGroups(group)
	})
}

// setGroups offers the classes and selects one, which loads it.
func (v *HomeworkOverviewView) setGroups(group string) {
	var opts []string
	pick := -1
	for i, g := range v.s.groups {
		opts = append(opts, hwGroupTitle(g))
		if g.Name == group {
			pick = i
		}
	}
	v.Group.Options = opts
	if pick < 0 && len(opts) > 0 {
		pick = 0
	}
	if pick < 0 {
		v.Empty.SetText(T("homework.overview.no_groups"))
		v.Empty.Show()
		v.Group.Refresh()
		return
	}
	v.Group.SetSelectedIndex(pick) // loads it
}

// group is the class chosen.
func (v *HomeworkOverviewView) group() string {
	i := v.Group.SelectedIndex()
	if i < 0 || i >= len(v.s.groups) {
		return ""
	}
	return v.s.groups[i].Name
}

// load asks for the class's overview.
func (v *HomeworkOverviewView) load() {
	group := v.group()
	if group == "" {
		return
	}
	v.seq++
	seq := v.seq
	all := v.Older.Checked
	var o wire.HomeworkOverview
	api := v.s.api
	v.s.u.runInSession(func(ctx context.Context) error {
		var err error
		o, err = api.HomeworkOverview(ctx, group, all)
		return err
	}, func(err error) {
		if seq != v.seq || v.s.Classes != v {
			return
		}
		if err != nil {
			hwFail(v.s.u, v.Message, err)
			return
		}
		clearMessage(v.Message)
		v.Overview = o
		v.layout()
	})
}

// layout draws the table.
func (v *HomeworkOverviewView) layout() {
	o := v.Overview
	v.Heading.SetText(T("homework.overview.of", "Group", o.GroupTitle))
	v.table.RemoveAll()
	v.Columns, v.Rows = nil, nil
	widths := []float32{hwOverviewName}
	for range o.Homework {
		widths = append(widths, hwOverviewCell)
	}
	cols := hwColumns{widths: widths}

	head := []fyne.CanvasObject{widget.NewLabelWithStyle(T("homework.table.pupil"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	for _, h := range o.Homework {
		h := h
		b := widget.NewButton("", func() { v.s.openHandins(h.ID, "", "") })
		title := widget.NewLabelWithStyle(h.Title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		title.Truncation = fyne.TextTruncateEllipsis
		due := widget.NewLabelWithStyle(T("homework.overview.due", "Date", hwShortDay(h.Due)), fyne.TextAlignCenter, fyne.TextStyle{})
		v.Columns = append(v.Columns, b)
		head = append(head, container.NewStack(b, container.NewVBox(title, due)))
	}
	head = append(head, widget.NewLabelWithStyle(T("homework.overview.sum_head"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	v.table.Add(container.New(cols, head...))

	for _, p := range o.Pupils {
		p := p
		r := &OverviewRow{Pupil: p, Name: widget.NewLabel(p.Name)}
		r.Name.Truncation = fyne.TextTruncateEllipsis
		objs := []fyne.CanvasObject{r.Name}
		for i, c := range p.Cells {
			if i >= len(o.Homework) {
				break
			}
			h := o.Homework[i]
			cell := newOverviewCell(c, func() { v.s.openHandinsAt(h.ID, p.Login, "", "") })
			r.Cells = append(r.Cells, cell)
			objs = append(objs, cell)
		}
		r.Sum = widget.NewLabel(T("homework.overview.sum", "Done", p.Done, "Open", p.Open, "Overdue", p.Overdue))
		objs = append(objs, r.Sum)
		v.Rows = append(v.Rows, r)
		v.table.Add(container.New(cols, objs...))
	}
	empty := len(o.Homework) == 0 || len(o.Pupils) == 0
	v.Empty.SetText(T("homework.overview.empty"))
	showIf(v.Empty, empty)
	v.table.Refresh()
	v.scroll.Refresh()
}

// Cell returns the cell of a pupil (by name) and a homework (by title),
// or nil.
func (v *HomeworkOverviewView) Cell(pupil, homework string) *OverviewCell {
	col := -1
	for i, h := range v.Overview.Homework {
		if h.Title == homework {
			col = i
		}
	}
	for _, r := range v.Rows {
		if r.Pupil.Name == pupil && col >= 0 && col < len(r.Cells) {
			return r.Cells[col]
		}
	}
	return nil
}

// OverviewCell is a pupil's state of one homework in the overview: the
// state's colour and name, and under it whether handed in, late and
// whether feedback is given. Tapping it opens the pupil's work.
type OverviewCell struct {
	widget.BaseWidget
	Cell     wire.HomeworkOverviewCell
	Feedback bool
	// Text is what the cell says, its lines joined with " · ".
	Text string

	bg    *canvas.Rectangle
	lines *fyne.Container
	onTap func()
}

func newOverviewCell(c wire.HomeworkOverviewCell, onTap func()) *OverviewCell {
	o := &OverviewCell{Cell: c, Feedback: c.Feedback, onTap: onTap}
	col := hwStateColour(c.State)
	o.bg = canvas.NewRectangle(col)
	o.bg.CornerRadius = 6
	o.bg.SetMinSize(fyne.NewSize(hwOverviewCell-8, 64))
	texts := []string{hwStateName(c.State)}
	var marks []string
	if c.HandedIn {
		marks = append(marks, T("homework.cell.handed_in"))
	}
	if c.Late {
		marks = append(marks, T("homework.cell.late"))
	}
	if len(marks) > 0 {
		texts = append(texts, strings.Join(marks, ", "))
	}
	if c.Feedback {
		texts = append(texts, T("homework.cell.feedback"))
	}
	o.Text = strings.Join(texts, " · ")
	o.lines = container.NewVBox()
	for i, t := range texts {
		ct := canvas.NewText(t, color.White)
		ct.Alignment = fyne.TextAlignCenter
		ct.TextSize = theme.CaptionTextSize()
		if i == 0 {
			ct.TextStyle.Bold = true
			ct.TextSize = theme.TextSize()
		}
		o.lines.Add(ct)
	}
	o.ExtendBaseWidget(o)
	return o
}

// CreateRenderer draws the cell.
func (o *OverviewCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(o.bg, container.NewCenter(o.lines)))
}

// Tapped opens the pupil's work on the homework.
func (o *OverviewCell) Tapped(*fyne.PointEvent) {
	if o.onTap != nil {
		o.onTap()
	}
}

// hwShortDay is "02.12." for a column head.
func hwShortDay(iso string) string {
	if d, ok := calParseDay(iso); ok {
		return d.Format("02.01.")
	}
	return iso
}
