package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"kaspel/shared/wire"
)

// EventView shows one event: what, when, where, in which calendar, how
// it repeats; and to those who may change its calendar the buttons to
// edit and delete it, or to change or delete only the day tapped of a
// series. Deleting asks
// first, on the same screen (a child who tapped by mistake says "Nein").
type EventView struct {
	Title       *widget.Label
	When        *widget.Label
	Calendar    *widget.Label
	Location    *widget.Label
	Description *widget.Label
	Repeat      *widget.Label
	ReadOnly    *widget.Label // "you can only look at it"

	Edit      *widget.Button
	ChangeOne *widget.Button // series only: change just the day tapped
	DeleteOne *widget.Button // series only: just the day tapped
	Delete    *widget.Button // the event, or the whole series
	Back      *widget.Button

	Question *widget.Label
	Yes      *widget.Button
	No       *widget.Button
	Message  *widget.Label // the server's answer

	Occurrence wire.Occurrence // the day that was tapped
	Event      wire.Event

	confirmed func()
	box       *fyne.Container
}

// openEvent loads an event (for its series and version) and shows it.
func (s *CalendarScreen) openEvent(o wire.Occurrence) {
	var ev wire.Event
	s.u.runInSession(func(ctx context.Context) error {
		var err error
		ev, err = s.u.api.CalendarEvent(ctx, o.EventID)
		return err
	}, func(err error) {
		if err != nil {
			s.showError(err)
			return
		}
		s.showEvent(o, ev)
	})
}

