package calendar_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"kaspel/server/calendar"
)

// benchSchool fills the calendars a class teacher sees with a school
// year's worth (August 2026 to July 2027): the school calendar with 80
// events (10 of them yearly), the class calendar with 160 (24 weekly
// lessons with two days each, some with cancelled days), the choir with
// 30 (a weekly rehearsal), and the teacher's own with 60 (6 series) —
// 330 events, 41 of them series. The 4b next door has as many, which the
// query must pass over.
func benchSchool(b *testing.B) *env {
	e := newEnv(b)
	start := time.Date(2026, 8, 20, 0, 0, 0, 0, time.UTC)
	fill := func(who string, cal int64, n, series int) {
		for i := range n {
			day := start.AddDate(0, 0, (i*7)%340)
			hour := 8 + i%8
			in := calendar.Input{Title: fmt.Sprintf("%s %d", who, i), Location: "Raum 1",
				Start: day.Add(time.Duration(hour) * time.Hour).Format(calendar.WallLayout),
				End:   day.Add(time.Duration(hour)*time.Hour + 45*time.Minute).Format(calendar.WallLayout)}
			if i%10 == 9 {
				in = calendar.Input{Title: in.Title, AllDay: true, Start: day.Format(calendar.DateLayout), End: day.AddDate(0, 0, i%3).Format(calendar.DateLayout)}
			}
			if i < series {
				switch i % 3 {
				case 0:
					wd := []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}[(int(day.Weekday())+6)%7]
					other := "FR"
					if wd == "FR" {
						other = "MO"
					}
					in.Recurrence = &calendar.Recurrence{Freq: "WEEKLY", ByDay: []string{wd, other}, Until: "2027-07-15"}
				case 1:
					in.Recurrence = &calendar.Recurrence{Freq: "WEEKLY", Until: "2027-07-15"}
				default:
					in.Recurrence = &calendar.Recurrence{Freq: "YEARLY"}
				}
			}
			ev, err := e.cal.Create(ctx, e.admin, cal, in)
			if err != nil {
				b.Fatalf("%s %d: %v", who, i, err)
			}
			if in.Recurrence != nil && in.Recurrence.Freq == "WEEKLY" && i%2 == 0 {
				occ, _ := ev.Occurrences(calendar.WallOf(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)), calendar.WallOf(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)), 1)
				if len(occ) > 0 {
					if err := e.cal.CancelOccurrence(ctx, e.admin, ev.ID, occ[0].Start.Format(calendar.DateLayout)); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
	}
	fill("Schule", e.calendarOf(e.admin, "public"), 80, 10)
	fill("3a", e.calendarOf(e.admin, "3a"), 160, 24)
	fill("4b", e.calendarOf(e.admin, "4b"), 160, 24)
	fill("Chor", e.calendarOf(e.admin, "chor"), 30, 1)
	own := e.calendarOf(e.teacher, "personal")
	for i := range 60 {
		day := start.AddDate(0, 0, (i*5)%340)
		in := calendar.Input{Title: fmt.Sprintf("Privat %d", i), Start: day.Add(17 * time.Hour).Format(calendar.WallLayout),
			End: day.Add(18 * time.Hour).Format(calendar.WallLayout)}
		if i < 6 {
			in.Recurrence = &calendar.Recurrence{Freq: "WEEKLY"}
		}
		e.create(e.teacher, own, in)
	}
	return e
}

// BenchmarkMonthView is the class teacher opening October in the month
// view: every calendar of theirs, with the series expanded.
func BenchmarkMonthView(b *testing.B) {
	e := benchSchool(b)
	n := 0
	for b.Loop() {
		res, err := e.cal.Occurrences(ctx, e.teacher, calendar.Range{From: "2026-10-01", To: "2026-11-01"})
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.List)
	}
	b.ReportMetric(float64(n), "occurrences")
}

// BenchmarkSchoolYear is the agenda of a whole school year at once.
func BenchmarkSchoolYear(b *testing.B) {
	e := benchSchool(b)
	n := 0
	for b.Loop() {
		res, err := e.cal.Occurrences(ctx, e.teacher, calendar.Range{From: "2026-08-01", To: "2027-08-01"})
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.List)
	}
	b.ReportMetric(float64(n), "occurrences")
}

// BenchmarkPublicFeed is a calendar app polling the school calendar.
func BenchmarkPublicFeed(b *testing.B) {
	e := benchSchool(b)
	size := 0
	for b.Loop() {
		feed, err := e.cal.PublicFeed(ctx)
		if err != nil {
			b.Fatal(err)
		}
		size = len(feed)
	}
	b.ReportMetric(float64(size), "bytes")
}

// BenchmarkPublicPage is a visitor of the school's homepage.
func BenchmarkPublicPage(b *testing.B) {
	e := benchSchool(b)
	e.cal.SetClock(func() time.Time { return time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC) })
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := e.cal.PublicPage(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}
