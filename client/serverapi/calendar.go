package serverapi

import (
	"context"
	"fmt"
	"net/url"

	"kaspel/shared/wire"
)

// Calendars lists the calendars the caller may read, with colour and
// whether they may write them. With all, an admin also gets every other
// class's and group's calendar.
func (c *Client) Calendars(ctx context.Context, all bool) ([]wire.Calendar, error) {
	v := url.Values{}
	if all {
		v.Set("all", "1")
	}
	var out wire.Calendars
	err := c.do(ctx, request{method: "GET", path: "/api/v1/calendar/calendars", query: v, out: &out})
	return out.Calendars, err
}

// Occurrences lists what takes place from the day from up to (not
// including) the day to (YYYY-MM-DD), in the given calendars or, with
// none, in all the caller's own (school, classes and groups, personal).
func (c *Client) Occurrences(ctx context.Context, from, to string, calendars ...int64) (wire.Occurrences, error) {
	v := url.Values{"from": {from}, "to": {to}}
	for _, id := range calendars {
		v.Add("calendar", fmt.Sprint(id))
	}
	var out wire.Occurrences
	err := c.do(ctx, request{method: "GET", path: "/api/v1/calendar/occurrences", query: v, out: &out})
	return out, err
}

// CalendarEvent returns one event with its series.
func (c *Client) CalendarEvent(ctx context.Context, id int64) (wire.Event, error) {
	var out wire.Event
	err := c.do(ctx, request{method: "GET", path: fmt.Sprintf("/api/v1/calendar/events/%d", id), out: &out})
	return out, err
}

// CreateEvent adds an event to a calendar.
func (c *Client) CreateEvent(ctx context.Context, calendarID int64, e wire.EventInput) (wire.Event, error) {
	var out wire.Event
	err := c.do(ctx, request{method: "POST", path: fmt.Sprintf("/api/v1/calendar/calendars/%d/events", calendarID), json: e, out: &out})
	return out, err
}

// UpdateEvent replaces an event's fields (set e.Sequence to what was read
// to be told when someone else changed it meanwhile).
func (c *Client) UpdateEvent(ctx context.Context, id int64, e wire.EventInput) (wire.Event, error) {
	var out wire.Event
	err := c.do(ctx, request{method: "PUT", path: fmt.Sprintf("/api/v1/calendar/events/%d", id), json: e, out: &out})
	return out, err
}

// DeleteEvent removes an event, a series with all its occurrences.
func (c *Client) DeleteEvent(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: fmt.Sprintf("/api/v1/calendar/events/%d", id)})
}

// CancelOccurrence takes the occurrence on date (YYYY-MM-DD) out of a
// series.
func (c *Client) CancelOccurrence(ctx context.Context, id int64, date string) error {
	return c.do(ctx, request{method: "DELETE", path: fmt.Sprintf("/api/v1/calendar/events/%d/occurrences/%s", id, esc(date))})
}

// ChangeOccurrence replaces the occurrence on date (YYYY-MM-DD) of a
// series by a single event made from e (no recurrence), in the series'
// calendar, and returns that event.
func (c *Client) ChangeOccurrence(ctx context.Context, id int64, date string, e wire.EventInput) (wire.Event, error) {
	var out wire.Event
	err := c.do(ctx, request{method: "POST", path: fmt.Sprintf("/api/v1/calendar/events/%d/occurrences/%s", id, esc(date)), json: e, out: &out})
	return out, err
}

// CalendarICS returns a calendar as an iCalendar file.
func (c *Client) CalendarICS(ctx context.Context, calendarID int64) ([]byte, error) {
	var out []byte
	err := c.do(ctx, request{method: "GET", path: fmt.Sprintf("/api/v1/calendar/calendars/%d/calendar.ics", calendarID), raw: &out})
	return out, err
}

// PublicCalendarICS returns the public school calendar as an iCalendar
// file (no login needed).
func (c *Client) PublicCalendarICS(ctx context.Context) ([]byte, error) {
	var out []byte
	err := c.do(ctx, request{method: "GET", path: "/calendar/public.ics", raw: &out})
	return out, err
}

// PublicCalendarPage returns the HTML page of the coming school events
// (no login needed).
func (c *Client) PublicCalendarPage(ctx context.Context) ([]byte, error) {
	var out []byte
	err := c.do(ctx, request{method: "GET", path: "/kalender/", raw: &out})
	return out, err
}
