package ui

import (
	"context"
	"errors"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// CalendarAPI is what the calendar screens need from the server. The
// calendars themselves come with every range of occurrences, so the
// screens need no call of their own for them.
type CalendarAPI interface {
	Occurrences(ctx context.Context, from, to string, calendars ...int64) (wire.Occurrences, error)
	CalendarEvent(ctx context.Context, id int64) (wire.Event, error)
	CreateEvent(ctx context.Context, calendarID int64, e wire.EventInput) (wire.Event, error)
	UpdateEvent(ctx context.Context, id int64, e wire.EventInput) (wire.Event, error)
	DeleteEvent(ctx context.Context, id int64) error
	CancelOccurrence(ctx context.Context, id int64, date string) error
	ChangeOccurrence(ctx context.Context, id int64, date string, e wire.EventInput) (wire.Event, error)
}

// calAgendaDays is how far the agenda looks ahead: a school term's
// excursions and parents' evenings, not the whole year.
const calAgendaDays = 90

func init() {
	registerTile(tile{key: wire.ModuleCalendar, title: "calendar.title", icon: theme.CalendarIcon, order: 20, module: true,
		open: func(u *UI) { u.showCalendar() }})
}

// CalendarScreen is the month view and the agenda of the school
// calendar, the person's classes and groups and their own calendar, each
// in its colour, with a legend that also filters. Tapping a day lists
// its events beside the grid; tapping an event opens it (EventView),
// where it can be changed or deleted; "Neuer Termin" opens the editor
// (EventEditor) for the selected day.
type CalendarScreen struct {
	Month    *widget.Label  // "November 2026"
	Prev     *widget.Button // to the month before (named on the button)
	Next     *widget.Button
	Today    *widget.Button
	New      *widget.Button
	Tabs     *container.AppTabs // month and agenda
	Weekdays []*widget.Label    // Mo … So
	Days     []*CalendarDay     // 42 days: six weeks from the Monday before the 1st
	// Filter has a check per calendar (by id), in its colour: the legend.
	Filter     map[int64]*widget.Check
	DayTitle   *widget.Label
	DayRows    []*CalendarRow // the selected day's events
	AgendaRows []*CalendarRow // the coming events
	Message    *widget.Label  // the server's German answer, or a note

	// Event and Editor are shown instead of month and agenda while they
	// are open (nil otherwise).
	Event  *EventView
	Editor *EventEditor

	month     time.Time // the first of the month shown
	selected  time.Time
	calendars []wire.Calendar
	monthOccs []wire.Occurrence
	agenda    []wire.Occurrence
	hidden    map[int64]bool // calendars switched off in the legend

	side      *container.Scroll // legend and day list
	agendaBar *container.Scroll
	legend    *fyne.Container
	dayList   *fyne.Container
	agendaBox *fyne.Container
	content   fyne.CanvasObject
	u         *UI
}

// CalendarRow is an event in the day list or the agenda: a big button
// with the time and the title, beside a mark in its calendar's colour.
// The text is a label over the button, because a button does not
// shorten its text and a long title would widen the whole window.
type CalendarRow struct {
	Occurrence wire.Occurrence
	Open       *widget.Button
	Text       *widget.Label // time and title, shortened to fit
}

// Day returns the grid cell of a date, or nil if the month view does not
// show it.
func (s *CalendarScreen) Day(date time.Time) *CalendarDay {
	date = calDay(date)
	for _, d := range s.Days {
		if d.Date.Equal(date) {
			return d
		}
	}
	return nil
}

// Selected is the day whose events are listed.
func (s *CalendarScreen) Selected() time.Time { return s.selected }

func (u *UI) showCalendar() {
	today := u.calToday()
	s := &CalendarScreen{u: u, month: calMonthStart(today), selected: today,
		Filter: map[int64]*widget.Check{}, hidden: map[int64]bool{}}
	s.Month = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.Prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { s.showMonth(s.month.AddDate(0, -1, 0)) })
	s.Next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { s.showMonth(s.month.AddDate(0, 1, 0)) })
	s.Next.IconPlacement = widget.ButtonIconTrailingText
	s.Today = widget.NewButton(T("calendar.today"), func() {
		s.selected = u.calToday()
		s.showMonth(calMonthStart(s.selected))
	})
	s.New = widget.NewButtonWithIcon(T("calendar.new"), theme.ContentAddIcon(), func() { s.openEditor(nil) })
	s.New.Importance = widget.HighImportance
	s.Message = widget.NewLabel("")
	s.Message.Wrapping = fyne.TextWrapWord
	s.Message.Hide()

	header := container.NewGridWithColumns(7)
	for i := 0; i < 7; i++ {
		l := widget.NewLabelWithStyle(calWeekdayShort(i), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		s.Weekdays = append(s.Weekdays, l)
		header.Add(l)
	}
	grid := container.NewGridWithColumns(7)
	for i := 0; i < 42; i++ {
		d := newCalendarDay(s.selectDay, s.colourOf)
		s.Days = append(s.Days, d)
		grid.Add(d)
	}
	monthView := container.NewBorder(header, nil, nil, nil, grid)

	s.agendaBox = container.NewVBox()
	s.agendaBar = container.NewVScroll(container.NewPadded(s.agendaBox))
	s.Tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(T("calendar.tab.month"), theme.GridIcon(), monthView),
		container.NewTabItemWithIcon(T("calendar.tab.agenda"), theme.ListIcon(), s.agendaBar),
	)

	s.legend = container.NewVBox()
	s.DayTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.DayTitle.Wrapping = fyne.TextWrapWord
	s.dayList = container.NewVBox()
	s.side = container.NewVScroll(container.NewPadded(container.NewVBox(
		widget.NewLabelWithStyle(T("calendar.legend"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		s.legend, widget.NewSeparator(), s.DayTitle, s.dayList)))

	split := container.NewHSplit(s.Tabs, s.side)
	split.Offset = 0.72
	top := container.NewHBox(s.Prev, s.Month, s.Next, s.Today, spacer(), s.New)
	s.content = container.NewBorder(container.NewPadded(top), s.Message, nil, nil, split)

	s.layoutMonth()
	u.setScreen(wire.ModuleCalendar, s)
	s.back()
	s.load(true, "")
}

// back shows the month and agenda again (after an event or the editor).
func (s *CalendarScreen) back() {
	s.Event, s.Editor = nil, nil
	s.u.openScreen(T("calendar.title"), s.content)
}

// showMonth moves the grid to a month and loads its events.
func (s *CalendarScreen) showMonth(month time.Time) {
	s.month = calMonthStart(month)
	if s.selected.Before(calGridStart(s.month)) || !s.selected.Before(calGridStart(s.month).AddDate(0, 0, 42)) {
		s.selected = s.month
		if today := s.u.calToday(); calMonthStart(today).Equal(s.month) {
			s.selected = today
		}
	}
	s.monthOccs = nil
	s.layoutMonth()
	s.load(false, "")
}

// load asks for the month shown and, with agenda, the coming weeks; note
// is shown under the calendar when they are there.
func (s *CalendarScreen) load(agenda bool, note string) {
	from := calGridStart(s.month)
	to := from.AddDate(0, 0, 42)
	today := s.u.calToday()
	month := s.month
	var got, coming wire.Occurrences
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		got, err = s.u.api.Occurrences(ctx, from.Format(calDateLayout), to.Format(calDateLayout))
		if err != nil || !agenda {
			return err
		}
		coming, err = s.u.api.Occurrences(ctx, today.Format(calDateLayout), today.AddDate(0, 0, calAgendaDays).Format(calDateLayout))
		return err
	}, func(err error) {
		if err != nil {
			s.showError(err)
			return
		}
		s.note(note)
		if got.Truncated || coming.Truncated {
			s.note(T("calendar.truncated"))
		}
		s.setCalendars(got.Calendars)
		if agenda {
			s.agenda = coming.List
			s.layoutAgenda()
		}
		// The person may have gone on to another month meanwhile; its
		// own answer is on the way.
		if month.Equal(s.month) {
			s.monthOccs = got.List
			s.layoutMonth()
		}
	})
}

