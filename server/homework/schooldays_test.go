package homework

import (
	"strings"
	"testing"

	"kaspel/server/store"
)

func TestSchoolDaysAfter(t *testing.T) {
	sd, err := newSchoolDays([]string{"2026-12-01", "2026-12-23/2027-01-06"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		start string
		n     int
		want  string
	}{
		{"2026-11-23", 2, "2026-11-25"}, // Monday: Tuesday, Wednesday
		{"2026-11-26", 2, "2026-11-30"}, // Thursday: Friday, Monday
		{"2026-11-27", 2, "2026-12-02"}, // Friday: Monday, (Tuesday a holiday), Wednesday
		{"2026-11-28", 1, "2026-11-30"}, // Saturday: Monday
		{"2026-11-30", 2, "2026-12-03"}, // Monday, with the holiday on Tuesday
		{"2026-12-21", 2, "2027-01-07"}, // over the Christmas holidays
		{"2026-11-23", 0, "2026-11-23"},
	}
	for _, tt := range tests {
		t.Run(tt.start, func(t *testing.T) {
			d, ok := parseDate(tt.start)
			if !ok {
				t.Fatal("bad date in test")
			}
			if got := sd.after(d, tt.n).Format(store.DateFormat); got != tt.want {
				t.Errorf("%d school days after %s: got %s, want %s", tt.n, tt.start, got, tt.want)
			}
		})
	}
	for day, want := range map[string]bool{"2026-11-27": true, "2026-11-28": false, "2026-11-29": false, "2026-12-01": false,
		"2026-12-23": false, "2027-01-06": false, "2027-01-07": true} {
		d, _ := parseDate(day)
		if got := sd.isSchoolDay(d); got != want {
			t.Errorf("isSchoolDay(%s): got %v, want %v", day, got, want)
		}
	}
}

func TestHolidayConfig(t *testing.T) {
	tests := []struct {
		holidays []string
		problem  string // part of the error, "" for none
	}{
		{nil, ""},
		{[]string{"2026-10-03", " 2026-10-12 / 2026-10-23 "}, ""},
		{[]string{"3.10.2026"}, "neither a date"},
		{[]string{"2026-10-23/2026-10-12"}, "neither a date"},
		{[]string{"2026-10-12/"}, "neither a date"},
		{[]string{"0226-10-12"}, "neither a date"},
		{[]string{"2026-01-01/2027-01-01"}, "longer than"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.holidays, ","), func(t *testing.T) {
			e := newEnv(t)
			_, err := New(e.db, e.dir, e.blobs, Config{Holidays: tt.holidays})
			switch {
			case tt.problem == "" && err != nil:
				t.Errorf("got %v, want accepted", err)
			case tt.problem != "" && (err == nil || !strings.Contains(err.Error(), tt.problem)):
				t.Errorf("got %v, want an error about %q", err, tt.problem)
			}
		})
	}
	e := newEnv(t)
	if _, err := New(e.db, e.dir, e.blobs, Config{MinSchoolDays: 31}); err == nil {
		t.Error("min_school_days 31: got no error")
	}
	svc, err := New(e.db, e.dir, e.blobs, Config{})
	if err != nil || svc.MinSchoolDays() != 2 {
		t.Errorf("zero config: got %v, min %d, want the default of 2", err, svc.MinSchoolDays())
	}
}
