package ui

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"
	"time"

	"kaspel/shared/wire"
)

// The calendar's days and times are wall times in Europe/Berlin as the
// API sends them ("2026-10-05", "2026-10-05T08:00"). The client never
// converts them between zones: it keeps them as dates at midnight UTC, so
// that adding a day is always 24 hours and a summer-time change cannot
// move a day or a lesson.
const (
	calDateLayout = "2006-01-02"
	calWallLayout = "2006-01-02T15:04"
)

// calDay is the day of t as a date at midnight UTC.
func calDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// calToday is the day the UI's clock says (the school's PCs run on German
// time, so their local day is the school's day).
func (u *UI) calToday() time.Time { return calDay(u.opts.Now()) }

// calMonthStart is the first day of t's month.
func calMonthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// calGridStart is the Monday on or before the first of the month: German
// calendars (and the API's weeks) start on Monday.
func calGridStart(month time.Time) time.Time {
	first := calMonthStart(month)
	return first.AddDate(0, 0, -calWeekdayIndex(first))
}

// calWeekdayIndex is 0 for Monday up to 6 for Sunday.
func calWeekdayIndex(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// calParseDay reads the date part of an API time ("2026-10-05" or
// "2026-10-05T08:00").
func calParseDay(s string) (time.Time, bool) {
	if len(s) < 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(calDateLayout, s[:10])
	return t, err == nil
}

// calParseWall reads an API time; a date alone is midnight.
func calParseWall(s string) (time.Time, bool) {
	if t, err := time.Parse(calWallLayout, s); err == nil {
		return t, true
	}
	return calParseDay(s)
}

// calClock is the time of day of an API time ("08:00"), "" for a date.
func calClock(s string) string {
	if i := strings.IndexByte(s, 'T'); i >= 0 && len(s) >= i+6 {
		return s[i+1 : i+6]
	}
	return ""
}

// calSpan is the first and the last day an occurrence touches. A timed
// event that ends at midnight does not touch the next day.
func calSpan(o wire.Occurrence) (first, last time.Time, ok bool) {
	first, ok = calParseDay(o.Start)
	if !ok {
		return first, first, false
	}
	last, ok2 := calParseDay(o.End)
	if !ok2 || last.Before(first) {
		return first, first, true
	}
	if !o.AllDay && last.After(first) && calClock(o.End) == "00:00" {
		last = last.AddDate(0, 0, -1)
	}
	return first, last, true
}

// calMonthName is the month's name in the chosen language (not the
// system's locale, which on a school PC may be anything).
func calMonthName(m time.Month) string { return T(fmt.Sprintf("calendar.month.%d", int(m))) }

// calWeekdayShort is "Mo" … "So"; i is 0 for Monday.
func calWeekdayShort(i int) string { return T(fmt.Sprintf("calendar.wd.%d", i+1)) }

// calWeekdayLong is "Montag" … "Sonntag".
func calWeekdayLong(t time.Time) string {
	return T(fmt.Sprintf("calendar.weekday.%d", calWeekdayIndex(t)+1))
}

// calLongDate is "Freitag, 27. November 2026".
func calLongDate(t time.Time) string {
	return T("calendar.date.long", "Weekday", calWeekdayLong(t), "Day", t.Day(), "Month", calMonthName(t.Month()), "Year", t.Year())
}

// calShortDate is "27.11.2026", the form people also type into the editor.
func calShortDate(t time.Time) string { return t.Format("02.01.2006") }

// calMonthTitle is "November 2026".
func calMonthTitle(t time.Time) string {
	return T("calendar.month_year", "Month", calMonthName(t.Month()), "Year", t.Year())
}

// calWhen says when an occurrence or event takes place, for the day
// list, the agenda and the event view.
func calWhen(allDay bool, start, end string) string {
	first, _ := calParseDay(start)
	last, ok := calParseDay(end)
	if !ok {
		last = first
	}
	if allDay {
		if last.After(first) {
			return T("calendar.days.span", "From", calShortDate(first), "To", calShortDate(last))
		}
		return T("calendar.allday")
	}
	if last.After(first) && !(calClock(end) == "00:00" && last.Equal(first.AddDate(0, 0, 1))) {
		return T("calendar.time.span", "FromDate", calShortDate(first), "From", calClock(start),
			"ToDate", calShortDate(last), "To", calClock(end))
	}
	return T("calendar.time.range", "From", calClock(start), "To", calClock(end))
}

// calInputDate reads a date as people type it: "27.11.2026", "27.11.26",
// "2026-11-27" (what the API and some programs write).
func calInputDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2.1.2006", "2.1.06", calDateLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// calInputClock reads a time of day as people type it: "8", "8:30",
// "08.30", "0830"; it returns hours and minutes.
func calInputClock(s string) (int, int, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "Uhr"))
	s = strings.ReplaceAll(s, ".", ":")
	var hs, ms string
	switch i := strings.IndexByte(s, ':'); {
	case i >= 0:
		hs, ms = s[:i], s[i+1:]
	case len(s) <= 2:
		hs, ms = s, "0"
	case len(s) == 4:
		hs, ms = s[:2], s[2:]
	default:
		return 0, 0, false
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 || len(ms) > 2 {
		return 0, 0, false
	}
	return h, m, true
}

// calColour reads a calendar's "#RRGGBB"; grey if it is none.
func calColour(hex string) color.NRGBA {
	c := color.NRGBA{R: 0x60, G: 0x60, B: 0x60, A: 0xff}
	if len(hex) != 7 || hex[0] != '#' {
		return c
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return c
	}
	c.R, c.G, c.B = uint8(v>>16), uint8(v>>8), uint8(v)
	return c
}

// calName is a calendar's name in the chosen language: the server names
// them in German ("Schulkalender", "Klasse 3a", "Mein Kalender"); groups
// that are not classes keep the name the school gave them.
func calName(c wire.Calendar) string {
	switch {
	case c.Kind == wire.CalendarPublic:
		return T("calendar.name.public")
	case c.Kind == wire.CalendarPersonal:
		return T("calendar.name.personal")
	case c.Group != "" && c.Name == "Klasse "+c.Group:
		return T("calendar.name.class", "Class", c.Group)
	}
	return c.Name
}
