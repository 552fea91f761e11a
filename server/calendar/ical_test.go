package calendar_test

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/apognu/gocal"
	ics "github.com/arran4/golang-ical"

	"kaspel/server/calendar"
)

// feedEnv is a school whose public calendar has a bit of everything: a
// single event with text that needs escaping and folding, a weekly series
// across the end of summer time with a cancelled day, a holiday of two
// weeks, a daily series with a count and a yearly all-day event.
func feedEnv(t *testing.T) (*env, map[string]calendar.Event) {
	t.Helper()
	e := newEnv(t)
	pub := e.calendarOf(e.writer, "public")
	events := map[string]calendar.Event{}
	add := func(in calendar.Input) {
		ev := e.create(e.writer, pub, in)
		events[ev.UID] = ev
	}
	add(calendar.Input{Title: "Elternabend, Klasse 3a; bitte pünktlich", Location: "Aula\\Raum 1",
		Description: "Themen: Klassenfahrt, Förderverein, Übergänge nach Klasse 4 – bitte Ausweis mitbringen.\nDanach gemütliches Beisammensein.",
		Start:       "2026-10-08T19:30", End: "2026-10-08T21:00"})
	add(calendar.Input{Title: "Schwimmen", Location: "Hallenbad", Start: "2026-10-15T08:00", End: "2026-10-15T08:45",
		Recurrence: &calendar.Recurrence{Freq: "WEEKLY", ByDay: []string{"MO", "TH"}, Until: "2026-11-30"}})
	add(calendar.Input{Title: "Herbstferien", AllDay: true, Start: "2026-10-12", End: "2026-10-24"})
	add(calendar.Input{Title: "Projekttage", Start: "2026-11-02T10:00", End: "2026-11-02T12:00",
		Recurrence: &calendar.Recurrence{Freq: "DAILY", Count: 3}})
	add(calendar.Input{Title: "Gründungstag", AllDay: true, Start: "2026-11-11", End: "2026-11-11",
		Recurrence: &calendar.Recurrence{Freq: "YEARLY"}})
	for uid, ev := range events {
		if ev.Title == "Schwimmen" {
			if err := e.cal.CancelOccurrence(ctx, e.writer, ev.ID, "2026-10-29"); err != nil {
				t.Fatal(err)
			}
			ev, err := e.cal.Event(ctx, e.writer, ev.ID)
			if err != nil {
				t.Fatal(err)
			}
			events[uid] = ev
		}
	}
	return e, events
}

