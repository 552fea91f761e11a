package api

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"time"

	"kaspel/server/calendar"
	"kaspel/shared/wire"
)

// The calendar module: the school calendar, one per class or group, and
// a personal one per person (docs/api/calendar.md). Who may read and
// write a calendar depends on its data (membership in the class), so
// every route is open to all logged-in people and the calendar service
// decides; a calendar the caller may not read answers 404, one they may
// read but not change 403.
func init() {
	modules = append(modules, module{name: wire.ModuleCalendar, migrations: calendar.Migrations, register: func(s *Server) error {
		h := &calendarAPI{cal: calendar.New(s.DB, s.Dir)}
		a := Access{Module: wire.ModuleCalendar}
		s.handle("GET", "/api/v1/calendar/calendars", a, h.calendars)
		s.handle("GET", "/api/v1/calendar/occurrences", a, h.occurrences)
		s.handle("GET", "/api/v1/calendar/calendars/{id}/calendar.ics", a, h.export)
		s.handle("POST", "/api/v1/calendar/calendars/{id}/events", a, h.create)
		s.handle("GET", "/api/v1/calendar/events/{id}", a, h.event)
		s.handle("PUT", "/api/v1/calendar/events/{id}", a, h.update)
		s.handle("DELETE", "/api/v1/calendar/events/{id}", a, h.delete)
		s.handle("DELETE", "/api/v1/calendar/events/{id}/occurrences/{date}", a, h.cancel)
		s.handle("POST", "/api/v1/calendar/events/{id}/occurrences/{date}", a, h.changeOccurrence)
		// The public calendar for the school's homepage and for parents'
		// phones: no login, but switched off with the module.
		pub := Access{Public: true, Module: wire.ModuleCalendar}
		s.handle("GET", "/calendar/public.ics", pub, h.publicFeed)
		s.handle("GET", "/kalender/", pub, h.publicPage)
		return nil
	}})
}

type calendarAPI struct {
	cal *calendar.Service
}

// calendarError gives the calendar's refusals their German message and
// status; everything else goes on to mapError.
func calendarError(err error) error {
	var ce *calendar.Error
	if !errors.As(err, &ce) {
		return err
	}
	var fields []string
	if ce.Field != "" {
		fields = []string{ce.Field}
	}
	switch {
	case errors.Is(err, calendar.ErrForbidden):
		return newError(http.StatusForbidden, wire.CodeForbidden, ce.German)
	case errors.Is(err, calendar.ErrConflict):
		return newError(http.StatusConflict, wire.CodeConflict, ce.German)
	}
	return invalid(ce.German, fields...)
}

// calendarPathID reads the numeric {id} from the path; anything else names nothing.
func calendarPathID(c *call) (int64, error) {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

func (h *calendarAPI) calendars(c *call) error {
	list, err := h.cal.Calendars(c.ctx, c.me, c.flag("all"))
	if err != nil {
		return calendarError(err)
	}
	out := wire.Calendars{Calendars: make([]wire.Calendar, len(list))}
	for i, cal := range list {
		out.Calendars[i] = wireCalendar(cal)
	}
	return c.ok(out)
}

func (h *calendarAPI) occurrences(c *call) error {
	r := calendar.Range{From: c.query("from"), To: c.query("to")}
	for _, v := range c.r.URL.Query()["calendar"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return invalid("Diesen Kalender gibt es nicht.", "calendar")
		}
		r.Calendars = append(r.Calendars, id)
	}
	res, err := h.cal.Occurrences(c.ctx, c.me, r)
	if err != nil {
		return calendarError(err)
	}
	out := wire.Occurrences{From: r.From, To: r.To, Truncated: res.Truncated,
		Calendars: make([]wire.Calendar, len(res.Calendars)), List: make([]wire.Occurrence, len(res.List))}
	for i, cal := range res.Calendars {
		out.Calendars[i] = wireCalendar(cal)
	}
	for i, o := range res.List {
		e := o.Event
		out.List[i] = wire.Occurrence{EventID: e.ID, CalendarID: e.CalendarID, Title: e.Title, Location: e.Location,
			Description: e.Description, AllDay: e.AllDay, Start: calendar.FormatWall(o.Start, e.AllDay),
			End: calendar.FormatWall(o.End, e.AllDay), Date: o.Start.Format(calendar.DateLayout),
			Recurring: e.Rule != nil, Writable: e.Writable}
	}
	return c.ok(out)
}

func (h *calendarAPI) event(c *call) error {
	id, err := calendarPathID(c)
	if err != nil {
		return err
	}
	e, err := h.cal.Event(c.ctx, c.me, id)
	if err != nil {
		return calendarError(err)
	}
	return c.ok(wireCalendarEvent(e))
}

func (h *calendarAPI) create(c *call) error {
	id, err := calendarPathID(c)
	if err != nil {
		return err
	}
	var req wire.EventInput
	if err := c.decode(&req); err != nil {
		return err
	}
	if req.CalendarID != 0 || req.Sequence != nil {
		return invalid("Beim Anlegen gehören Kalender und Version nicht in die Angaben.", "calendar_id", "sequence")
	}
	e, err := h.cal.Create(c.ctx, c.me, id, calendarInput(req))
	if err != nil {
		return calendarError(err)
	}
	return c.reply(http.StatusCreated, wireCalendarEvent(e))
}

