package api_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"kaspel/client/serverapi"
	"kaspel/server/calendar"
	"kaspel/server/directory"
	"kaspel/shared/wire"
)

// calendarID finds a calendar in the caller's list: "public", "personal"
// or a class's name.
func (s *school) calendarID(c *serverapi.Client, which string) int64 {
	s.t.Helper()
	list, err := c.Calendars(ctx, true)
	if err != nil {
		s.t.Fatalf("list calendars: %v", err)
	}
	for _, cal := range list {
		if cal.Kind == which || cal.Group == which {
			return cal.ID
		}
	}
	s.t.Fatalf("no calendar %q in %+v", which, list)
	return 0
}

// occurrenceTitles lists the titles of the occurrences, sorted.
func occurrenceTitles(o wire.Occurrences) []string {
	var out []string
	for _, x := range o.List {
		out = append(out, x.Title)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestCalendarEndToEnd(t *testing.T) {
	s := newSchool(t)
	pupil, pupil4b := s.as(s.Pupil), s.as(s.OtherPupil)
	teacher, teacher4b := s.as(s.Teacher), s.as(s.OtherTeacher)
	secretary, admin := s.as(s.Secretary), s.as(s.Admin)

	t.Run("a pupil's calendars", func(t *testing.T) {
		list, err := pupil.Calendars(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range list {
			got = append(got, c.Kind+":"+c.Name+":"+map[bool]string{true: "schreiben", false: "lesen"}[c.Writable])
		}
		want := []string{"public:Schulkalender:lesen", "group:Klasse 3a:lesen", "personal:Mein Kalender:schreiben"}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})

	public := s.calendarID(admin, "public")
	class3a := s.calendarID(teacher, "3a")
	class4b := s.calendarID(teacher4b, "4b")
	lesson := wire.EventInput{Title: "Sport", Location: "Turnhalle", Start: "2026-09-07T08:00", End: "2026-09-07T08:45",
		Recurrence: &wire.Recurrence{Freq: "WEEKLY", ByDay: []string{"MO", "TH"}, Until: "2026-12-18"}}

	var sport wire.Event
	t.Run("the class teacher writes the class calendar", func(t *testing.T) {
		var err error
		if sport, err = teacher.CreateEvent(ctx, class3a, lesson); err != nil {
			t.Fatal(err)
		}
		if sport.RRule != "FREQ=WEEKLY;UNTIL=20261218;BYDAY=MO,TH" || !sport.Writable || sport.CreatedBy != s.Teacher {
			t.Errorf("got %+v, want the series with its rule, writable, by the teacher", sport)
		}
	})
	t.Run("but not another class's", func(t *testing.T) {
		_, err := teacher.CreateEvent(ctx, class4b, lesson)
		wantCode(t, err, wire.CodeNotFound, "teacher of 3a writes 4b")
	})
	t.Run("the pupil reads the class calendar", func(t *testing.T) {
		o, err := pupil.Occurrences(ctx, "2026-10-01", "2026-11-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(o.List) != 9 || o.List[0].Title != "Sport" || o.List[0].Start != "2026-10-01T08:00" || o.List[0].Writable {
			t.Errorf("got %d occurrences starting %+v, want 9 Sport lessons from 1 October, read only", len(o.List), o.List)
		}
		// After the end of summer time still at 8:00.
		if i := slices.IndexFunc(o.List, func(x wire.Occurrence) bool { return x.Date == "2026-10-26" }); i < 0 || o.List[i].Start != "2026-10-26T08:00" || o.List[i].End != "2026-10-26T08:45" {
			t.Errorf("got %+v, want a lesson on 26 October 8:00-8:45", o.List)
		}
		e, err := pupil.CalendarEvent(ctx, sport.ID)
		if err != nil || e.Title != "Sport" || e.Writable {
			t.Errorf("got %+v, %v, want the lesson, read only", e, err)
		}
	})
	t.Run("but cannot write it", func(t *testing.T) {
		_, err := pupil.CreateEvent(ctx, class3a, lesson)
		wantCode(t, err, wire.CodeForbidden, "pupil writes the class calendar")
		if m := serverapi.Message(err); !strings.Contains(m, "Lehrkräfte") {
			t.Errorf("got message %q, want one that says who may", m)
		}
		_, err = pupil.UpdateEvent(ctx, sport.ID, lesson)
		wantCode(t, err, wire.CodeForbidden, "pupil changes the lesson")
		wantCode(t, pupil.DeleteEvent(ctx, sport.ID), wire.CodeForbidden, "pupil deletes the lesson")
		wantCode(t, pupil.CancelOccurrence(ctx, sport.ID, "2026-10-01"), wire.CodeForbidden, "pupil cancels a lesson")
	})
	t.Run("nor the school calendar", func(t *testing.T) {
		_, err := pupil.CreateEvent(ctx, public, lesson)
		wantCode(t, err, wire.CodeForbidden, "pupil writes the school calendar")
		_, err = teacher.CreateEvent(ctx, public, lesson)
		wantCode(t, err, wire.CodeForbidden, "teacher without the right writes the school calendar")
	})
	t.Run("another class does not see it", func(t *testing.T) {
		o, err := pupil4b.Occurrences(ctx, "2026-10-01", "2026-11-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(o.List) != 0 {
			t.Errorf("got %v, want nothing", occurrenceTitles(o))
		}
		_, err = pupil4b.CalendarEvent(ctx, sport.ID)
		wantCode(t, err, wire.CodeNotFound, "4b pupil reads the 3a lesson")
		_, err = pupil4b.Occurrences(ctx, "2026-10-01", "2026-11-01", class3a)
		wantCode(t, err, wire.CodeNotFound, "4b pupil asks for the 3a calendar")
	})
	t.Run("holders of the calendar right write the school calendar", func(t *testing.T) {
		_, err := secretary.CreateEvent(ctx, public, wire.EventInput{Title: "Sommerfest", AllDay: true, Start: "2026-10-09", End: "2026-10-09"})
		wantCode(t, err, wire.CodeForbidden, "secretary without the right")
		if _, err := admin.SetRight(ctx, s.Secretary, directory.RightCalendar, true); err != nil {
			t.Fatal(err)
		}
		if _, err := secretary.CreateEvent(ctx, public, wire.EventInput{Title: "Sommerfest", AllDay: true, Start: "2026-10-09", End: "2026-10-09"}); err != nil {
			t.Fatalf("secretary with the right: %v", err)
		}
		for _, c := range []*serverapi.Client{pupil, pupil4b, teacher4b} {
			o, err := c.Occurrences(ctx, "2026-10-01", "2026-11-01")
			if err != nil || !slices.Contains(occurrenceTitles(o), "Sommerfest") {
				t.Errorf("got %v, %v, want the Sommerfest for everybody", occurrenceTitles(o), err)
			}
		}
	})
	t.Run("personal events are private", func(t *testing.T) {
		own := s.calendarID(pupil, "personal")
		e, err := pupil.CreateEvent(ctx, own, wire.EventInput{Title: "Geburtstag Oma", AllDay: true, Start: "2026-10-20", End: "2026-10-20"})
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]*serverapi.Client{"teacher": teacher, "admin": admin, "classmate": s.as(s.Pupil2)} {
			_, err := c.CalendarEvent(ctx, e.ID)
			wantCode(t, err, wire.CodeNotFound, name+" reads the pupil's event")
			_, err = c.Occurrences(ctx, "2026-10-01", "2026-11-01", own)
			wantCode(t, err, wire.CodeNotFound, name+" asks for the pupil's calendar")
			_, err = c.CalendarICS(ctx, own)
			wantCode(t, err, wire.CodeNotFound, name+" exports the pupil's calendar")
			o, err := c.Occurrences(ctx, "2026-10-01", "2026-11-01")
			if err != nil || slices.Contains(occurrenceTitles(o), "Geburtstag Oma") {
				t.Errorf("%s: got %v, %v, want no Geburtstag Oma", name, occurrenceTitles(o), err)
			}
		}
		o, err := pupil.Occurrences(ctx, "2026-10-01", "2026-11-01")
		if err != nil || !slices.Contains(occurrenceTitles(o), "Geburtstag Oma") {
			t.Errorf("got %v, %v, want the pupil's own event", occurrenceTitles(o), err)
		}
	})
	t.Run("the teacher changes and cancels", func(t *testing.T) {
		in := lesson
		in.Location = "Sportplatz"
		in.Sequence = &sport.Sequence
		up, err := teacher.UpdateEvent(ctx, sport.ID, in)
		if err != nil || up.Location != "Sportplatz" || up.Sequence != 1 {
			t.Fatalf("got %+v, %v, want the new place and sequence 1", up, err)
		}
		_, err = teacher.UpdateEvent(ctx, sport.ID, in) // still sequence 0
		wantCode(t, err, wire.CodeConflict, "change with a stale sequence")
		if err := teacher.CancelOccurrence(ctx, sport.ID, "2026-10-26"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, teacher.CancelOccurrence(ctx, sport.ID, "2026-10-27"), wire.CodeNotFound, "cancel a day without a lesson")
		o, err := pupil.Occurrences(ctx, "2026-10-26", "2026-10-27")
		if err != nil || len(o.List) != 0 {
			t.Errorf("got %+v, %v, want the cancelled lesson gone", o.List, err)
		}
		e, err := pupil.CalendarEvent(ctx, sport.ID)
		if err != nil || !slices.Equal(e.Exceptions, []string{"2026-10-26"}) {
			t.Errorf("got %+v, %v, want the cancelled day listed", e.Exceptions, err)
		}
	})
	t.Run("German messages for mistakes", func(t *testing.T) {
		_, err := teacher.CreateEvent(ctx, class3a, wire.EventInput{Title: "Sport", Start: "2026-09-07T09:00", End: "2026-09-07T08:00"})
		var ae *serverapi.Error
		if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest || ae.Code != wire.CodeInvalid ||
			!slices.Equal(ae.Fields, []string{"end"}) || !strings.Contains(ae.Message, "Ende") {
			t.Errorf("got %v, want 400 invalid on end with a German message", err)
		}
		_, err = teacher.CreateEvent(ctx, class3a, wire.EventInput{Title: "Sport", Start: "2026-09-07T08:00", End: "2026-09-07T09:00",
			Recurrence: &wire.Recurrence{Freq: "HOURLY"}})
		wantCode(t, err, wire.CodeInvalid, "hourly")
		_, err = teacher.Occurrences(ctx, "2026-10-01", "2028-10-01")
		wantCode(t, err, wire.CodeInvalid, "a range of two years")
		_, err = teacher.CalendarEvent(ctx, 987654)
		wantCode(t, err, wire.CodeNotFound, "no such event")
		status, code := s.raw(s.token(s.Teacher), "GET", "/api/v1/calendar/events/abc", nil)
		if status != http.StatusNotFound || code != wire.CodeNotFound {
			t.Errorf("got %d %s, want 404 for a malformed id", status, code)
		}
	})
	t.Run("iCalendar export of the class calendar", func(t *testing.T) {
		data, err := pupil.CalendarICS(ctx, class3a)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		ev := cal.Events()
		if len(ev) != 1 || ev[0].GetProperty(ics.ComponentPropertySummary).Value != "Sport" ||
			ev[0].GetProperty(ics.ComponentPropertyRrule).Value != "FREQ=WEEKLY;UNTIL=20261218T225959Z;BYDAY=MO,TH" {
			t.Errorf("got %s, want the Sport series", data)
		}
	})
	t.Run("the teacher deletes", func(t *testing.T) {
		if err := teacher.DeleteEvent(ctx, sport.ID); err != nil {
			t.Fatal(err)
		}
		_, err := pupil.CalendarEvent(ctx, sport.ID)
		wantCode(t, err, wire.CodeNotFound, "read a deleted event")
	})
	if strings.Contains(s.Log.String(), "level=ERROR") {
		t.Errorf("got errors in the server log: %s", s.Log.String())
	}
}

// publicGet fetches a path without a session and returns status, headers and body.
func (s *school) publicGet(path string) (int, http.Header, []byte) {
	s.t.Helper()
	resp, err := s.httpClient().Get(s.BaseURL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

func TestPublicCalendarWithoutLogin(t *testing.T) {
	s := newSchool(t)
	admin := s.as(s.Admin)
	public := s.calendarID(admin, "public")
	// Next week, whatever day the test runs: the page shows what is coming.
	day := time.Now().In(calendar.Berlin).AddDate(0, 0, 7).Format(calendar.DateLayout)
	title := `<script>alert("Ferien!")</script> Sommerfest & Basar`
	fest, err := admin.CreateEvent(ctx, public, wire.EventInput{Title: title, Location: "Schulhof", Start: day + "T15:00", End: day + "T18:00",
		Recurrence: &wire.Recurrence{Freq: "YEARLY"}})
	if err != nil {
		t.Fatal(err)
	}
	teacher := s.as(s.Teacher)
	if _, err := teacher.CreateEvent(ctx, s.calendarID(teacher, "3a"), wire.EventInput{Title: "Nur für die 3a", AllDay: true, Start: day, End: day}); err != nil {
		t.Fatal(err)
	}

	t.Run("iCalendar feed", func(t *testing.T) {
		status, h, body := s.publicGet("/calendar/public.ics")
		if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/calendar") {
			t.Fatalf("got %d %s, want 200 text/calendar", status, h.Get("Content-Type"))
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("golang-ical: %v", err)
		}
		ev := cal.Events()
		if len(ev) != 1 {
			t.Fatalf("got %d events, want the one public event", len(ev))
		}
		start, err := ev[0].GetStartAt()
		wantStart, _ := time.ParseInLocation(calendar.WallLayout, day+"T15:00", calendar.Berlin)
		for _, c := range []struct{ what, got, want string }{
			{"UID", ev[0].Id(), fest.UID},
			{"SUMMARY", ev[0].GetProperty(ics.ComponentPropertySummary).Value, title},
			{"LOCATION", ev[0].GetProperty(ics.ComponentPropertyLocation).Value, "Schulhof"},
			{"RRULE", ev[0].GetProperty(ics.ComponentPropertyRrule).Value, "FREQ=YEARLY"},
			{"DTSTART", start.UTC().Format(time.RFC3339), wantStart.UTC().Format(time.RFC3339)},
		} {
			if c.got != c.want {
				t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
			}
		}
		if err != nil {
			t.Error(err)
		}
		anon, err := s.anon().PublicCalendarICS(ctx)
		if err != nil || !bytes.Equal(anon, body) {
			t.Errorf("serverapi: got %d bytes, %v, want the same feed", len(anon), err)
		}
	})
	t.Run("HTML page", func(t *testing.T) {
		status, h, body := s.publicGet("/kalender/")
		page := string(body)
		if status != http.StatusOK || h.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("got %d %s, want 200 text/html", status, h.Get("Content-Type"))
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("got CSP %q, want default-src 'none'", csp)
		}
		if xfo := h.Get("X-Frame-Options"); xfo != "" {
			t.Errorf("got X-Frame-Options %q, want the page embeddable", xfo)
		}
		if strings.Contains(page, "<script") || !strings.Contains(page, "&lt;script&gt;alert(&#34;Ferien!&#34;)&lt;/script&gt; Sommerfest &amp; Basar") {
			t.Errorf("got %s, want the title escaped", page)
		}
		if strings.Contains(page, "Nur für die 3a") {
			t.Errorf("got the class's event on the public page")
		}
		if !strings.Contains(page, "15:00–18:00 Uhr") {
			t.Errorf("got %s, want the time in German", page)
		}
	})
}

func TestCalendarModuleSwitchedOff(t *testing.T) {
	s := newSchool(t)
	admin := s.as(s.Admin)
	pupil := s.as(s.Pupil)
	if _, err := pupil.Calendars(ctx, false); err != nil {
		t.Fatal(err)
	}
	set := func(on bool) {
		t.Helper()
		if _, err := admin.SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleCalendar, Enabled: on}}); err != nil {
			t.Fatal(err)
		}
	}
	set(false)
	for _, path := range []string{"/calendar/public.ics", "/kalender/"} {
		t.Run(path, func(t *testing.T) {
			status, _, body := s.publicGet(path)
			var eb wire.ErrorBody
			if status != http.StatusNotFound || json.Unmarshal(body, &eb) != nil || eb.Error.Code != wire.CodeNotFound {
				t.Errorf("got %d %s, want 404 with the JSON error", status, body)
			}
		})
	}
	_, err := pupil.Calendars(ctx, false)
	wantCode(t, err, wire.CodeNotFound, "calendars with the module off")
	_, err = admin.Occurrences(ctx, "2026-10-01", "2026-11-01")
	wantCode(t, err, wire.CodeNotFound, "occurrences with the module off")
	sess, err := pupil.Session(ctx)
	if err != nil || slices.Contains(sess.Modules, wire.ModuleCalendar) {
		t.Errorf("got modules %v, %v, want no calendar", sess.Modules, err)
	}
	set(true)
	if status, _, _ := s.publicGet("/kalender/"); status != http.StatusOK {
		t.Errorf("got %d, want the page back", status)
	}
}
