package homework

import (
	"fmt"
	"strings"
	"time"

	"kaspel/server/store"
)

// schoolDays tells school days from the others: weekends and the
// configured holidays are none. Dates are civil dates, held as midnight
// UTC so that adding a day never meets a change of summer time.
type schoolDays struct {
	holidays map[string]bool // YYYY-MM-DD
}

// maxHolidayRange bounds one holiday range: longer is a typing mistake
// (2026 for 2027), and the map stays small.
const maxHolidayRange = 120

// newSchoolDays reads the holidays of the configuration.
func newSchoolDays(holidays []string) (schoolDays, error) {
	sd := schoolDays{holidays: map[string]bool{}}
	for _, h := range holidays {
		from, to, isRange := strings.Cut(strings.TrimSpace(h), "/")
		if !isRange {
			to = from
		}
		a, okA := parseDate(strings.TrimSpace(from))
		b, okB := parseDate(strings.TrimSpace(to))
		if !okA || !okB || b.Before(a) {
			return sd, fmt.Errorf("homework: holiday %q is neither a date like 2026-10-03 nor a range like 2026-12-23/2027-01-06", h)
		}
		if b.Sub(a) > maxHolidayRange*24*time.Hour {
			return sd, fmt.Errorf("homework: holiday %q is longer than %d days", h, maxHolidayRange)
		}
		for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
			sd.holidays[d.Format(store.DateFormat)] = true
		}
	}
	return sd, nil
}

// isSchoolDay reports whether there is school on the day.
func (sd schoolDays) isSchoolDay(d time.Time) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !sd.holidays[d.Format(store.DateFormat)]
}

// after returns the n-th school day after start (start itself does not
// count: the pupils hear of the homework that day).
func (sd schoolDays) after(start time.Time, n int) time.Time {
	d := start
	for i := 0; i < n; {
		d = d.AddDate(0, 0, 1)
		if sd.isSchoolDay(d) {
			i++
		}
	}
	return d
}

// parseDate reads a YYYY-MM-DD date of a plausible year.
func parseDate(s string) (time.Time, bool) {
	d, err := time.Parse(store.DateFormat, s)
	if err != nil || d.Year() < 2000 || d.Year() > 2199 {
		return time.Time{}, false
	}
	return d, true
}

// germanWeekdays names the days as a German calendar does.
var germanWeekdays = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}

// germanDate is "Mittwoch, 02.12.2026".
func germanDate(d time.Time) string {
	return germanWeekdays[d.Weekday()] + ", " + d.Format("02.01.2006")
}
