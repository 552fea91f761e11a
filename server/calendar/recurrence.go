package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zone rules travel with the binary: right on a server without a zoneinfo package too
)

// Berlin is the school's time zone; every event is in it.
var Berlin = mustLoadLocation("Europe/Berlin")

func mustLoadLocation(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("calendar: load time zone %s: %v", name, err))
	}
	return l
}

// Layouts of dates and wall times in the API and the tables.
const (
	DateLayout = "2006-01-02"
	WallLayout = "2006-01-02T15:04"
)

// A wall time is what the clock on the classroom wall shows in Berlin,
// kept in a time.Time in UTC. Date arithmetic on it never meets a change
// to or from summer time, so "every Monday at 8:00" is Monday at 8:00 in
// October as in September; Instant turns a wall time into the real moment.

// ParseWall reads a wall time: a date ("2026-10-05") for all-day events,
// a date and time ("2026-10-05T08:00") otherwise.
func ParseWall(s string, allDay bool) (time.Time, error) {
	layout := WallLayout
	if allDay {
		layout = DateLayout
	}
	return time.Parse(layout, s)
}

// FormatWall writes a wall time as ParseWall reads it.
func FormatWall(t time.Time, allDay bool) string {
	if allDay {
		return t.Format(DateLayout)
	}
	return t.Format(WallLayout)
}

// Instant is the moment a wall time names in Berlin. As RFC 5545 3.3.5
// says, a wall time that happens twice (2:30 on the night the clocks go
// back) is the first of the two, and one that does not exist (2:30 on
// the night they go forward) is taken with the offset before the change.
func Instant(wall time.Time) time.Time {
	t := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), 0, 0, Berlin)
	// time.Date does not promise which of the two it picks.
	if earlier := t.Add(-time.Hour); WallOf(earlier).Equal(wall) {
		return earlier
	}
	return t
}

// WallOf is the wall time in Berlin at the moment t.
func WallOf(t time.Time) time.Time {
	t = t.In(Berlin)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
}

// dateOf is the day (midnight) of a wall time.
func dateOf(w time.Time) time.Time {
	return time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC)
}

// Freq is how often a series repeats.
type Freq string

// The frequencies of the supported RRULE subset.
const (
	Daily   Freq = "DAILY"
	Weekly  Freq = "WEEKLY"
	Monthly Freq = "MONTHLY"
	Yearly  Freq = "YEARLY"
)

// Bounds of a series. A count of 1000 is years of daily events; a series
// that should go on for ever has neither count nor end date.
const (
	MaxInterval = 99
	MaxCount    = 1000
)

// Rule is the part of RFC 5545's RRULE that a school calendar needs:
// FREQ=DAILY|WEEKLY|MONTHLY|YEARLY with INTERVAL, COUNT or UNTIL, and
// BYDAY (weekdays, for weekly series). Monthly and yearly series repeat
// on the start's day of the month (and month); a month without that day
// (the 31st, February 29) has no occurrence, as RFC 5545 prescribes and
// every other calendar program does.
type Rule struct {
	Freq     Freq
	Interval int // 1 or more
	Count    int // 0: not bounded by a count
	// Until is the last day on which an occurrence may start (a wall
	// date); zero: no end date.
	Until time.Time
	// ByDay are the weekdays of a weekly series, Monday first (weeks start
	// on Monday in Germany and in WKST=MO); empty: the start's weekday.
	ByDay []time.Weekday
}

var dayNames = map[string]time.Weekday{
	"MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday, "TH": time.Thursday,
	"FR": time.Friday, "SA": time.Saturday, "SU": time.Sunday,
}

var dayTokens = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// germanDays are the weekday names for people, Sunday first like time.Weekday.
var germanDays = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}

// mondayFirst orders weekdays Monday .. Sunday.
func mondayFirst(d time.Weekday) int { return (int(d) + 6) % 7 }

