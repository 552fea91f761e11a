package calendar

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// Export is a calendar as an iCalendar (RFC 5545) file.
type Export struct {
	Name     string // "Klasse 3a"
	Filename string // "klasse-3a.ics"
	Data     []byte
}

// Export writes a calendar the person may read as an iCalendar file
// (every event, series with their rules and cancelled dates), for other
// calendar programs and phones.
func (s *Service) Export(ctx context.Context, me directory.Person, calendarID int64) (Export, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Export{}, err
	}
	c, _, err := s.readable(ctx, s.db.R, g, calendarID)
	if err != nil {
		return Export{}, err
	}
	name := "Schulkalender"
	switch c.Kind {
	case Personal:
		name = "Kalender von " + me.Name()
	case Group:
		gr, err := s.dir.GroupByID(ctx, c.GroupID)
		if err != nil {
			return Export{}, fmt.Errorf("calendar: group of calendar %d: %w", c.ID, err)
		}
		name = groupCalendarName(gr)
	}
	events, err := eventsOf(ctx, s.db.R, c.ID)
	if err != nil {
		return Export{}, err
	}
	school, err := s.dir.School(ctx)
	if err != nil {
		return Export{}, fmt.Errorf("calendar: school: %w", err)
	}
	return Export{Name: name, Filename: slug(name) + ".ics", Data: writeICal(name+" – "+school.Name, c.Colour, events)}, nil
}

// PublicFeed is the public school calendar as an iCalendar file, for
// anyone (the school's homepage, parents' phones).
func (s *Service) PublicFeed(ctx context.Context) ([]byte, error) {
	school, err := s.dir.School(ctx)
	if err != nil {
		return nil, fmt.Errorf("calendar: school: %w", err)
	}
	var events []Event
	c, err := publicCalendar(ctx, s.db.R)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.Colour = publicColour // nobody has used it yet: an empty calendar
	case err != nil:
		return nil, err
	default:
		if events, err = eventsOf(ctx, s.db.R, c.ID); err != nil {
			return nil, err
		}
	}
	return writeICal("Schulkalender – "+school.Name, c.Colour, events), nil
}

// vtimezone describes Europe/Berlin since 1996 (EU summer time: last
// Sunday of March 2:00 to last Sunday of October 3:00). Times are written
// with TZID=Europe/Berlin rather than in UTC, because a series in UTC
// would move by an hour at every change: the 8:00 lesson would be at 7:00
// all winter.
const vtimezone = `BEGIN:VTIMEZONE
TZID:Europe/Berlin
X-LIC-LOCATION:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE`

// writeICal writes events as a VCALENDAR.
func writeICal(name, colour string, events []Event) []byte {
	w := &icalWriter{}
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", "-//Kaspel//Schulkalender//DE")
	w.line("CALSCALE", "GREGORIAN")
	w.line("METHOD", "PUBLISH")
	w.line("NAME", escapeText(name))
	w.line("X-WR-CALNAME", escapeText(name))
	w.line("X-WR-TIMEZONE", "Europe/Berlin")
	w.line("X-APPLE-CALENDAR-COLOR", colour)
	w.line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
	w.line("X-PUBLISHED-TTL", "PT1H")
	for _, l := range strings.Split(vtimezone, "\n") {
		k, v, _ := strings.Cut(l, ":")
		w.line(k, v)
	}
	for i := range events {
		w.event(&events[i])
	}
	w.line("END", "VCALENDAR")
	return w.b.Bytes()
}

type icalWriter struct{ b bytes.Buffer }

const (
	icalUTC   = "20060102T150405Z"
	icalLocal = "20060102T150405"
	icalDate  = "20060102"
)

func (w *icalWriter) event(e *Event) {
	w.line("BEGIN", "VEVENT")
	w.line("UID", escapeText(e.UID))
	w.line("DTSTAMP", e.UpdatedAt.UTC().Format(icalUTC))
	w.line("CREATED", e.CreatedAt.UTC().Format(icalUTC))
	w.line("LAST-MODIFIED", e.UpdatedAt.UTC().Format(icalUTC))
	w.line("SEQUENCE", fmt.Sprint(e.Sequence))
	w.line("SUMMARY", escapeText(e.Title))
	if e.Location != "" {
		w.line("LOCATION", escapeText(e.Location))
	}
	if e.Description != "" {
		w.line("DESCRIPTION", escapeText(e.Description))
	}
	if e.AllDay {
		w.line("DTSTART;VALUE=DATE", e.Start.Format(icalDate))
		// DTEND of a date is the day after the last (RFC 5545 3.6.1).
		w.line("DTEND;VALUE=DATE", e.End.AddDate(0, 0, 1).Format(icalDate))
	} else {
		w.line("DTSTART;TZID=Europe/Berlin", e.Start.Format(icalLocal))
		w.line("DTEND;TZID=Europe/Berlin", e.End.Format(icalLocal))
	}
	if e.Rule != nil {
		w.line("RRULE", e.Rule.ICal(e.AllDay))
		// One EXDATE per date: every reader understands that, not every
		// one a list.
		tod := e.Start.Sub(dateOf(e.Start))
		for _, d := range e.Exceptions {
			if e.AllDay {
				w.line("EXDATE;VALUE=DATE", d.Format(icalDate))
			} else {
				w.line("EXDATE;TZID=Europe/Berlin", d.Add(tod).Format(icalLocal))
			}
		}
	}
	w.line("END", "VEVENT")
}

// line writes a content line, folded after 75 octets (RFC 5545 3.1)
// without cutting a UTF-8 character apart, with CRLF.
func (w *icalWriter) line(name, value string) {
	l := name + ":" + value
	max := 75
	for len(l) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		w.b.WriteString(l[:cut])
		w.b.WriteString("\r\n ")
		l = l[cut:]
		max = 74 // the leading space counts
	}
	w.b.WriteString(l)
	w.b.WriteString("\r\n")
}

// escapeText escapes a TEXT value (RFC 5545 3.3.11).
func escapeText(s string) string {
	return textEscaper.Replace(s)
}

var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// slug makes a file name from a calendar's name: "Klasse 3a" ->
// "klasse-3a", "Kalender von Jörg" -> "kalender-von-joerg".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
			continue
		case r == 'ä':
			b.WriteString("ae")
		case r == 'ö':
			b.WriteString("oe")
		case r == 'ü':
			b.WriteString("ue")
		case r == 'ß':
			b.WriteString("ss")
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		dash = false
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "kalender"
	}
	return out
}