// TestFeedReadByGolangIcal reads the feed with github.com/arran4/golang-ical
// and checks that every text, time, rule and cancelled date comes back.
func TestFeedReadByGolangIcal(t *testing.T) {
	e, events := feedEnv(t)
	feed, err := e.cal.PublicFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("lines", func(t *testing.T) {
		if !bytes.HasSuffix(feed, []byte("\r\n")) {
			t.Errorf("got no CRLF at the end, want one")
		}
		folded := 0
		for _, l := range strings.Split(strings.TrimSuffix(string(feed), "\r\n"), "\r\n") {
			if len(l) > 75 {
				t.Errorf("got a line of %d octets, want at most 75: %q", len(l), l)
			}
			if !utf8.ValidString(l) {
				t.Errorf("got a line with a cut UTF-8 character: %q", l)
			}
			if strings.HasPrefix(l, " ") {
				folded++
			}
			if strings.Contains(l, "\n") {
				t.Errorf("got a bare LF in %q", l)
			}
		}
		if folded == 0 {
			t.Errorf("got no folded line, want the long description folded")
		}
	})
	cal, err := ics.ParseCalendar(bytes.NewReader(feed))
	if err != nil {
		t.Fatalf("golang-ical: %v", err)
	}
	if tz := cal.Timezones(); len(tz) != 1 || tz[0].GetProperty(ics.ComponentPropertyTzid).Value != "Europe/Berlin" || len(tz[0].SubComponents()) != 2 {
		t.Errorf("got %d time zones, want Europe/Berlin with summer and winter time", len(tz))
	}
	got := cal.Events()
	if len(got) != len(events) {
		t.Fatalf("got %d events, want %d", len(got), len(events))
	}
	prop := func(ev *ics.VEvent, p ics.ComponentProperty) string {
		if v := ev.GetProperty(p); v != nil {
			return v.Value
		}
		return ""
	}
	for _, ev := range got {
		want, ok := events[ev.Id()]
		if !ok {
			t.Errorf("got event %q, want one of the calendar's UIDs", ev.Id())
			continue
		}
		t.Run(want.Title, func(t *testing.T) {
			for _, c := range []struct{ name, got, want string }{
				{"SUMMARY", prop(ev, ics.ComponentPropertySummary), want.Title},
				{"LOCATION", prop(ev, ics.ComponentPropertyLocation), want.Location},
				{"DESCRIPTION", prop(ev, ics.ComponentPropertyDescription), want.Description},
				{"SEQUENCE", prop(ev, ics.ComponentPropertySequence), fmt.Sprint(want.Sequence)},
			} {
				if c.got != c.want {
					t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
				}
			}
			wantRule := ""
			if want.Rule != nil {
				wantRule = want.Rule.ICal(want.AllDay)
			}
			if r := prop(ev, ics.ComponentPropertyRrule); r != wantRule {
				t.Errorf("RRULE: got %q, want %q", r, wantRule)
			}
			if want.Rule != nil {
				back, err := calendar.ParseRRule(prop(ev, ics.ComponentPropertyRrule))
				if err != nil || back.String() != want.Rule.String() {
					t.Errorf("RRULE read back: got %v, %v, want %s", back, err, want.Rule)
				}
			}
			if want.AllDay {
				start, err := ev.GetAllDayStartAt()
				if err != nil || start.Format(calendar.DateLayout) != calendar.FormatWall(want.Start, true) {
					t.Errorf("DTSTART: got %v, %v, want %s", start, err, calendar.FormatWall(want.Start, true))
				}
				if end := prop(ev, ics.ComponentPropertyDtEnd); end != want.End.AddDate(0, 0, 1).Format("20060102") {
					t.Errorf("DTEND: got %s, want the day after the last day", end)
				}
				return
			}
			start, err := ev.GetStartAt()
			if err != nil || !start.Equal(calendar.Instant(want.Start)) {
				t.Errorf("DTSTART: got %v, %v, want %v", start, err, calendar.Instant(want.Start))
			}
			end, err := ev.GetEndAt()
			if err != nil || !end.Equal(calendar.Instant(want.End)) {
				t.Errorf("DTEND: got %v, %v, want %v", end, err, calendar.Instant(want.End))
			}
			var exdates []string
			for _, p := range ev.GetProperties(ics.ComponentPropertyExdate) {
				exdates = append(exdates, strings.Join(p.ICalParameters["TZID"], "")+":"+p.Value)
			}
			var wantEx []string
			for _, d := range want.Exceptions {
				wantEx = append(wantEx, "Europe/Berlin:"+d.Format("20060102")+"T"+want.Start.Format("150405"))
			}
			if !slices.Equal(exdates, wantEx) {
				t.Errorf("EXDATE: got %v, want %v", exdates, wantEx)
			}
		})
	}
}

