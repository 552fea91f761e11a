package calendar

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Errors a caller can test for with errors.Is. An *Error carries the
// German message to show.
var (
	// ErrInvalid: the input breaks a rule (the message says which).
	ErrInvalid = errors.New("invalid input")
	// ErrForbidden: the person may see the calendar but not change it.
	ErrForbidden = errors.New("not allowed")
	// ErrConflict: someone else changed the event meanwhile.
	ErrConflict = errors.New("changed meanwhile")
)

// Error is a refusal with a message fit to show a child or a teacher.
type Error struct {
	kind    error
	english string
	// German is the message for people.
	German string
	// Field is the input field at fault, if one is.
	Field string
}

func (e *Error) Error() string { return "calendar: " + e.english }

// Unwrap makes the error ErrInvalid, ErrForbidden or ErrConflict.
func (e *Error) Unwrap() error { return e.kind }

func invalid(field, english, german string) *Error {
	return &Error{kind: ErrInvalid, Field: field, english: english, German: german}
}

func forbidden(english, german string) *Error {
	return &Error{kind: ErrForbidden, english: english, German: german}
}

// Limits of the texts of an event.
const (
	MaxTitle       = 200
	MaxLocation    = 200
	MaxDescription = 5000
	// MaxExceptions bounds the cancelled occurrences of one series.
	MaxExceptions = 1000
)

// Dates outside these years are typing mistakes (0226 for 2026), and
// keep every computation far from the ends of time.Time's formats.
const (
	firstYear = 1970
	lastYear  = 2199
)

// maxSpan is the longest an occurrence may last.
const maxSpan = 366 * 24 * time.Hour

// Event is an entry in a calendar: once, or a series with a Rule.
type Event struct {
	ID         int64
	CalendarID int64
	// UID is the event's identity in iCalendar; it never changes.
	UID         string
	Title       string
	Location    string
	Description string
	AllDay      bool
	// Start and End are wall times in Berlin; for an all-day event dates,
	// End being the last day (the same day for a one-day event).
	Start, End time.Time
	Rule       *Rule // nil: once
	// Exceptions are the dates of cancelled occurrences, sorted.
	Exceptions []time.Time
	// Sequence counts the changes (iCalendar SEQUENCE); an update that
	// names a sequence is refused if the event has changed since.
	Sequence             int
	CreatedBy, UpdatedBy string
	CreatedAt, UpdatedAt time.Time
	// Writable says whether the person who asked may change it.
	Writable bool
}

// span is how long one occurrence lasts (in wall time).
func (e *Event) span() time.Duration {
	if e.AllDay {
		return e.End.AddDate(0, 0, 1).Sub(e.Start)
	}
	return e.End.Sub(e.Start)
}

// endOf is the end of an occurrence starting at start, as the API shows
// it (the last day for all-day events).
func (e *Event) endOf(start time.Time) time.Time {
	if e.AllDay {
		return start.Add(e.span()).AddDate(0, 0, -1)
	}
	return start.Add(e.span())
}

// Occurrence is one time an event takes place.
type Occurrence struct {
	Event *Event
	// Start and End are wall times; for all-day events dates, End the
	// last day.
	Start, End time.Time
}

// Occurrences lists the occurrences of the event that overlap the wall
// time range [from, to), at most limit; more says whether there were more.
func (e *Event) Occurrences(from, to time.Time, limit int) (out []Occurrence, more bool) {
	span := e.span()
	if e.Rule == nil {
		if e.Start.Before(to) && e.Start.Add(span).After(from) && limit > 0 {
			return []Occurrence{{Event: e, Start: e.Start, End: e.endOf(e.Start)}}, false
		}
		return nil, e.Start.Before(to) && e.Start.Add(span).After(from)
	}
	var skip func(time.Time) bool
	if len(e.Exceptions) > 0 {
		skip = func(c time.Time) bool {
			_, found := slices.BinarySearchFunc(e.Exceptions, dateOf(c), func(a, b time.Time) int { return a.Compare(b) })
			return found
		}
	}
	starts, more := e.Rule.starts(e.Start, span, from, to, skip, limit)
	out = make([]Occurrence, len(starts))
	for i, s := range starts {
		out[i] = Occurrence{Event: e, Start: s, End: e.endOf(s)}
	}
	return out, more
}

// horizon is where an unending series is taken to end for bounds.
var horizon = time.Date(lastYear+1, 1, 1, 0, 0, 0, 0, time.UTC)

// bounds are the start of the first and the end of the last occurrence
// (wall times); the end is zero for a series without end.
func (e *Event) bounds() (first, last time.Time) {
	span := e.span()
	switch {
	case e.Rule == nil:
		return e.Start, e.Start.Add(span)
	case e.Rule.Count > 0:
		starts, _ := e.Rule.starts(e.Start, span, e.Start, horizon, nil, e.Rule.Count)
		if len(starts) == 0 {
			return e.Start, e.Start.Add(span)
		}
		return e.Start, starts[len(starts)-1].Add(span)
	case !e.Rule.Until.IsZero():
		return e.Start, e.Rule.Until.AddDate(0, 0, 1).Add(span)
	}
	return e.Start, time.Time{}
}

// Input is an event as a person enters it.
type Input struct {
	Title, Location, Description string
	AllDay                       bool
	// Start and End: "2026-10-05T08:00" (Berlin), or dates for all-day
	// events with End the last day.
	Start, End string
	Recurrence *Recurrence // nil: once
}

