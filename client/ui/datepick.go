package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// DatePick is a date field with a calendar button beside it: a tap opens
// the month to point at the day, for those who would rather not type
// „27.11.2026“. Typing still works, and the field keeps the typed form,
// which the screens read as before (calInputDate).
type DatePick struct {
	Entry  *widget.Entry
	Button *widget.Button
	// Calendar is the month while it is open (nil otherwise).
	Calendar *widget.Calendar

	u   *UI
	pop *widget.PopUp
}

// datePick puts the calendar button beside a date field.
func (u *UI) datePick(e *widget.Entry) *DatePick {
	d := &DatePick{Entry: e, u: u}
	d.Button = widget.NewButtonWithIcon("", theme.CalendarIcon(), d.open)
	d.Button.Importance = widget.LowImportance
	return d
}

// object is the field with its button.
func (d *DatePick) object() fyne.CanvasObject {
	return container.NewBorder(nil, nil, nil, d.Button, d.Entry)
}

// open shows the month of the date in the field (today's if it holds
// none) under the button.
func (d *DatePick) open() {
	d.u.touch()
	if d.Entry.Disabled() {
		return
	}
	start := d.u.opts.Now()
	if t, ok := calInputDate(d.Entry.Text); ok {
		start = t
	}
	d.Calendar = widget.NewCalendar(start, d.chosen)
	c := d.u.win.Canvas()
	d.pop = widget.NewPopUp(d.Calendar, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(d.Button)
	d.pop.ShowAtPosition(pos.Add(fyne.NewPos(0, d.Button.Size().Height)))
}

// chosen writes the day into the field (as typed dates are written, so
// the field's OnChanged sees it) and closes the month.
func (d *DatePick) chosen(t time.Time) {
	d.Entry.SetText(calShortDate(t))
	if d.pop != nil {
		d.pop.Hide()
	}
	d.pop, d.Calendar = nil, nil
	d.u.win.Canvas().Focus(d.Entry)
}