// ParseRRule reads an RRULE value of the supported subset (the form
// String writes, and the forms other programs write: UNTIL as a date or a
// UTC date-time, WKST=MO). Anything outside the subset is refused with a
// German message rather than half understood.
func ParseRRule(s string) (*Rule, error) {
	r := &Rule{Interval: 1}
	seen := map[string]bool{}
	for _, part := range strings.Split(strings.TrimSpace(s), ";") {
		key, val, ok := strings.Cut(part, "=")
		key = strings.ToUpper(strings.TrimSpace(key))
		val = strings.ToUpper(strings.TrimSpace(val))
		if !ok || key == "" || val == "" {
			return nil, invalid("recurrence", fmt.Sprintf("malformed RRULE part %q", part),
				"Die Wiederholung ist nicht lesbar.")
		}
		if seen[key] {
			return nil, invalid("recurrence", fmt.Sprintf("RRULE part %s twice", key), "Die Wiederholung ist nicht lesbar.")
		}
		seen[key] = true
		switch key {
		case "FREQ":
			r.Freq = Freq(val)
		case "INTERVAL":
			n, err := strconv.Atoi(val)
			if err != nil {
				return nil, invalid("recurrence", "INTERVAL is not a number", "Der Abstand der Wiederholung muss eine Zahl sein.")
			}
			r.Interval = n
		case "COUNT":
			n, err := strconv.Atoi(val)
			if err != nil {
				return nil, invalid("recurrence", "COUNT is not a number", "Die Anzahl der Termine muss eine Zahl sein.")
			}
			if n <= 0 {
				return nil, invalid("recurrence", "COUNT must be positive", fmt.Sprintf("Die Anzahl der Termine muss zwischen 1 und %d liegen.", MaxCount))
			}
			r.Count = n
		case "UNTIL":
			u, err := parseUntil(val)
			if err != nil {
				return nil, err
			}
			r.Until = u
		case "BYDAY":
			for _, tok := range strings.Split(val, ",") {
				d, ok := dayNames[tok]
				if !ok {
					return nil, invalid("recurrence", fmt.Sprintf("unsupported BYDAY value %q", tok),
						"Als Wochentage gehen nur MO, TU, WE, TH, FR, SA und SU (ohne Zahl davor).")
				}
				r.ByDay = append(r.ByDay, d)
			}
		case "WKST":
			if val != "MO" {
				return nil, invalid("recurrence", "WKST other than MO", "Die Woche beginnt im Schulkalender am Montag (WKST=MO).")
			}
		default:
			return nil, invalid("recurrence", fmt.Sprintf("unsupported RRULE part %s", key),
				fmt.Sprintf("Diese Art der Wiederholung (%s) kann der Schulkalender nicht. Es gehen: täglich, wöchentlich an bestimmten Wochentagen, monatlich und jährlich, mit Abstand und Ende.", key))
		}
	}
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// parseUntil reads UNTIL as the last day an occurrence may start on: a
// DATE, a UTC DATE-TIME (taken as its day in Berlin) or a floating one.
func parseUntil(val string) (time.Time, error) {
	bad := invalid("recurrence", fmt.Sprintf("UNTIL %q is not a date", val), "Das Ende der Wiederholung ist kein gültiges Datum.")
	switch len(val) {
	case 8:
		t, err := time.Parse("20060102", val)
		if err != nil {
			return time.Time{}, bad
		}
		return t, nil
	case 16:
		t, err := time.Parse("20060102T150405Z", val)
		if err != nil {
			return time.Time{}, bad
		}
		return dateOf(WallOf(t)), nil
	case 15:
		t, err := time.Parse("20060102T150405", val)
		if err != nil {
			return time.Time{}, bad
		}
		return dateOf(t), nil
	}
	return time.Time{}, bad
}

// check tests the rule on its own (without its event's start).
func (r *Rule) check() error {
	switch r.Freq {
	case Daily, Weekly, Monthly, Yearly:
	case "":
		return invalid("recurrence", "no FREQ", "Bitte wähle, wie oft sich der Termin wiederholt.")
	default:
		return invalid("recurrence", fmt.Sprintf("unsupported FREQ %q", r.Freq),
			"Wiederholen geht nur täglich, wöchentlich, monatlich oder jährlich.")
	}
	if r.Interval < 1 || r.Interval > MaxInterval {
		return invalid("recurrence", fmt.Sprintf("INTERVAL %d out of 1..%d", r.Interval, MaxInterval),
			fmt.Sprintf("Der Abstand der Wiederholung muss zwischen 1 und %d liegen.", MaxInterval))
	}
	if r.Count < 0 || r.Count > MaxCount {
		return invalid("recurrence", fmt.Sprintf("COUNT %d out of 1..%d", r.Count, MaxCount),
			fmt.Sprintf("Die Anzahl der Termine muss zwischen 1 und %d liegen.", MaxCount))
	}
	if r.Count > 0 && !r.Until.IsZero() {
		return invalid("recurrence", "both COUNT and UNTIL",
			"Bitte gib entweder an, wie oft sich der Termin wiederholt, oder bis wann – nicht beides.")
	}
	if len(r.ByDay) > 0 && r.Freq != Weekly {
		return invalid("recurrence", "BYDAY with a frequency other than WEEKLY",
			"Wochentage kann man nur bei wöchentlicher Wiederholung wählen.")
	}
	slices.SortFunc(r.ByDay, func(a, b time.Weekday) int { return mondayFirst(a) - mondayFirst(b) })
	r.ByDay = slices.Compact(r.ByDay)
	return nil
}

// fit checks the rule against its event's start (a wall time).
func (r *Rule) fit(start time.Time) error {
	if !r.Until.IsZero() && r.Until.Before(dateOf(start)) {
		return invalid("recurrence", "UNTIL before the start", "Das Ende der Wiederholung liegt vor dem ersten Termin.")
	}
	if len(r.ByDay) > 0 && !slices.Contains(r.ByDay, start.Weekday()) {
		return invalid("recurrence", "the start is not on one of the BYDAY weekdays",
			fmt.Sprintf("Der erste Termin ist an einem %s, aber dieser Tag ist bei der Wiederholung nicht gewählt. Bitte wähle ihn mit aus oder verschiebe den ersten Termin.", germanDays[start.Weekday()]))
	}
	return nil
}

// String is the rule in the module's normal form, which is also a valid
// RRULE value (UNTIL as a DATE).
func (r *Rule) String() string {
	return r.format(func(u time.Time) string { return u.Format("20060102") }, false)
}

// ICal is the rule as an RRULE value for an event that starts at a wall
// time with TZID=Europe/Berlin (UNTIL as the end of its day in UTC, which
// RFC 5545 requires there) or on a date (UNTIL as a DATE).
func (r *Rule) ICal(allDay bool) string {
	if allDay {
		return r.format(func(u time.Time) string { return u.Format("20060102") }, true)
	}
	return r.format(func(u time.Time) string {
		end := time.Date(u.Year(), u.Month(), u.Day(), 23, 59, 59, 0, Berlin)
		return end.UTC().Format("20060102T150405Z")
	}, true)
}

func (r *Rule) format(until func(time.Time) string, wkst bool) string {
	var b strings.Builder
	b.WriteString("FREQ=" + string(r.Freq))
	if r.Interval > 1 {
		b.WriteString(";INTERVAL=" + strconv.Itoa(r.Interval))
	}
	if r.Count > 0 {
		b.WriteString(";COUNT=" + strconv.Itoa(r.Count))
	}
	if !r.Until.IsZero() {
		b.WriteString(";UNTIL=" + until(r.Until))
	}
	if len(r.ByDay) > 0 {
		days := make([]string, len(r.ByDay))
		for i, d := range r.ByDay {
			days[i] = dayTokens[d]
		}
		b.WriteString(";BYDAY=" + strings.Join(days, ","))
	}
	if wkst && r.Freq == Weekly && r.Interval > 1 {
		// Which week a Sunday belongs to decides every other week's
		// days; say Monday for the programs whose default differs.
		b.WriteString(";WKST=MO")
	}
	return b.String()
}

// maxPeriods stops an expansion that finds no end (it cannot with the
// checks above, but a loop over a stored rule must end whatever it holds).
const maxPeriods = 200000

// starts lists the starts (wall times) of the occurrences of a series
// beginning at start whose occurrence lasts span, that overlap [from, to)
// and are not skipped; at most limit of them, more says whether there
// were more. COUNT counts the occurrences of the rule, cancelled ones
// included (RFC 5545: EXDATE takes occurrences out after the rule made
// them).
func (r *Rule) starts(start time.Time, span time.Duration, from, to time.Time, skip func(time.Time) bool, limit int) (out []time.Time, more bool) {
	day := dateOf(start)
	tod := start.Sub(day)
	lower := from.Add(-span)
	k := 0
	if r.Count == 0 && lower.After(day) {
		// Without a count nothing before the range matters: start at
		// the period before the one that holds lower.
		k = r.periodsBefore(day, lower)/r.Interval - 1
		k = max(k, 0)
	}
	var untilEnd time.Time
	if !r.Until.IsZero() {
		untilEnd = r.Until.AddDate(0, 0, 1)
	}
	n := 0
	var cands []time.Time
	for ; k < maxPeriods; k++ {
		first, cs := r.period(day, k, tod, cands[:0])
		cands = cs
		if !first.Before(to) || (!untilEnd.IsZero() && !first.Before(untilEnd)) {
			return out, false
		}
		for _, c := range cands {
			if c.Before(start) {
				continue // the days of the first week before the start
			}
			n++
			if r.Count > 0 && n > r.Count {
				return out, false
			}
			if !untilEnd.IsZero() && !c.Before(untilEnd) {
				return out, false
			}
			if !c.Before(to) {
				return out, false
			}
			if !c.Add(span).After(from) || (skip != nil && skip(c)) {
				continue
			}
			if len(out) == limit {
				return out, true
			}
			out = append(out, c)
		}
	}
	return out, false
}

// periodsBefore counts the whole frequency units (days, weeks, months,
// years) from the series' first period to the one holding t.
func (r *Rule) periodsBefore(day, t time.Time) int {
	switch r.Freq {
	case Daily:
		return int(t.Sub(day).Hours() / 24)
	case Weekly:
		return int(t.Sub(monday(day)).Hours() / (24 * 7))
	case Monthly:
		return (t.Year()-day.Year())*12 + int(t.Month()) - int(day.Month())
	case Yearly:
		return t.Year() - day.Year()
	}
	return 0
}

// period returns the first day of the k-th period of the series and the
// candidate starts in it, in order, appended to buf.
func (r *Rule) period(day time.Time, k int, tod time.Duration, buf []time.Time) (time.Time, []time.Time) {
	step := k * r.Interval
	switch r.Freq {
	case Daily:
		d := day.AddDate(0, 0, step)
		return d, append(buf, d.Add(tod))
	case Weekly:
		w := monday(day).AddDate(0, 0, 7*step)
		if len(r.ByDay) == 0 {
			return w, append(buf, day.AddDate(0, 0, 7*step).Add(tod))
		}
		for _, d := range r.ByDay {
			buf = append(buf, w.AddDate(0, 0, mondayFirst(d)).Add(tod))
		}
		return w, buf
	case Monthly:
		first := time.Date(day.Year(), day.Month()+time.Month(step), 1, 0, 0, 0, 0, time.UTC)
		if d := time.Date(first.Year(), first.Month(), day.Day(), 0, 0, 0, 0, time.UTC); d.Month() == first.Month() {
			buf = append(buf, d.Add(tod))
		}
		return first, buf
	case Yearly:
		first := time.Date(day.Year()+step, 1, 1, 0, 0, 0, 0, time.UTC)
		if d := time.Date(first.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC); d.Month() == day.Month() {
			buf = append(buf, d.Add(tod))
		}
		return first, buf
	}
	// An unknown frequency has no periods; an end far away stops the loop.
	return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), buf
}

// monday is the Monday of the week of day.
func monday(day time.Time) time.Time {
	return day.AddDate(0, 0, -mondayFirst(day.Weekday()))
}