func (h *calendarAPI) update(c *call) error {
	id, err := calendarPathID(c)
	if err != nil {
		return err
	}
	var req wire.EventInput
	if err := c.decode(&req); err != nil {
		return err
	}
	e, err := h.cal.Update(c.ctx, c.me, id, calendar.Change{Input: calendarInput(req), Calendar: req.CalendarID, Sequence: req.Sequence})
	if err != nil {
		return calendarError(err)
	}
	return c.ok(wireCalendarEvent(e))
}

func (h *calendarAPI) delete(c *call) error {
	id, err := calendarPathID(c)
	if err != nil {
		return err
	}
	if err := h.cal.Delete(c.ctx, c.me, id); err != nil {
		return calendarError(err)
	}
	return c.noContent()
}

func (h *calendarAPI) cancel(c *call) error {
	id, err := calendarPathID(c)
	if err != nil {
		return err
	}
	if err := h.cal.CancelOccurrence(c.ctx, c.me, id, c.r.PathValue("date")); err != nil {
		return calendarError(err)
	}
	return c.noContent()
}

// changeOccurrence replaces one occurrence of a series by a single event
// (the lesson moved to another day or hour): 201 with the new event.
func (h *calendarAPI) changeOccurrence(c *call) error {
	id, err := calendarPathID(c)
	if err != nil {
		return err
	}
	var req wire.EventInput
	if err := c.decode(&req); err != nil {
		return err
	}
	if req.CalendarID != 0 || req.Sequence != nil {
		return invalid("Ein geänderter Termin bleibt im Kalender der Serie; Kalender und Version gehören nicht in die Angaben.", "calendar_id", "sequence")
	}
	e, err := h.cal.ChangeOccurrence(c.ctx, c.me, id, c.r.PathValue("date"), calendarInput(req))
	if err != nil {
		return calendarError(err)
	}
	return c.reply(http.StatusCreated, wireCalendarEvent(e))
}

func (h *calendarAPI) export(c *call) error {
	id, err := calendarPathID(c)
	if err != nil {
		return err
	}
	ex, err := h.cal.Export(c.ctx, c.me, id)
	if err != nil {
		return calendarError(err)
	}
	c.w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	c.w.Header().Set("Content-Disposition", `attachment; filename="`+ex.Filename+`"`)
	_, err = c.w.Write(ex.Data)
	return err
}

// calendarPublicCache lets the homepage's visitors and calendar apps keep the
// public calendar for a few minutes.
const calendarPublicCache = "public, max-age=300"

func (h *calendarAPI) publicFeed(c *call) error {
	data, err := h.cal.PublicFeed(c.ctx)
	if err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	c.w.Header().Set("Content-Disposition", `inline; filename="schulkalender.ics"`)
	c.w.Header().Set("Cache-Control", calendarPublicCache)
	_, err = c.w.Write(data)
	return err
}

// publicPage serves the coming events as a German HTML page. The page may
// be framed by the school's homepage (no X-Frame-Options); its policy
// forbids scripts and every outside resource, so even a title that got
// past the escaping could not run.
func (h *calendarAPI) publicPage(c *call) error {
	var b bytes.Buffer
	if err := h.cal.PublicPage(c.ctx, &b); err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	c.w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
	c.w.Header().Set("Referrer-Policy", "no-referrer")
	c.w.Header().Set("Cache-Control", calendarPublicCache)
	_, err := c.w.Write(b.Bytes())
	return err
}

func calendarInput(req wire.EventInput) calendar.Input {
	in := calendar.Input{Title: req.Title, Location: req.Location, Description: req.Description, AllDay: req.AllDay,
		Start: req.Start, End: req.End}
	if r := req.Recurrence; r != nil {
		in.Recurrence = &calendar.Recurrence{Freq: r.Freq, Interval: r.Interval, Count: r.Count, Until: r.Until, ByDay: r.ByDay}
	}
	return in
}

func wireCalendar(c calendar.Calendar) wire.Calendar {
	return wire.Calendar{ID: c.ID, Kind: string(c.Kind), Name: c.Name, Group: c.GroupName, Colour: c.Colour,
		Member: c.Member, Writable: c.Writable}
}

func wireCalendarEvent(e calendar.Event) wire.Event {
	out := wire.Event{ID: e.ID, CalendarID: e.CalendarID, UID: e.UID, Title: e.Title, Location: e.Location,
		Description: e.Description, AllDay: e.AllDay, Start: calendar.FormatWall(e.Start, e.AllDay),
		End: calendar.FormatWall(e.End, e.AllDay), Exceptions: []string{}, Sequence: e.Sequence, Writable: e.Writable,
		CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt, UpdatedBy: e.UpdatedBy, UpdatedAt: e.UpdatedAt}
	if r := e.Rule; r != nil {
		out.RRule = r.String()
		out.Recurrence = &wire.Recurrence{Freq: string(r.Freq), Interval: r.Interval, Count: r.Count}
		if !r.Until.IsZero() {
			out.Recurrence.Until = r.Until.Format(calendar.DateLayout)
		}
		for _, d := range r.ByDay {
			out.Recurrence.ByDay = append(out.Recurrence.ByDay, calendarDayToken(d))
		}
	}
	for _, d := range e.Exceptions {
		out.Exceptions = append(out.Exceptions, d.Format(calendar.DateLayout))
	}
	return out
}

func calendarDayToken(d time.Weekday) string {
	return [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}[d]
}
