package ui

import (
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// calChipsPerDay is how many lines of entries a day of the month grid
// shows, the last one "+2 weitere" when there are more: a grid cell is
// small, the day list beside the grid shows all.
const calChipsPerDay = 3

// calChipRunes is where an entry's title is cut in the grid (a canvas
// text does not truncate itself).
const calChipRunes = 16

// CalendarDay is one day of the month grid: its number, today marked,
// and the day's events as small entries in their calendar's colour. The
// whole cell is one big target: tapping it shows the day's events in
// the list beside the grid, where each has a button of its own.
type CalendarDay struct {
	widget.BaseWidget

	Date     time.Time
	InMonth  bool // days of the neighbouring months are shown pale
	Today    bool
	Selected bool
	// Occurrences are the day's events as the filter lets them through.
	Occurrences []wire.Occurrence
	// Chips are the texts drawn in the cell: the first titles, then
	// "+N weitere".
	Chips []*canvas.Text

	bg     *canvas.Rectangle
	number *canvas.Text
	list   *fyne.Container
	box    *fyne.Container
	onTap  func(day time.Time)
	colour func(calendarID int64) color.Color
}

func newCalendarDay(onTap func(time.Time), colour func(int64) color.Color) *CalendarDay {
	d := &CalendarDay{onTap: onTap, colour: colour}
	d.bg = canvas.NewRectangle(color.Transparent)
	d.bg.CornerRadius = 4
	// Six weeks of cells, the bars and the tabs must fit a window on a
	// 1366×768 school laptop.
	d.bg.SetMinSize(fyne.NewSize(96, 80))
	d.number = canvas.NewText("", color.Black)
	// Tight lines: the day's number and three lines of entries.
	d.list = container.New(layout.NewCustomPaddedVBoxLayout(1))
	d.box = container.NewStack(d.bg, container.New(layout.NewCustomPaddedLayout(3, 3, 4, 4), d.list))
	d.ExtendBaseWidget(d)
	return d
}

// CreateRenderer draws the cell.
func (d *CalendarDay) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(d.box)
}

// Tapped selects the day.
func (d *CalendarDay) Tapped(*fyne.PointEvent) {
	if d.onTap != nil {
		d.onTap(d.Date)
	}
}

// set shows a day with its events.
func (d *CalendarDay) set(day time.Time, inMonth, today, selected bool, occs []wire.Occurrence) {
	d.Date, d.InMonth, d.Today, d.Selected, d.Occurrences = day, inMonth, today, selected, occs
	d.render()
}

// select marks the day as the one whose events are listed.
func (d *CalendarDay) setSelected(on bool) {
	d.Selected = on
	d.render()
}

func (d *CalendarDay) render() {
	th := d.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	primary := th.Color(theme.ColorNamePrimary, v)
	fg := th.Color(theme.ColorNameForeground, v)

	d.number.Text = strconv.Itoa(d.Date.Day())
	d.number.TextSize = th.Size(theme.SizeNameText)
	d.number.TextStyle = fyne.TextStyle{Bold: d.Today}
	switch {
	case d.Today:
		d.number.Color = primary
	case d.InMonth:
		d.number.Color = fg
	default:
		d.number.Color = th.Color(theme.ColorNameDisabled, v)
	}

	d.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
	if !d.InMonth {
		d.bg.FillColor = color.Transparent
	}
	if d.Today {
		r, g, b, _ := primary.RGBA()
		d.bg.FillColor = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x30}
	}
	d.bg.StrokeWidth = 0
	if d.Selected {
		d.bg.StrokeColor = primary
		d.bg.StrokeWidth = 3
	}

	d.Chips = nil
	objs := make([]fyne.CanvasObject, 0, calChipsPerDay+1)
	objs = append(objs, d.number)
	small := th.Size(theme.SizeNameCaptionText)
	shown := d.Occurrences
	if len(shown) > calChipsPerDay {
		// Two entries and "+N weitere" fit where three entries do.
		shown = shown[:calChipsPerDay-1]
	}
	for _, o := range shown {
		title := o.Title
		if c := calClock(o.Start); !o.AllDay && c != "" {
			if first, ok := calParseDay(o.Start); ok && first.Equal(d.Date) {
				title = c + " " + title
			}
		}
		txt := canvas.NewText(calCut(title, calChipRunes), color.White)
		txt.TextSize = small
		bg := canvas.NewRectangle(d.colour(o.CalendarID))
		bg.CornerRadius = 3
		d.Chips = append(d.Chips, txt)
		objs = append(objs, container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(1, 1, 3, 3), txt)))
	}
	if n := len(d.Occurrences) - len(shown); n > 0 {
		more := canvas.NewText(T("calendar.more", "Count", n), fg)
		more.TextSize = small
		d.Chips = append(d.Chips, more)
		objs = append(objs, more)
	}
	d.list.Objects = objs
	d.list.Refresh()
	d.box.Refresh()
}

// calCut shortens a text to n characters with an ellipsis.
func calCut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// calSwatch is a small square in a calendar's colour (legend, lists).
func calSwatch(c color.Color) *canvas.Rectangle {
	r := canvas.NewRectangle(c)
	r.CornerRadius = 3
	r.SetMinSize(fyne.NewSize(14, 14))
	return r
}

// calNarrow keeps a form at a readable width on a wide window: a title
// field across 1100 pixels is hard to read, and a row of buttons far
// apart is hard to find. Unlike a grid cell of fixed size, it follows
// the form's height when parts show or hide.
type calNarrow struct{ width float32 }

func (l calNarrow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if o.Visible() {
			s = s.Max(o.MinSize())
		}
	}
	return s
}

func (l calNarrow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		w := max(o.MinSize().Width, min(size.Width, l.width))
		o.Resize(fyne.NewSize(w, size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

// calNarrowed puts a form into calNarrow.
func calNarrowed(width float32, form fyne.CanvasObject) *fyne.Container {
	return container.New(calNarrow{width: width}, form)
}
