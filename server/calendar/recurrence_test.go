package calendar_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"kaspel/server/calendar"
)

func TestParseRRule(t *testing.T) {
	tests := []struct {
		in, want string // want: the normal form, or "error"
		ical     string // the RRULE written for a timed event
	}{
		{"FREQ=DAILY", "FREQ=DAILY", "FREQ=DAILY"},
		{"freq=daily;count=5", "FREQ=DAILY;COUNT=5", "FREQ=DAILY;COUNT=5"},
		{"FREQ=WEEKLY;BYDAY=WE,MO;UNTIL=20270715T215959Z", "FREQ=WEEKLY;UNTIL=20270715;BYDAY=MO,WE", "FREQ=WEEKLY;UNTIL=20270715T215959Z;BYDAY=MO,WE"},
		{"FREQ=WEEKLY;UNTIL=20261220", "FREQ=WEEKLY;UNTIL=20261220", "FREQ=WEEKLY;UNTIL=20261220T225959Z"},
		{"FREQ=WEEKLY;UNTIL=20261220T080000", "FREQ=WEEKLY;UNTIL=20261220", "FREQ=WEEKLY;UNTIL=20261220T225959Z"},
		{"FREQ=WEEKLY;INTERVAL=2;WKST=MO;BYDAY=SU,MO", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SU;WKST=MO"},
		{"FREQ=MONTHLY;INTERVAL=1", "FREQ=MONTHLY", "FREQ=MONTHLY"},
		{"FREQ=YEARLY;COUNT=10", "FREQ=YEARLY;COUNT=10", "FREQ=YEARLY;COUNT=10"},
		{"FREQ=MONTHLY;BYMONTHDAY=15", "error", ""},
		{"FREQ=HOURLY", "error", ""},
		{"FREQ=MONTHLY;BYDAY=2TU", "error", ""},
		{"FREQ=WEEKLY;BYDAY=1MO", "error", ""},
		{"FREQ=WEEKLY;WKST=SU", "error", ""},
		{"FREQ=DAILY;COUNT=2;UNTIL=20260101", "error", ""},
		{"FREQ=YEARLY;BYMONTH=3", "error", ""},
		{"FREQ=DAILY;BYSETPOS=1", "error", ""},
		{"FREQ=DAILY;COUNT=0", "error", ""},
		{"FREQ=DAILY;INTERVAL=0", "error", ""},
		{"FREQ=DAILY;UNTIL=2026", "error", ""},
		{"COUNT=3", "error", ""},
		{"FREQ=DAILY;FREQ=WEEKLY", "error", ""},
		{"Jeden Montag", "error", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := calendar.ParseRRule(tt.in)
			if tt.want == "error" {
				var ce *calendar.Error
				if !errors.As(err, &ce) || !errors.Is(err, calendar.ErrInvalid) || ce.German == "" {
					t.Errorf("got %v, want an invalid error with a German message", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want %s", err, tt.want)
			}
			if got := r.String(); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if got := r.ICal(false); got != tt.ical {
				t.Errorf("ICal: got %v, want %v", got, tt.ical)
			}
			again, err := calendar.ParseRRule(r.ICal(false))
			if err != nil || again.String() != r.String() {
				t.Errorf("reading back %s: got %v, %v, want %s", r.ICal(false), again, err, r.String())
			}
		})
	}
}

// series is an event for the expansion tests.
func series(t *testing.T, start, end string, allDay bool, rrule string, exdates ...string) *calendar.Event {
	t.Helper()
	e := &calendar.Event{Title: "x", AllDay: allDay}
	var err error
	if e.Start, err = calendar.ParseWall(start, allDay); err != nil {
		t.Fatal(err)
	}
	if e.End, err = calendar.ParseWall(end, allDay); err != nil {
		t.Fatal(err)
	}
	if rrule != "" {
		if e.Rule, err = calendar.ParseRRule(rrule); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range exdates {
		day, err := time.Parse(calendar.DateLayout, d)
		if err != nil {
			t.Fatal(err)
		}
		e.Exceptions = append(e.Exceptions, day)
	}
	return e
}

func wall(t *testing.T, s string) time.Time {
	t.Helper()
	w, err := calendar.ParseWall(s, len(s) == 10)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestExpansion(t *testing.T) {
	tests := []struct {
		name       string
		ev         *calendar.Event
		from, to   string
		want       string // the starts, space-separated
		wantInUTC  string // if set: the starts as moments in UTC
		wantEnd    string // if set: the end of the first occurrence
		limit      int
		wantMore   bool
		skipLimits bool
	}{
		{name: "weekly on Monday and Thursday across the October change",
			ev:   series(t, "2026-10-15T08:00", "2026-10-15T08:45", false, "FREQ=WEEKLY;BYDAY=MO,TH"),
			from: "2026-10-15", to: "2026-11-03",
			want:      "2026-10-15T08:00 2026-10-19T08:00 2026-10-22T08:00 2026-10-26T08:00 2026-10-29T08:00 2026-11-02T08:00",
			wantInUTC: "06:00 06:00 06:00 07:00 07:00 07:00", wantEnd: "2026-10-15T08:45"},
		{name: "weekly across the March change",
			ev:   series(t, "2027-03-22T08:00", "2027-03-22T09:30", false, "FREQ=WEEKLY"),
			from: "2027-03-20", to: "2027-04-06",
			want: "2027-03-22T08:00 2027-03-29T08:00 2027-04-05T08:00", wantInUTC: "07:00 06:00 06:00"},
		{name: "yearly on February 29 only in leap years",
			ev:   series(t, "2028-02-29", "2028-02-29", true, "FREQ=YEARLY"),
			from: "2028-01-01", to: "2037-01-01",
			want: "2028-02-29 2032-02-29 2036-02-29", wantEnd: "2028-02-29"},
		{name: "yearly birthday",
			ev:   series(t, "2026-03-01", "2026-03-01", true, "FREQ=YEARLY;COUNT=3"),
			from: "2020-01-01", to: "2040-01-01",
			want: "2026-03-01 2027-03-01 2028-03-01"},
		{name: "monthly on the 31st skips short months",
			ev:   series(t, "2026-01-31T18:00", "2026-01-31T19:00", false, "FREQ=MONTHLY"),
			from: "2026-01-01", to: "2027-01-01",
			want: "2026-01-31T18:00 2026-03-31T18:00 2026-05-31T18:00 2026-07-31T18:00 2026-08-31T18:00 2026-10-31T18:00 2026-12-31T18:00"},
		{name: "count includes a cancelled occurrence",
			ev:   series(t, "2026-09-01T10:00", "2026-09-01T11:00", false, "FREQ=DAILY;COUNT=3", "2026-09-02"),
			from: "2026-08-01", to: "2026-10-01",
			want: "2026-09-01T10:00 2026-09-03T10:00"},
		{name: "until is the last day",
			ev:   series(t, "2026-09-29T14:00", "2026-09-29T15:00", false, "FREQ=WEEKLY;UNTIL=20261020"),
			from: "2026-09-01", to: "2026-12-01",
			want: "2026-09-29T14:00 2026-10-06T14:00 2026-10-13T14:00 2026-10-20T14:00"},
		{name: "every other week, Monday and Sunday (weeks start on Monday)",
			ev:   series(t, "2026-09-07T16:00", "2026-09-07T17:00", false, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SU"),
			from: "2026-09-01", to: "2026-10-01",
			want: "2026-09-07T16:00 2026-09-13T16:00 2026-09-21T16:00 2026-09-27T16:00"},
		{name: "first week: only days from the start on",
			ev:   series(t, "2026-09-09T08:00", "2026-09-09T09:00", false, "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=4"),
			from: "2026-09-01", to: "2026-10-01",
			want: "2026-09-09T08:00 2026-09-11T08:00 2026-09-14T08:00 2026-09-16T08:00"},
		{name: "a range years after the start of an endless series",
			ev:   series(t, "2020-01-01T07:00", "2020-01-01T07:30", false, "FREQ=DAILY"),
			from: "2026-03-01", to: "2026-03-04",
			want: "2026-03-01T07:00 2026-03-02T07:00 2026-03-03T07:00"},
		{name: "every third day, far from the start",
			ev:   series(t, "2026-01-01T07:00", "2026-01-01T07:30", false, "FREQ=DAILY;INTERVAL=3"),
			from: "2026-03-01", to: "2026-03-04",
			want: "2026-03-02T07:00"},
		{name: "monthly, years after the start",
			ev:   series(t, "2020-01-15T19:00", "2020-01-15T20:00", false, "FREQ=MONTHLY"),
			from: "2026-03-01", to: "2026-05-01",
			want: "2026-03-15T19:00 2026-04-15T19:00"},
		{name: "every fifth month on the 31st, years after the start",
			ev:   series(t, "2020-01-31T19:00", "2020-01-31T20:00", false, "FREQ=MONTHLY;INTERVAL=5"),
			from: "2025-06-01", to: "2027-08-01",
			want: "2027-07-31T19:00"},
		{name: "yearly, years after the start",
			ev:   series(t, "2010-11-11", "2010-11-11", true, "FREQ=YEARLY;INTERVAL=2"),
			from: "2026-01-01", to: "2027-01-01",
			want: "2026-11-11"},
		{name: "every other month until",
			ev:   series(t, "2026-09-15T19:00", "2026-09-15T21:00", false, "FREQ=MONTHLY;INTERVAL=2;UNTIL=20270315"),
			from: "2026-01-01", to: "2028-01-01",
			want: "2026-09-15T19:00 2026-11-15T19:00 2027-01-15T19:00 2027-03-15T19:00"},
		{name: "a weekend trip overlapping the range start",
			ev:   series(t, "2026-10-02", "2026-10-04", true, "FREQ=WEEKLY"),
			from: "2026-10-04", to: "2026-10-10",
			want: "2026-10-02 2026-10-09", wantEnd: "2026-10-04"},
		{name: "an all-day event ending the day before the range",
			ev:   series(t, "2026-09-28", "2026-09-30", true, ""),
			from: "2026-10-01", to: "2026-10-10",
			want: ""},
		{name: "a timed event ending at midnight before the range",
			ev:   series(t, "2026-09-30T20:00", "2026-10-01T00:00", false, ""),
			from: "2026-10-01", to: "2026-10-10",
			want: ""},
		{name: "limit",
			ev:   series(t, "2026-01-01T07:00", "2026-01-01T07:30", false, "FREQ=DAILY"),
			from: "2026-01-01", to: "2027-01-01", limit: 5, wantMore: true,
			want: "2026-01-01T07:00 2026-01-02T07:00 2026-01-03T07:00 2026-01-04T07:00 2026-01-05T07:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limit := tt.limit
			if limit == 0 {
				limit = 1000
			}
			occ, more := tt.ev.Occurrences(wall(t, tt.from), wall(t, tt.to), limit)
			var starts, utc []string
			for _, o := range occ {
				starts = append(starts, calendar.FormatWall(o.Start, tt.ev.AllDay))
				utc = append(utc, calendar.Instant(o.Start).UTC().Format("15:04"))
			}
			if got := strings.Join(starts, " "); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if more != tt.wantMore {
				t.Errorf("more: got %v, want %v", more, tt.wantMore)
			}
			if tt.wantInUTC != "" {
				if got := strings.Join(utc, " "); got != tt.wantInUTC {
					t.Errorf("in UTC: got %v, want %v", got, tt.wantInUTC)
				}
			}
			if tt.wantEnd != "" && len(occ) > 0 {
				if got := calendar.FormatWall(occ[0].End, tt.ev.AllDay); got != tt.wantEnd {
					t.Errorf("end: got %v, want %v", got, tt.wantEnd)
				}
			}
		})
	}
}

func TestWallAndInstant(t *testing.T) {
	tests := []struct {
		wall, utc string
	}{
		{"2026-07-01T08:00", "2026-07-01T06:00:00Z"},
		{"2026-12-01T08:00", "2026-12-01T07:00:00Z"},
		{"2026-10-25T02:30", "2026-10-25T00:30:00Z"}, // the hour that happens twice: the first
		{"2027-03-28T02:30", "2027-03-28T01:30:00Z"}, // the hour that does not exist: offset before the change
	}
	for _, tt := range tests {
		t.Run(tt.wall, func(t *testing.T) {
			got := calendar.Instant(wall(t, tt.wall)).UTC().Format(time.RFC3339)
			if got != tt.utc {
				t.Errorf("got %v, want %v", got, tt.utc)
			}
		})
	}
	if got := calendar.FormatWall(calendar.WallOf(time.Date(2026, 10, 26, 7, 0, 0, 0, time.UTC)), false); got != "2026-10-26T08:00" {
		t.Errorf("WallOf: got %v, want 2026-10-26T08:00", got)
	}
}