// showError puts the server's German answer under the calendar; an
// ended session goes back to the login.
func (s *CalendarScreen) showError(err error) {
	if calSessionGone(err) {
		s.u.handle(err)
		return
	}
	s.note(calErrorText(err))
}

// note shows a line under the calendar; without one the line takes no
// room (the month needs the height).
func (s *CalendarScreen) note(text string) {
	s.Message.SetText(text)
	if text == "" {
		s.Message.Hide()
	} else {
		s.Message.Show()
	}
	if c, ok := s.content.(*fyne.Container); ok {
		c.Refresh()
	}
}

// setCalendars renews the legend; calendars switched off stay off.
func (s *CalendarScreen) setCalendars(list []wire.Calendar) {
	s.calendars = list
	s.legend.Objects = nil
	s.Filter = map[int64]*widget.Check{}
	for _, c := range list {
		id := c.ID
		chk := widget.NewCheck(calName(c), func(on bool) {
			s.hidden[id] = !on
			s.layoutMonth()
			s.layoutAgenda()
		})
		chk.Checked = !s.hidden[id]
		s.Filter[id] = chk
		s.legend.Add(container.NewBorder(nil, nil, container.NewCenter(calSwatch(calColour(c.Colour))), nil, chk))
	}
	s.legend.Refresh()
}

// calendar returns a calendar by id.
func (s *CalendarScreen) calendar(id int64) (wire.Calendar, bool) {
	for _, c := range s.calendars {
		if c.ID == id {
			return c, true
		}
	}
	return wire.Calendar{}, false
}

func (s *CalendarScreen) colourOf(id int64) color.Color {
	c, _ := s.calendar(id)
	return calColour(c.Colour)
}

// visible filters occurrences by the legend.
func (s *CalendarScreen) visible(list []wire.Occurrence) []wire.Occurrence {
	out := make([]wire.Occurrence, 0, len(list))
	for _, o := range list {
		if !s.hidden[o.CalendarID] {
			out = append(out, o)
		}
	}
	return out
}