// TestFeedExpandedByGocal lets github.com/apognu/gocal expand the feed's
// series for two months and compares every occurrence with the module's
// own expansion: same events, same moments (across the end of summer
// time), the cancelled day missing in both.
func TestFeedExpandedByGocal(t *testing.T) {
	e, events := feedEnv(t)
	feed, err := e.cal.PublicFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, calendar.Berlin)
	to := time.Date(2026, 12, 31, 0, 0, 0, 0, calendar.Berlin)
	p := gocal.NewParser(bytes.NewReader(feed))
	p.Start, p.End = &from, &to
	p.AllDayEventsTZ = calendar.Berlin
	if err := p.Parse(); err != nil {
		t.Fatalf("gocal: %v", err)
	}
	var got []string
	for _, ev := range p.Events {
		got = append(got, fmt.Sprintf("%s %s", ev.Summary, ev.Start.UTC().Format(time.RFC3339)))
		if _, ok := events[ev.Uid]; !ok {
			t.Errorf("got UID %q, want one of the calendar's", ev.Uid)
		}
		if ev.Summary == "Schwimmen" && (ev.Location != "Hallenbad" || ev.End.Sub(*ev.Start) != 45*time.Minute) {
			t.Errorf("Schwimmen: got location %q and %v, want Hallenbad and 45 minutes", ev.Location, ev.End.Sub(*ev.Start))
		}
	}
	res, err := e.cal.Occurrences(ctx, e.pupil, calendar.Range{From: "2026-10-01", To: "2026-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, o := range res.List {
		want = append(want, fmt.Sprintf("%s %s", o.Event.Title, calendar.Instant(o.Start).UTC().Format(time.RFC3339)))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("got (gocal)\n%s\nwant (Kaspel)\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Spot checks, so that the comparison cannot pass with both wrong.
	for _, s := range []string{
		"Schwimmen 2026-10-22T06:00:00Z", // Thursday before the change, 8:00 CEST
		"Schwimmen 2026-10-26T07:00:00Z", // Monday after it, 8:00 CET
		"Schwimmen 2026-11-30T07:00:00Z", // the last day (UNTIL)
		"Herbstferien 2026-10-11T22:00:00Z",
		"Projekttage 2026-11-04T09:00:00Z",
		"Gründungstag 2026-11-10T23:00:00Z",
		"Elternabend, Klasse 3a; bitte pünktlich 2026-10-08T17:30:00Z",
	} {
		if !slices.Contains(got, s) {
			t.Errorf("got no %q from gocal", s)
		}
	}
	if slices.Contains(got, "Schwimmen 2026-10-29T07:00:00Z") {
		t.Errorf("got the cancelled Schwimmen on 29 October, want it left out")
	}
	if n := len(want); n != 1+13+1+3+1 {
		t.Errorf("got %d occurrences, want %d", n, 1+13+1+3+1)
	}
}

// TestFeedWithChangedOccurrence: a series with one occurrence changed
// stays valid iCalendar; the series has an EXDATE for the day and the
// changed one is a VEVENT of its own, and a calendar program (gocal)
// shows it at its new time and not at the old one.
func TestFeedWithChangedOccurrence(t *testing.T) {
	e := newEnv(t)
	pub := e.calendarOf(e.writer, "public")
	series := e.create(e.writer, pub, swimming())
	moved, err := e.cal.ChangeOccurrence(ctx, e.writer, series.ID, "2026-09-21",
		calendar.Input{Title: "Schwimmen (verlegt)", Location: "Freibad", Start: "2026-09-23T10:00", End: "2026-09-23T10:45"})
	if err != nil {
		t.Fatal(err)
	}
	feed, err := e.cal.PublicFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(feed))
	if err != nil {
		t.Fatalf("golang-ical: %v", err)
	}
	byUID := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		byUID[ev.Id()] = ev
	}
	if len(byUID) != 2 || byUID[series.UID] == nil || byUID[moved.UID] == nil {
		t.Fatalf("got events %v, want the series and the moved lesson", slices.Collect(maps.Keys(byUID)))
	}
	var exdates []string
	for _, p := range byUID[series.UID].GetProperties(ics.ComponentPropertyExdate) {
		exdates = append(exdates, strings.Join(p.ICalParameters["TZID"], "")+":"+p.Value)
	}
	if want := []string{"Europe/Berlin:20260921T080000"}; !slices.Equal(exdates, want) {
		t.Errorf("series EXDATE: got %v, want %v", exdates, want)
	}
	m := byUID[moved.UID]
	if p := m.GetProperty(ics.ComponentPropertyRrule); p != nil {
		t.Errorf("moved lesson: got RRULE %q, want none", p.Value)
	}
	if start, err := m.GetStartAt(); err != nil || !start.Equal(time.Date(2026, 9, 23, 10, 0, 0, 0, calendar.Berlin)) {
		t.Errorf("moved lesson DTSTART: got %v, %v, want 23 September 10:00", start, err)
	}

	from := time.Date(2026, 9, 1, 0, 0, 0, 0, calendar.Berlin)
	to := time.Date(2026, 10, 1, 0, 0, 0, 0, calendar.Berlin)
	p := gocal.NewParser(bytes.NewReader(feed))
	p.Start, p.End = &from, &to
	if err := p.Parse(); err != nil {
		t.Fatalf("gocal: %v", err)
	}
	var got []string
	for _, ev := range p.Events {
		got = append(got, ev.Summary+" "+ev.Start.In(calendar.Berlin).Format("02.01. 15:04"))
	}
	slices.Sort(got)
	want := []string{"Schwimmen (verlegt) 23.09. 10:00", "Schwimmen 07.09. 08:00", "Schwimmen 14.09. 08:00", "Schwimmen 28.09. 08:00"}
	if !slices.Equal(got, want) {
		t.Errorf("got (gocal) %v, want %v", got, want)
	}
}
