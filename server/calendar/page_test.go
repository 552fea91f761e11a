package calendar_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"kaspel/server/calendar"
)

func TestPublicPage(t *testing.T) {
	e := newEnv(t)
	e.cal.SetClock(func() time.Time { return time.Date(2026, 10, 14, 12, 0, 0, 0, time.UTC) })
	page := func() string {
		t.Helper()
		var b bytes.Buffer
		if err := e.cal.PublicPage(ctx, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if got := page(); !strings.Contains(got, "keine Termine") {
		t.Errorf("empty calendar: got %q, want a sentence saying there are no events", got)
	}
	pub := e.calendarOf(e.writer, "public")
	e.create(e.writer, pub, calendar.Input{Title: `<script>alert("x")</script>`, Location: `<img src=x onerror=alert(1)>`,
		Description: "Zeile 1\n<b>Zeile 2</b>", Start: "2026-10-20T08:00", End: "2026-10-20T09:00"})
	e.create(e.writer, pub, calendar.Input{Title: "Herbstferien", AllDay: true, Start: "2026-10-12", End: "2026-10-24"})
	e.create(e.writer, pub, calendar.Input{Title: "Vorbei", Start: "2026-10-13T08:00", End: "2026-10-13T09:00"})
	e.create(e.writer, pub, calendar.Input{Title: "Laternenfest", Start: "2026-11-11T17:00", End: "2026-11-11T19:00"})
	e.create(e.writer, pub, calendar.Input{Title: "Zu weit weg", AllDay: true, Start: "2027-11-01", End: "2027-11-01"})
	e.create(e.teacher, e.calendarOf(e.teacher, "3a"), calendar.Input{Title: "Nur für die 3a", Start: "2026-10-21T08:00", End: "2026-10-21T09:00"})
	got := page()
	tests := []struct {
		name string
		want string
		not  bool
	}{
		{"German", `<html lang="de">`, false},
		{"title escaped", `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`, false},
		{"no script", `<script>`, true},
		{"location escaped", `&lt;img src=x onerror=alert(1)&gt;`, false},
		{"description escaped", `Zeile 1
&lt;b&gt;Zeile 2&lt;/b&gt;`, false},
		{"no image", `<img`, true},
		{"no linked resources", `<link`, true},
		{"no http", `http`, true},
		{"months", `<h2 id="m2026-10">Oktober 2026</h2>`, false},
		{"next month", `<h2 id="m2026-11">November 2026</h2>`, false},
		{"timed", `Di, 20. Oktober, 8:00–9:00 Uhr`, false},
		{"ongoing holiday", `Mo, 12. Oktober – Sa, 24. Oktober`, false},
		{"machine-readable time", `datetime="2026-11-11T17:00:00&#43;01:00"`, false},
		{"past event", `Vorbei`, true},
		{"more than a year ahead", `Zu weit weg`, true},
		{"class calendar", `Nur für die 3a`, true},
		{"subscription link", `href="/calendar/public.ics"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if has := strings.Contains(got, tt.want); has == tt.not {
				t.Errorf("got the page %s %q, want %v", map[bool]string{true: "with", false: "without"}[has], tt.want, !tt.not)
			}
		})
	}
	if i, j := strings.Index(got, "Herbstferien"), strings.Index(got, "alert"); i < 0 || j < 0 || i > j {
		t.Errorf("got Herbstferien at %d and the 20 October event at %d, want the holiday first", i, j)
	}
}