// layoutMonth fills the grid: each event on every day it touches.
func (s *CalendarScreen) layoutMonth() {
	s.Month.SetText(calMonthTitle(s.month))
	s.Prev.SetText(calMonthName(s.month.AddDate(0, -1, 0).Month()))
	s.Next.SetText(calMonthName(s.month.AddDate(0, 1, 0).Month()))
	start := calGridStart(s.month)
	byDay := map[time.Time][]wire.Occurrence{}
	for _, o := range s.visible(s.monthOccs) {
		first, last, ok := calSpan(o)
		if !ok {
			continue
		}
		if first.Before(start) {
			first = start
		}
		for d := first; !d.After(last) && d.Before(start.AddDate(0, 0, 42)); d = d.AddDate(0, 0, 1) {
			byDay[d] = append(byDay[d], o)
		}
	}
	today := s.u.calToday()
	for i, cell := range s.Days {
		day := start.AddDate(0, 0, i)
		cell.set(day, day.Month() == s.month.Month(), day.Equal(today), day.Equal(s.selected), byDay[day])
	}
	s.layoutDay()
}

// selectDay lists a day's events beside the grid.
func (s *CalendarScreen) selectDay(day time.Time) {
	s.u.touch()
	s.selected = calDay(day)
	for _, d := range s.Days {
		if d.Selected != d.Date.Equal(s.selected) {
			d.setSelected(d.Date.Equal(s.selected))
		}
	}
	s.layoutDay()
}

func (s *CalendarScreen) layoutDay() {
	title := calLongDate(s.selected)
	if s.selected.Equal(s.u.calToday()) {
		title = T("calendar.today_is", "Date", title)
	}
	s.DayTitle.SetText(title)
	s.DayRows = nil
	s.dayList.Objects = nil
	if d := s.Day(s.selected); d != nil {
		for _, o := range d.Occurrences {
			r := s.row(o)
			s.DayRows = append(s.DayRows, r)
			s.dayList.Add(s.rowObject(r))
		}
	}
	if len(s.DayRows) == 0 {
		empty := widget.NewLabel(T("calendar.day.empty"))
		empty.Wrapping = fyne.TextWrapWord
		s.dayList.Add(empty)
	}
	// The list lays out its new rows, the scroll around it its new height.
	s.dayList.Refresh()
	s.side.Refresh()
}

// layoutAgenda lists the coming events by day.
func (s *CalendarScreen) layoutAgenda() {
	s.AgendaRows = nil
	s.agendaBox.Objects = nil
	today := s.u.calToday()
	var last time.Time
	for _, o := range s.visible(s.agenda) {
		day, _, ok := calSpan(o)
		if !ok {
			continue
		}
		if day.Before(today) {
			day = today // began earlier and still goes on
		}
		if !day.Equal(last) {
			heading := calLongDate(day)
			if day.Equal(today) {
				heading = T("calendar.today_is", "Date", heading)
			}
			if len(s.agendaBox.Objects) > 0 {
				s.agendaBox.Add(widget.NewSeparator())
			}
			s.agendaBox.Add(widget.NewLabelWithStyle(heading, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
			last = day
		}
		r := s.row(o)
		s.AgendaRows = append(s.AgendaRows, r)
		s.agendaBox.Add(s.rowObject(r))
	}
	if len(s.AgendaRows) == 0 {
		s.agendaBox.Add(widget.NewLabel(T("calendar.agenda.empty")))
	}
	s.agendaBox.Refresh()
	s.agendaBar.Refresh()
}

func (s *CalendarScreen) row(o wire.Occurrence) *CalendarRow {
	r := &CalendarRow{Occurrence: o}
	r.Open = widget.NewButton("", func() { s.openEvent(o) })
	r.Text = widget.NewLabelWithStyle(calWhen(o.AllDay, o.Start, o.End)+"  "+o.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.Text.Truncation = fyne.TextTruncateEllipsis
	return r
}

func (s *CalendarScreen) rowObject(r *CalendarRow) fyne.CanvasObject {
	return container.NewBorder(nil, nil, container.NewCenter(calSwatch(s.colourOf(r.Occurrence.CalendarID))), nil,
		container.NewStack(r.Open, r.Text))
}

// writable are the calendars the person may add events to: the editor
// offers only these.
func (s *CalendarScreen) writable() []wire.Calendar {
	var out []wire.Calendar
	for _, c := range s.calendars {
		if c.Writable {
			out = append(out, c)
		}
	}
	return out
}

// reload brings month and agenda up to date after a change and shows
// them with a note.
func (s *CalendarScreen) reload(note string) {
	s.back()
	s.load(true, note)
}

// calErrorText is the German answer of the server, or the client's own
// message for a mistake it found itself.
func calErrorText(err error) string {
	if errors.Is(err, errLocal) {
		return err.Error()
	}
	return serverapi.Message(err)
}

// calSessionGone tells errors that end the session: those go to u.handle
// (back to the login), all others are shown where they happened.
func calSessionGone(err error) bool {
	c := serverapi.Code(err)
	return c == wire.CodeUnauthenticated || c == wire.CodeAccountLocked
}