// Recurrence is a series as a person enters it.
type Recurrence struct {
	Freq     string   // DAILY, WEEKLY, MONTHLY, YEARLY
	Interval int      // 0 or 1: every time
	Count    int      // 0: no count
	Until    string   // YYYY-MM-DD, the last day; "": no end date
	ByDay    []string // MO .. SU, weekly only
}

// Rule turns the entered series into a rule (checked on its own).
func (r *Recurrence) Rule() (*Rule, error) {
	rule := &Rule{Freq: Freq(strings.ToUpper(strings.TrimSpace(r.Freq))), Interval: r.Interval, Count: r.Count}
	if rule.Interval == 0 {
		rule.Interval = 1
	}
	if r.Count < 0 {
		return nil, invalid("recurrence", "negative count", fmt.Sprintf("Die Anzahl der Termine muss zwischen 1 und %d liegen.", MaxCount))
	}
	if u := strings.TrimSpace(r.Until); u != "" {
		t, err := time.Parse(DateLayout, u)
		if err != nil {
			return nil, invalid("recurrence", fmt.Sprintf("until %q is not a date", u), "Das Ende der Wiederholung ist kein gültiges Datum (Beispiel: 2027-07-15).")
		}
		rule.Until = t
	}
	for _, d := range r.ByDay {
		wd, ok := dayNames[strings.ToUpper(strings.TrimSpace(d))]
		if !ok {
			return nil, invalid("recurrence", fmt.Sprintf("unknown weekday %q", d),
				"Als Wochentage gehen nur MO, TU, WE, TH, FR, SA und SU.")
		}
		rule.ByDay = append(rule.ByDay, wd)
	}
	if err := rule.check(); err != nil {
		return nil, err
	}
	return rule, nil
}

// event checks the input and returns the event it describes (without
// ids, calendar and bookkeeping).
func (in Input) event() (Event, error) {
	var e Event
	var err error
	if e.Title, err = text("title", in.Title, MaxTitle, false, "Titel"); err != nil {
		return e, err
	}
	if e.Title == "" {
		return e, invalid("title", "empty title", "Bitte gib dem Termin einen Titel.")
	}
	if e.Location, err = text("location", in.Location, MaxLocation, false, "Ort"); err != nil {
		return e, err
	}
	if e.Description, err = text("description", in.Description, MaxDescription, true, "Beschreibung"); err != nil {
		return e, err
	}
	e.AllDay = in.AllDay
	example := "2026-10-05T08:00"
	if e.AllDay {
		example = "2026-10-05"
	}
	if e.Start, err = ParseWall(strings.TrimSpace(in.Start), e.AllDay); err != nil {
		return e, invalid("start", fmt.Sprintf("start %q", in.Start), "Der Beginn ist kein gültiger Zeitpunkt (Beispiel: "+example+").")
	}
	if e.End, err = ParseWall(strings.TrimSpace(in.End), e.AllDay); err != nil {
		return e, invalid("end", fmt.Sprintf("end %q", in.End), "Das Ende ist kein gültiger Zeitpunkt (Beispiel: "+example+").")
	}
	for _, t := range []struct {
		field string
		at    time.Time
	}{{"start", e.Start}, {"end", e.End}} {
		if t.at.Year() < firstYear || t.at.Year() > lastYear {
			return e, invalid(t.field, "year out of range", fmt.Sprintf("Das Jahr %d ist bestimmt ein Tippfehler.", t.at.Year()))
		}
	}
	switch {
	case e.AllDay && e.End.Before(e.Start):
		return e, invalid("end", "end before start", "Der letzte Tag darf nicht vor dem ersten Tag liegen.")
	case !e.AllDay && !e.End.After(e.Start):
		return e, invalid("end", "end not after start", "Das Ende muss nach dem Beginn liegen.")
	case e.span() > maxSpan:
		return e, invalid("end", "longer than a year", "Ein Termin darf höchstens ein Jahr lang dauern.")
	}
	if in.Recurrence != nil {
		if e.Rule, err = in.Recurrence.Rule(); err != nil {
			return e, err
		}
		if err := e.Rule.fit(e.Start); err != nil {
			return e, err
		}
		if !e.Rule.Until.IsZero() && e.Rule.Until.Year() > lastYear {
			return e, invalid("recurrence", "until out of range", fmt.Sprintf("Das Jahr %d ist bestimmt ein Tippfehler.", e.Rule.Until.Year()))
		}
		if e.Rule.Count > 0 {
			// Every counted occurrence must come before the horizon (a
			// yearly series on February 29 a thousand times would not).
			starts, _ := e.Rule.starts(e.Start, e.span(), e.Start, horizon, nil, e.Rule.Count)
			if len(starts) < e.Rule.Count {
				return e, invalid("recurrence", "count reaches beyond the horizon", "So viele Wiederholungen reichen zu weit in die Zukunft.")
			}
		}
	}
	return e, nil
}

// text trims a text and checks its length and characters.
func text(field, s string, max int, multiline bool, german string) (string, error) {
	if !utf8.ValidString(s) {
		return "", invalid(field, field+" is not UTF-8", "Im Feld „"+german+"“ stehen ungültige Zeichen.")
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	if n := utf8.RuneCountInString(s); n > max {
		return "", invalid(field, fmt.Sprintf("%s has %d characters, more than %d", field, n, max),
			fmt.Sprintf("Das Feld „%s“ ist zu lang: höchstens %d Zeichen.", german, max))
	}
	for _, r := range s {
		if (r == '\n' || r == '\t') && multiline {
			continue
		}
		if unicode.IsControl(r) {
			return "", invalid(field, field+" has control characters", "Im Feld „"+german+"“ stehen ungültige Zeichen.")
		}
	}
	return s, nil
}
