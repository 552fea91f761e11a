package api_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"kaspel/client/serverapi"
	"kaspel/shared/wire"
)

// TestChangeOccurrenceEndToEnd moves one lesson of a weekly series over
// the API: POST /api/v1/calendar/events/{id}/occurrences/{date}.
func TestChangeOccurrenceEndToEnd(t *testing.T) {
	s := newSchool(t)
	teacher, pupil := s.as(s.Teacher), s.as(s.Pupil)
	class3a := s.calendarID(teacher, "3a")
	// Mondays 8:00-8:45: 7., 14., 21., 28.09.
	series, err := teacher.CreateEvent(ctx, class3a, wire.EventInput{Title: "Sport", Location: "Turnhalle",
		Start: "2026-09-07T08:00", End: "2026-09-07T08:45", Recurrence: &wire.Recurrence{Freq: "WEEKLY"}})
	if err != nil {
		t.Fatal(err)
	}
	moved := wire.EventInput{Title: "Sport", Location: "Sportplatz", Start: "2026-09-23T10:00", End: "2026-09-23T10:45"}
	repeating := moved
	repeating.Recurrence = &wire.Recurrence{Freq: "WEEKLY"}
	seq := 0
	versioned := moved
	versioned.Sequence = &seq

	path := func(date string) string {
		return fmt.Sprintf("/api/v1/calendar/events/%d/occurrences/%s", series.ID, date)
	}
	refusals := []struct {
		name   string
		as     *serverapi.Client
		date   string
		in     wire.EventInput
		status int
		code   string
	}{
		{"pupil", pupil, "2026-09-21", moved, http.StatusForbidden, wire.CodeForbidden},
		{"not an occurrence", teacher, "2026-09-22", moved, http.StatusNotFound, wire.CodeNotFound},
		{"not a date", teacher, "21.09.2026", moved, http.StatusBadRequest, wire.CodeInvalid},
		{"recurrence", teacher, "2026-09-21", repeating, http.StatusBadRequest, wire.CodeInvalid},
		{"sequence", teacher, "2026-09-21", versioned, http.StatusBadRequest, wire.CodeInvalid},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.as.ChangeOccurrence(ctx, series.ID, tt.date, tt.in)
			var ae *serverapi.Error
			if !errors.As(err, &ae) || ae.Status != tt.status || ae.Code != tt.code || ae.Message == "" {
				t.Errorf("got %v, want %d %s with a German message", err, tt.status, tt.code)
			}
		})
	}
	t.Run("the teacher moves the third lesson", func(t *testing.T) {
		status, code := s.raw(s.token(s.Teacher), "POST", path("2026-09-21"), moved)
		if status != http.StatusCreated || code != "" {
			t.Fatalf("got %d %q, want 201", status, code)
		}
		o, err := pupil.Occurrences(ctx, "2026-09-01", "2026-10-01")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range o.List {
			got = append(got, x.Start+" "+x.Location+" "+fmt.Sprint(x.Recurring))
		}
		want := []string{"2026-09-07T08:00 Turnhalle true", "2026-09-14T08:00 Turnhalle true",
			"2026-09-23T10:00 Sportplatz false", "2026-09-28T08:00 Turnhalle true"}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		e, err := pupil.CalendarEvent(ctx, series.ID)
		if err != nil || !slices.Equal(e.Exceptions, []string{"2026-09-21"}) {
			t.Errorf("got %+v, %v, want 2026-09-21 cancelled in the series", e.Exceptions, err)
		}
	})
	t.Run("the client call returns the new event", func(t *testing.T) {
		e, err := teacher.ChangeOccurrence(ctx, series.ID, "2026-09-28", wire.EventInput{Title: "Sport fällt aus – Wandertag",
			AllDay: true, Start: "2026-09-28", End: "2026-09-28"})
		if err != nil {
			t.Fatal(err)
		}
		if e.ID == series.ID || e.CalendarID != class3a || e.Recurrence != nil || !e.AllDay || !e.Writable || e.CreatedBy != s.Teacher {
			t.Errorf("got %+v, want a new single all-day event in the class calendar", e)
		}
	})
	t.Run("a changed day cannot be changed again", func(t *testing.T) {
		_, err := teacher.ChangeOccurrence(ctx, series.ID, "2026-09-21", moved)
		wantCode(t, err, wire.CodeInvalid, "change the moved lesson again")
		if m := serverapi.Message(err); !strings.Contains(m, "schon aus") {
			t.Errorf("got message %q, want one that says it is cancelled already", m)
		}
	})
	if strings.Contains(s.Log.String(), "level=ERROR") {
		t.Errorf("got errors in the server log: %s", s.Log.String())
	}
}
