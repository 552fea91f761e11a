package api_test

import (
	"fmt"

	"kaspel/shared/wire"
)

// The calendar's routes are open to every logged-in person; who may read
// or write a calendar follows from the data (membership in the class), so
// the rows name the callers the handler refuses with 403: the pupil, who
// reads the class 3a calendar but may not change it. Callers who may not
// read it at all (the secretary, a teacher of another class) get 404,
// which the matrix counts as let through the access layer.
func init() {
	lessonBody := wire.EventInput{Title: "Matrix", Start: "2026-09-08T08:00", End: "2026-09-08T08:45"}
	matrix = append(matrix,
		matrixRow{method: "GET", pattern: "/api/v1/calendar/calendars", who: "all"},
		matrixRow{method: "GET", pattern: "/api/v1/calendar/occurrences", who: "all",
			path: "/api/v1/calendar/occurrences?from=2026-09-01&to=2026-10-01"},
		matrixRow{method: "GET", pattern: "/api/v1/calendar/calendars/{id}/calendar.ics", who: "all",
			path: "/api/v1/calendar/calendars/{cal_class}/calendar.ics"},
		matrixRow{method: "POST", pattern: "/api/v1/calendar/calendars/{id}/events", who: "all",
			path: "/api/v1/calendar/calendars/{cal_class}/events", body: lessonBody, handlerDenies: []string{"pupil"}},
		matrixRow{method: "GET", pattern: "/api/v1/calendar/events/{id}", who: "all",
			path: "/api/v1/calendar/events/{cal_event}"},
		matrixRow{method: "PUT", pattern: "/api/v1/calendar/events/{id}", who: "all",
			path: "/api/v1/calendar/events/{cal_event}", body: lessonBody, handlerDenies: []string{"pupil"}},
		matrixRow{method: "DELETE", pattern: "/api/v1/calendar/events/{id}/occurrences/{date}", who: "all",
			path: "/api/v1/calendar/events/{cal_series}/occurrences/2026-09-14", handlerDenies: []string{"pupil"}},
		matrixRow{method: "POST", pattern: "/api/v1/calendar/events/{id}/occurrences/{date}", who: "all",
			path: "/api/v1/calendar/events/{cal_series}/occurrences/2026-09-21", body: lessonBody, handlerDenies: []string{"pupil"}},
		// The pupil comes before the teacher, who deletes it; later
		// callers find nothing (404).
		matrixRow{method: "DELETE", pattern: "/api/v1/calendar/events/{id}", who: "all",
			path: "/api/v1/calendar/events/{cal_doomed}", handlerDenies: []string{"pupil"}},
		matrixRow{method: "GET", pattern: "/calendar/public.ics", who: "public"},
		matrixRow{method: "GET", pattern: "/kalender/", who: "public"},
	)
	matrixSetups = append(matrixSetups, func(s *school, vars matrixVars) {
		s.t.Helper()
		teacher := s.as(s.Teacher)
		cal := s.calendarID(teacher, "3a")
		vars["cal_class"] = fmt.Sprint(cal)
		add := func(in wire.EventInput) string {
			e, err := teacher.CreateEvent(ctx, cal, in)
			if err != nil {
				s.t.Fatalf("matrix setup: create %q: %v", in.Title, err)
			}
			return fmt.Sprint(e.ID)
		}
		vars["cal_event"] = add(wire.EventInput{Title: "Sport", Start: "2026-09-07T08:00", End: "2026-09-07T08:45"})
		vars["cal_doomed"] = add(wire.EventInput{Title: "Ausflug", AllDay: true, Start: "2026-09-10", End: "2026-09-10"})
		vars["cal_series"] = add(wire.EventInput{Title: "Schwimmen", Start: "2026-09-07T10:00", End: "2026-09-07T10:45",
			Recurrence: &wire.Recurrence{Freq: "WEEKLY"}})
	})
}