func (s *CalendarScreen) showEvent(o wire.Occurrence, ev wire.Event) {
	u := s.u
	v := &EventView{Occurrence: o, Event: ev}
	v.Title = widget.NewLabelWithStyle(ev.Title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Title.SizeName = theme.SizeNameSubHeadingText
	v.Title.Wrapping = fyne.TextWrapWord
	day, _ := calParseDay(o.Date)
	when := calWhen(o.AllDay, o.Start, o.End)
	if first, last, ok := calSpan(o); ok && first.Equal(last) {
		when = calLongDate(day) + ", " + when
	}
	v.When = widget.NewLabel(when)
	cal, _ := s.calendar(ev.CalendarID)
	v.Calendar = widget.NewLabel(T("calendar.detail.calendar", "Name", calName(cal)))
	v.Location = widget.NewLabel(T("calendar.detail.location", "Place", ev.Location))
	v.Location.Wrapping = fyne.TextWrapWord
	v.Description = widget.NewLabel(ev.Description)
	v.Description.Wrapping = fyne.TextWrapWord
	v.Repeat = widget.NewLabel(calRepeatText(ev.Recurrence))
	v.ReadOnly = widget.NewLabel(T("calendar.readonly"))
	v.Message = widget.NewLabel("")
	v.Message.Wrapping = fyne.TextWrapWord
	v.Question = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Question.Wrapping = fyne.TextWrapWord

	v.Back = widget.NewButtonWithIcon(T("nav.back"), theme.NavigateBackIcon(), s.back)
	v.Edit = widget.NewButtonWithIcon(T("calendar.edit"), theme.DocumentCreateIcon(), func() { s.openEditor(&v.Event) })
	v.Edit.Importance = widget.HighImportance
	recurring := ev.Recurrence != nil
	deleteText := T("calendar.delete")
	if recurring {
		deleteText = T("calendar.delete_all")
	}
	v.Delete = widget.NewButtonWithIcon(deleteText, theme.DeleteIcon(), func() {
		q := T("calendar.confirm.delete", "Title", ev.Title)
		if recurring {
			q = T("calendar.confirm.delete_all", "Title", ev.Title)
		}
		v.ask(q, func() { s.deleteEvent(v) })
	})
	v.ChangeOne = widget.NewButtonWithIcon(T("calendar.change_one"), theme.DocumentCreateIcon(), func() { s.openOccurrenceEditor(v) })
	v.DeleteOne = widget.NewButtonWithIcon(T("calendar.delete_one"), theme.ContentRemoveIcon(), func() {
		v.ask(T("calendar.confirm.delete_one", "Title", ev.Title, "Date", calLongDate(day)), func() { s.cancelOccurrence(v) })
	})
	v.Yes = widget.NewButton(T("calendar.confirm.yes"), func() {
		if f := v.confirmed; f != nil {
			v.confirmed = nil
			v.hideQuestion()
			f()
		}
	})
	v.Yes.Importance = widget.DangerImportance
	v.No = widget.NewButton(T("calendar.confirm.no"), v.hideQuestion)
	v.hideQuestion()

	if ev.Location == "" {
		v.Location.Hide()
	}
	if ev.Description == "" {
		v.Description.Hide()
	}
	if !recurring {
		v.Repeat.Hide()
		v.ChangeOne.Hide()
		v.DeleteOne.Hide()
	}
	if ev.Writable {
		v.ReadOnly.Hide()
	} else {
		v.Edit.Hide()
		v.Delete.Hide()
		v.ChangeOne.Hide()
		v.DeleteOne.Hide()
	}

	swatch := calSwatch(calColour(cal.Colour))
	swatch.SetMinSize(fyne.NewSize(18, 18))
	v.box = container.NewVBox(
		v.Title,
		container.NewBorder(nil, nil, container.NewCenter(swatch), nil, v.Calendar),
		v.When, v.Repeat, v.Location, v.Description, v.ReadOnly,
		widget.NewSeparator(),
		container.NewHBox(v.Edit, v.ChangeOne, v.DeleteOne, v.Delete),
		v.Question, container.NewHBox(v.Yes, v.No),
		v.Message,
		widget.NewSeparator(),
		container.NewHBox(v.Back),
	)
	s.Event, s.Editor = v, nil
	u.openScreen(T("calendar.title"), container.NewVScroll(container.NewPadded(v.box)))
}

// ask shows a question with "Ja, löschen" and "Nein".
func (v *EventView) ask(question string, action func()) {
	v.confirmed = action
	v.Message.SetText("")
	v.Question.SetText(question)
	v.Question.Show()
	v.Yes.Show()
	v.No.Show()
	v.box.Refresh()
}

func (v *EventView) hideQuestion() {
	v.confirmed = nil
	v.Question.Hide()
	v.Yes.Hide()
	v.No.Hide()
	if v.box != nil {
		v.box.Refresh()
	}
}

func (s *CalendarScreen) deleteEvent(v *EventView) {
	id := v.Event.ID
	s.u.runInSession(func(ctx context.Context) error { return s.u.api.DeleteEvent(ctx, id) }, func(err error) {
		if err != nil {
			v.fail(s.u, err)
			return
		}
		s.reload(T("calendar.deleted", "Title", v.Event.Title))
	})
}

func (s *CalendarScreen) cancelOccurrence(v *EventView) {
	id, date := v.Event.ID, v.Occurrence.Date
	s.u.runInSession(func(ctx context.Context) error { return s.u.api.CancelOccurrence(ctx, id, date) }, func(err error) {
		if err != nil {
			v.fail(s.u, err)
			return
		}
		day, _ := calParseDay(date)
		s.reload(T("calendar.deleted_one", "Title", v.Event.Title, "Date", calLongDate(day)))
	})
}

// fail shows the server's answer on the event.
func (v *EventView) fail(u *UI, err error) {
	if calSessionGone(err) {
		u.handle(err)
		return
	}
	v.Message.SetText(calErrorText(err))
}

// calRepeatText says how a series repeats: "jede Woche bis 15.07.2027".
func calRepeatText(r *wire.Recurrence) string {
	if r == nil {
		return ""
	}
	text := T("calendar.repeat." + r.Freq)
	if r.Interval > 1 {
		text = T("calendar.repeats.n."+r.Freq, "N", r.Interval)
	}
	switch {
	case r.Until != "":
		if t, ok := calParseDay(r.Until); ok {
			text = T("calendar.repeats.until", "Repeat", text, "Date", calShortDate(t))
		}
	case r.Count > 0:
		text = T("calendar.repeats.count", "Repeat", text, "Count", r.Count)
	}
	return T("calendar.repeats", "Repeat", text)
}

// calFreqs are the repeats the editor offers, "" for none.
var calFreqs = []string{"", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"}

// calByDay are the API's weekday codes, Monday first.
var calByDay = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// EventEditor creates and changes an event. It offers only the calendars
// the person may write (a pupil has their own; a class teacher also the
// class's), and starts new events in the personal calendar so that
// nothing lands in a class's or the public calendar by accident. Dates
// are typed as people write them (27.11.2026), times as 8:30.
type EventEditor struct {
	Title       *widget.Entry
	Calendar    *widget.Select
	AllDay      *widget.Check
	StartDate   *widget.Entry
	EndDate     *widget.Entry // the last day; empty: the same day
	StartTime   *widget.Entry
	EndTime     *widget.Entry // empty: an hour after the start
	Location    *widget.Entry
	Description *widget.Entry
	Repeat      *widget.Select
	Until       *widget.Entry // the last day of a series; empty: no end
	Save        *widget.Button
	Cancel      *widget.Button
	Message     *widget.Label // a mistake, or the server's German answer

	calendars []wire.Calendar // the writable ones, as in Calendar.Options
	event     *wire.Event     // nil for a new one
	// occurrence, if set, is the one day of the series event that is
	// changed: saving replaces it by a single event in the series'
	// calendar ("Nur diesen Termin ändern").
	occurrence *wire.Occurrence
	times      *fyne.Container
	repeatRow  *fyne.Container
	untilRow   *fyne.Container
	box        *fyne.Container
}

// openEditor shows the editor for a new event (ev nil) on the selected
// day, or for an event to change.
func (s *CalendarScreen) openEditor(ev *wire.Event) { s.showEditor(ev, nil) }

// openOccurrenceEditor shows the editor for only the day of the series
// that the view shows: filled with that day's date and times, without
// the repeat, in the series' calendar.
func (s *CalendarScreen) openOccurrenceEditor(v *EventView) {
	ev, o := v.Event, v.Occurrence
	s.showEditor(&ev, &o)
}

func (s *CalendarScreen) showEditor(ev *wire.Event, occ *wire.Occurrence) {
	u := s.u
	e := &EventEditor{calendars: s.writable(), event: ev, occurrence: occ}
	touch := func(string) { u.touch() }
	entry := func() *widget.Entry {
		en := widget.NewEntry()
		en.OnChanged = touch
		return en
	}
	e.Title = entry()
	e.Title.SetPlaceHolder(T("calendar.field.title_hint"))
	var names []string
	for _, c := range e.calendars {
		names = append(names, calName(c))
	}
	e.Calendar = widget.NewSelect(names, func(string) { u.touch() })
	e.StartDate, e.EndDate, e.StartTime, e.EndTime = entry(), entry(), entry(), entry()
	e.Until = entry()
	for _, en := range []*widget.Entry{e.StartDate, e.EndDate, e.Until} {
		en.SetPlaceHolder(T("calendar.date.hint"))
	}
	e.StartTime.SetPlaceHolder(T("calendar.time.hint"))
	e.EndTime.SetPlaceHolder(T("calendar.time.hint"))
	e.Location = entry()
	e.Description = widget.NewMultiLineEntry()
	e.Description.OnChanged = touch
	e.Description.SetMinRowsVisible(3)
	e.Description.Wrapping = fyne.TextWrapWord
	var repeats []string
	for _, f := range calFreqs {
		repeats = append(repeats, calFreqName(f))
	}
	e.Repeat = widget.NewSelect(repeats, func(string) {
		u.touch()
		e.showParts()
	})
	e.AllDay = widget.NewCheck(T("calendar.field.allday"), func(bool) {
		u.touch()
		e.showParts()
	})
	e.Message = widget.NewLabel("")
	e.Message.Wrapping = fyne.TextWrapWord
	e.Save = widget.NewButtonWithIcon(T("calendar.save"), theme.DocumentSaveIcon(), func() { s.saveEvent(e) })
	e.Save.Importance = widget.HighImportance
	e.Cancel = widget.NewButtonWithIcon(T("calendar.cancel"), theme.CancelIcon(), func() {
		if e.event != nil && s.Event != nil {
			s.showEvent(s.Event.Occurrence, *e.event)
			return
		}
		s.back()
	})

	title := T("calendar.new")
	switch {
	case occ != nil:
		day, _ := calParseDay(occ.Date)
		title = T("calendar.change_one_title", "Date", calLongDate(day))
		one := *ev
		one.Start, one.End, one.AllDay, one.Recurrence = occ.Start, occ.End, occ.AllDay, nil
		e.fill(one)
		// The changed day stays in the series' calendar.
		e.Calendar.Disable()
	case ev == nil:
		e.pickCalendar(0)
		e.StartDate.SetText(calShortDate(s.selected))
		e.StartTime.SetText("08:00")
		e.EndTime.SetText("09:00")
		e.Repeat.SetSelectedIndex(0)
	default:
		title = T("calendar.edit_title")
		e.fill(*ev)
	}

	field := func(label string, w fyne.CanvasObject) fyne.CanvasObject {
		return container.NewVBox(widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), w)
	}
	e.times = container.NewGridWithColumns(2, field(T("calendar.field.start_time"), e.StartTime), field(T("calendar.field.end_time"), e.EndTime))
	e.repeatRow = container.NewVBox(field(T("calendar.field.repeat"), e.Repeat))
	e.untilRow = container.NewVBox(field(T("calendar.field.until"), u.datePick(e.Until).object()))
	box := container.NewVBox(
		field(T("calendar.field.title"), e.Title),
		field(T("calendar.field.calendar"), e.Calendar),
		container.NewGridWithColumns(2, field(T("calendar.field.start_date"), u.datePick(e.StartDate).object()), field(T("calendar.field.end_date"), u.datePick(e.EndDate).object())),
		e.AllDay,
		e.times,
		field(T("calendar.field.location"), e.Location),
		field(T("calendar.field.description"), e.Description),
		e.repeatRow,
		e.untilRow,
		e.Message,
		container.NewHBox(e.Save, e.Cancel),
	)
	e.box = box
	e.showParts()
	s.Editor = e
	u.openScreen(title, container.NewVScroll(container.NewPadded(calNarrowed(560, box))))
	u.win.Canvas().Focus(e.Title)
}

// pickCalendar selects a calendar by id; 0 (or one not offered) selects
// the personal calendar, else the first offered.
func (e *EventEditor) pickCalendar(id int64) {
	i := slices.IndexFunc(e.calendars, func(c wire.Calendar) bool { return c.ID == id })
	if i < 0 {
		i = slices.IndexFunc(e.calendars, func(c wire.Calendar) bool { return c.Kind == wire.CalendarPersonal })
	}
	if i < 0 && len(e.calendars) > 0 {
		i = 0
	}
	if i >= 0 {
		e.Calendar.SetSelectedIndex(i)
	}
}

// fill puts an event's fields into the editor.
func (e *EventEditor) fill(ev wire.Event) {
	e.Title.SetText(ev.Title)
	e.pickCalendar(ev.CalendarID)
	e.AllDay.SetChecked(ev.AllDay)
	first, _ := calParseDay(ev.Start)
	last, ok := calParseDay(ev.End)
	e.StartDate.SetText(calShortDate(first))
	if ok && last.After(first) {
		e.EndDate.SetText(calShortDate(last))
	}
	if !ev.AllDay {
		e.StartTime.SetText(calClock(ev.Start))
		e.EndTime.SetText(calClock(ev.End))
	}
	e.Location.SetText(ev.Location)
	e.Description.SetText(ev.Description)
	freq := ""
	if ev.Recurrence != nil {
		freq = ev.Recurrence.Freq
		if t, ok := calParseDay(ev.Recurrence.Until); ok {
			e.Until.SetText(calShortDate(t))
		}
	}
	if i := slices.Index(calFreqs, freq); i >= 0 {
		e.Repeat.SetSelectedIndex(i)
	}
}

// showParts shows the times only for timed events, the end of a series
// only for series, and no repeat for one day of a series.
func (e *EventEditor) showParts() {
	if e.times == nil || e.repeatRow == nil || e.untilRow == nil || e.box == nil {
		return
	}
	if e.occurrence != nil {
		e.repeatRow.Hide()
	}
	if e.AllDay.Checked {
		e.times.Hide()
	} else {
		e.times.Show()
	}
	if e.freq() == "" || e.occurrence != nil {
		e.untilRow.Hide()
	} else {
		e.untilRow.Show()
	}
	// A part shown again needs its place in the form.
	if e.box != nil {
		e.box.Refresh()
	}
}

// freq is the chosen repeat ("" for none).
func (e *EventEditor) freq() string {
	i := e.Repeat.SelectedIndex()
	if i < 0 {
		return ""
	}
	return calFreqs[i]
}

func calFreqName(f string) string {
	if f == "" {
		return T("calendar.repeat.none")
	}
	return T("calendar.repeat." + f)
}

// input reads the editor into what the API takes, or says what is wrong.
func (e *EventEditor) input() (int64, wire.EventInput, time.Time, error) {
	var in wire.EventInput
	i := e.Calendar.SelectedIndex()
	if i < 0 || i >= len(e.calendars) {
		return 0, in, time.Time{}, userError(T("calendar.pick_calendar"))
	}
	calID := e.calendars[i].ID
	in.Title = strings.TrimSpace(e.Title.Text)
	in.Location = strings.TrimSpace(e.Location.Text)
	in.Description = strings.TrimSpace(e.Description.Text)
	in.AllDay = e.AllDay.Checked
	badDate := func(field string) error { return userError(T("calendar.bad_date", "Field", field)) }
	badTime := func(field string) error { return userError(T("calendar.bad_time", "Field", field)) }
	start, ok := calInputDate(e.StartDate.Text)
	if !ok {
		return 0, in, start, badDate(T("calendar.field.start_date"))
	}
	last := start
	if strings.TrimSpace(e.EndDate.Text) != "" {
		if last, ok = calInputDate(e.EndDate.Text); !ok {
			return 0, in, start, badDate(T("calendar.field.end_date"))
		}
	}
	if in.AllDay {
		in.Start, in.End = start.Format(calDateLayout), last.Format(calDateLayout)
	} else {
		h, m, ok := calInputClock(e.StartTime.Text)
		if !ok {
			return 0, in, start, badTime(T("calendar.field.start_time"))
		}
		begin := start.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
		end := begin.Add(time.Hour)
		if strings.TrimSpace(e.EndTime.Text) != "" {
			h, m, ok := calInputClock(e.EndTime.Text)
			if !ok {
				return 0, in, start, badTime(T("calendar.field.end_time"))
			}
			end = last.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
		}
		in.Start, in.End = begin.Format(calWallLayout), end.Format(calWallLayout)
	}
	if f := e.freq(); f != "" && e.occurrence == nil {
		r := &wire.Recurrence{Freq: f}
		// What the editor does not show of a series (every other week,
		// several weekdays, a number of times) stays as it was.
		if e.event != nil && e.event.Recurrence != nil && e.event.Recurrence.Freq == f {
			old := e.event.Recurrence
			r.Interval, r.Count = old.Interval, old.Count
			if f == "WEEKLY" && slices.Contains(old.ByDay, calByDay[calWeekdayIndex(start)]) {
				r.ByDay = old.ByDay
			}
		}
		if strings.TrimSpace(e.Until.Text) != "" {
			until, ok := calInputDate(e.Until.Text)
			if !ok {
				return 0, in, start, badDate(T("calendar.field.until"))
			}
			r.Until, r.Count = until.Format(calDateLayout), 0
		}
		in.Recurrence = r
	}
	return calID, in, start, nil
}

func (s *CalendarScreen) saveEvent(e *EventEditor) {
	u := s.u
	calID, in, start, err := e.input()
	if err != nil {
		e.Message.SetText(calErrorText(err))
		return
	}
	e.Save.Disable()
	e.Message.SetText("")
	var id int64
	var seq int
	var date string // the one day of a series that is changed
	switch {
	case e.occurrence != nil:
		id, date = e.event.ID, e.occurrence.Date
	case e.event != nil:
		id, seq = e.event.ID, e.event.Sequence
		in.Sequence = &seq
		if calID != e.event.CalendarID {
			in.CalendarID = calID
		}
	}
	u.runInSession(func(ctx context.Context) error {
		var err error
		switch {
		case date != "":
			_, err = u.api.ChangeOccurrence(ctx, id, date, in)
		case id == 0:
			_, err = u.api.CreateEvent(ctx, calID, in)
		default:
			_, err = u.api.UpdateEvent(ctx, id, in)
		}
		return err
	}, func(err error) {
		e.Save.Enable()
		if err != nil {
			if calSessionGone(err) {
				u.handle(err)
				return
			}
			e.Message.SetText(calErrorText(err))
			return
		}
		// Show the month of the event with its day selected, so the
		// person sees what they made.
		s.month, s.selected = calMonthStart(start), start
		s.layoutMonth()
		note := T("calendar.saved", "Title", in.Title)
		if date != "" {
			day, _ := calParseDay(date)
			note = T("calendar.changed_one", "Title", in.Title, "Date", calLongDate(day))
		}
		s.reload(note)
	})
}

// String names the editor's state for test failures.
func (e *EventEditor) String() string {
	return fmt.Sprintf("editor %q %s %s-%s message %q", e.Title.Text, e.StartDate.Text, e.StartTime.Text, e.EndTime.Text, e.Message.Text)
}
