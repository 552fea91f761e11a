package wire

import "time"

// Calendar kinds.
const (
	CalendarPublic   = "public"   // the school calendar: everyone reads it, also without login
	CalendarGroup    = "group"    // a class's or group's
	CalendarPersonal = "personal" // the caller's own
)

// Calendar is one calendar the caller may read
// (GET /api/v1/calendar/calendars).
type Calendar struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
	// Name is what the client shows: "Schulkalender", "Klasse 3a",
	// "Mein Kalender".
	Name string `json:"name"`
	// Group is the class or group of a group calendar ("3a").
	Group string `json:"group,omitempty"`
	// Colour is the calendar's colour as #RRGGBB (dark enough for white
	// text).
	Colour string `json:"colour"`
	// Member: the caller is in the class or group (false only for the
	// other classes an admin asked for with all=1).
	Member   bool `json:"member"`
	Writable bool `json:"writable"`
}

// Calendars is the answer of GET /api/v1/calendar/calendars.
type Calendars struct {
	Calendars []Calendar `json:"calendars"`
}

// Recurrence is how an event repeats: the RRULE subset of RFC 5545.
type Recurrence struct {
	// Freq is DAILY, WEEKLY, MONTHLY or YEARLY. Monthly and yearly series
	// repeat on the start's day of the month; months without that day
	// (the 31st, February 29) are left out.
	Freq string `json:"freq"`
	// Interval: every Interval-th day/week/month/year; 0 or 1 every one.
	Interval int `json:"interval,omitempty"`
	// Count ends the series after so many occurrences (cancelled ones
	// count); Until ends it on a day (YYYY-MM-DD, included). Not both;
	// neither: no end.
	Count int    `json:"count,omitempty"`
	Until string `json:"until,omitempty"`
	// ByDay are the weekdays of a weekly series (MO, TU, WE, TH, FR, SA,
	// SU); the start must be on one of them. Empty: the start's weekday.
	ByDay []string `json:"by_day,omitempty"`
}

// EventInput is an event as the client sends it
// (POST /api/v1/calendar/calendars/{id}/events, PUT /api/v1/calendar/events/{id}).
type EventInput struct {
	Title       string `json:"title"`
	Location    string `json:"location,omitempty"`
	Description string `json:"description,omitempty"`
	AllDay      bool   `json:"all_day"`
	// Start and End are wall times in Europe/Berlin, "2026-10-05T08:00";
	// for all-day events dates, "2026-10-05", End the last day (the same
	// as Start for one day).
	Start      string      `json:"start"`
	End        string      `json:"end"`
	Recurrence *Recurrence `json:"recurrence,omitempty"`
	// CalendarID (updates only) moves the event to another calendar the
	// caller may write; 0 leaves it.
	CalendarID int64 `json:"calendar_id,omitempty"`
	// Sequence (updates only), if sent, must be the event's sequence as
	// the caller read it; otherwise 409 conflict (someone changed it).
	Sequence *int `json:"sequence,omitempty"`
}

// Event is one event with its series (GET /api/v1/calendar/events/{id},
// and the answer to creating and changing one).
type Event struct {
	ID          int64       `json:"id"`
	CalendarID  int64       `json:"calendar_id"`
	UID         string      `json:"uid"`
	Title       string      `json:"title"`
	Location    string      `json:"location"`
	Description string      `json:"description"`
	AllDay      bool        `json:"all_day"`
	Start       string      `json:"start"`
	End         string      `json:"end"`
	Recurrence  *Recurrence `json:"recurrence,omitempty"`
	// RRule is the series as an RFC 5545 RRULE value (read only).
	RRule string `json:"rrule,omitempty"`
	// Exceptions are the dates of cancelled occurrences.
	Exceptions []string  `json:"exceptions"`
	Sequence   int       `json:"sequence"`
	Writable   bool      `json:"writable"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedBy  string    `json:"updated_by"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Occurrence is one time an event takes place, for the month view and
// the agenda.
type Occurrence struct {
	EventID     int64  `json:"event_id"`
	CalendarID  int64  `json:"calendar_id"`
	Title       string `json:"title"`
	Location    string `json:"location,omitempty"`
	Description string `json:"description,omitempty"`
	AllDay      bool   `json:"all_day"`
	// Start and End as in Event: wall times in Europe/Berlin, or dates
	// (End the last day) for all-day events.
	Start string `json:"start"`
	End   string `json:"end"`
	// Date is the occurrence's day: what DELETE
	// /api/v1/calendar/events/{id}/occurrences/{date} takes.
	Date      string `json:"date"`
	Recurring bool   `json:"recurring"`
	Writable  bool   `json:"writable"`
}

// Occurrences is the answer of GET /api/v1/calendar/occurrences.
type Occurrences struct {
	From      string       `json:"from"`
	To        string       `json:"to"`
	Calendars []Calendar   `json:"calendars"`
	List      []Occurrence `json:"occurrences"`
	// Truncated: there were more occurrences than the server sends at
	// once (5000); ask for a shorter range.
	Truncated bool `json:"truncated,omitempty"`
}
