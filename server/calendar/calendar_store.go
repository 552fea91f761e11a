package calendar

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"kaspel/server/store"
)

// querier is what both *sql.Tx and *sql.DB offer.
type querier = store.Querier

const calendarCols = `id, kind, COALESCE(group_id, 0), COALESCE(owner_id, 0), colour`

func scanCalendar(sc interface{ Scan(...any) error }) (Calendar, error) {
	var c Calendar
	err := sc.Scan(&c.ID, &c.Kind, &c.GroupID, &c.OwnerID, &c.Colour)
	return c, err
}

// calendarsOf returns the public calendar, the calendars of the groups
// and the personal calendar of owner, as far as they exist.
func calendarsOf(ctx context.Context, q querier, groupIDs []int64, owner int64) ([]Calendar, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+calendarCols+` FROM calendars
		WHERE kind = 'public' OR owner_id = ? OR group_id IN (SELECT value FROM json_each(?))`, owner, store.IDsJSON(groupIDs))
	if err != nil {
		return nil, fmt.Errorf("calendar: query calendars: %w", err)
	}
	defer rows.Close()
	var out []Calendar
	for rows.Next() {
		c, err := scanCalendar(rows)
		if err != nil {
			return nil, fmt.Errorf("calendar: read calendar: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calendar: query calendars: %w", err)
	}
	return out, nil
}

// calendarByID returns one calendar.
func calendarByID(ctx context.Context, q querier, id int64) (Calendar, error) {
	c, err := scanCalendar(q.QueryRowContext(ctx, `SELECT `+calendarCols+` FROM calendars WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("calendar: calendar %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("calendar: calendar %d: %w", id, err)
	}
	return c, nil
}

// publicCalendar returns the public calendar (store.ErrNotFound before
// its first use).
func publicCalendar(ctx context.Context, q querier) (Calendar, error) {
	c, err := scanCalendar(q.QueryRowContext(ctx, `SELECT `+calendarCols+` FROM calendars WHERE kind = 'public'`))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("calendar: public calendar: %w", store.ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("calendar: public calendar: %w", err)
	}
	return c, nil
}

// ensureCalendars creates whichever of these calendars do not exist yet.
// Two requests doing it at once are fine: the unique indexes let the
// second insert do nothing.
func ensureCalendars(ctx context.Context, tx *sql.Tx, groupIDs []int64, owner int64, now time.Time) error {
	at := store.FormatTime(now)
	if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO calendars (kind, colour, created_at) VALUES ('public', ?, ?)`, publicColour, at); err != nil {
		return fmt.Errorf("calendar: create the public calendar: %w", err)
	}
	if owner != 0 {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO calendars (kind, owner_id, colour, created_at) VALUES ('personal', ?, ?, ?)`,
			owner, personalColour, at); err != nil {
			return fmt.Errorf("calendar: create personal calendar of %d: %w", owner, err)
		}
	}
	for _, g := range groupIDs {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO calendars (kind, group_id, colour, created_at) VALUES ('group', ?, ?, ?)`,
			g, groupColour(g), at); err != nil {
			return fmt.Errorf("calendar: create calendar of group %d: %w", g, err)
		}
	}
	return nil
}

const eventCols = `id, calendar_id, uid, title, location, description, all_day, start_at, end_at, rrule, exdates,
	sequence, created_by, created_at, updated_by, updated_at`

func scanEvent(sc interface{ Scan(...any) error }) (Event, error) {
	var e Event
	var start, end, rrule, exdates, created, updated string
	if err := sc.Scan(&e.ID, &e.CalendarID, &e.UID, &e.Title, &e.Location, &e.Description, &e.AllDay, &start, &end,
		&rrule, &exdates, &e.Sequence, &e.CreatedBy, &created, &e.UpdatedBy, &updated); err != nil {
		return e, err
	}
	var err error
	if e.Start, err = ParseWall(start, e.AllDay); err != nil {
		return e, fmt.Errorf("event %d: start %q: %w", e.ID, start, err)
	}
	if e.End, err = ParseWall(end, e.AllDay); err != nil {
		return e, fmt.Errorf("event %d: end %q: %w", e.ID, end, err)
	}
	if rrule != "" {
		if e.Rule, err = ParseRRule(rrule); err != nil {
			return e, fmt.Errorf("event %d: rrule %q: %w", e.ID, rrule, err)
		}
	}
	var dates []string
	if err := json.Unmarshal([]byte(exdates), &dates); err != nil {
		return e, fmt.Errorf("event %d: exdates: %w", e.ID, err)
	}
	for _, d := range dates {
		t, err := time.Parse(DateLayout, d)
		if err != nil {
			return e, fmt.Errorf("event %d: exdate %q: %w", e.ID, d, err)
		}
		e.Exceptions = append(e.Exceptions, t)
	}
	if e.CreatedAt, err = store.ParseTime(created); err != nil {
		return e, err
	}
	e.UpdatedAt, err = store.ParseTime(updated)
	return e, err
}

// eventColumns are the stored forms of an event's fields.
func eventColumns(e *Event) (start, end, rrule, exdates, rangeStart string, rangeEnd any) {
	start, end = FormatWall(e.Start, e.AllDay), FormatWall(e.End, e.AllDay)
	if e.Rule != nil {
		rrule = e.Rule.String()
	}
	dates := make([]string, len(e.Exceptions))
	for i, d := range e.Exceptions {
		dates[i] = d.Format(DateLayout)
	}
	b, _ := json.Marshal(dates)
	first, last := e.bounds()
	rangeStart = first.Format(WallLayout)
	if !last.IsZero() {
		rangeEnd = last.Format(WallLayout)
	}
	return start, end, rrule, string(b), rangeStart, rangeEnd
}

func insertEvent(ctx context.Context, tx *sql.Tx, e *Event) error {
	start, end, rrule, exdates, rs, re := eventColumns(e)
	res, err := tx.ExecContext(ctx, `INSERT INTO calendar_events (calendar_id, uid, title, location, description, all_day,
		start_at, end_at, rrule, exdates, range_start, range_end, sequence, created_by, created_at, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.CalendarID, e.UID, e.Title, e.Location, e.Description, e.AllDay, start, end, rrule, exdates, rs, re,
		e.Sequence, e.CreatedBy, store.FormatTime(e.CreatedAt), e.UpdatedBy, store.FormatTime(e.UpdatedAt))
	if err != nil {
		return fmt.Errorf("calendar: insert event: %w", err)
	}
	e.ID, err = res.LastInsertId()
	return err
}

func updateEvent(ctx context.Context, tx *sql.Tx, e *Event) error {
	start, end, rrule, exdates, rs, re := eventColumns(e)
	_, err := tx.ExecContext(ctx, `UPDATE calendar_events SET calendar_id = ?, title = ?, location = ?, description = ?,
		all_day = ?, start_at = ?, end_at = ?, rrule = ?, exdates = ?, range_start = ?, range_end = ?, sequence = ?,
		updated_by = ?, updated_at = ? WHERE id = ?`,
		e.CalendarID, e.Title, e.Location, e.Description, e.AllDay, start, end, rrule, exdates, rs, re, e.Sequence,
		e.UpdatedBy, store.FormatTime(e.UpdatedAt), e.ID)
	if err != nil {
		return fmt.Errorf("calendar: update event %d: %w", e.ID, err)
	}
	return nil
}

func deleteEvent(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM calendar_events WHERE id = ?`, id); err != nil {
		return fmt.Errorf("calendar: delete event %d: %w", id, err)
	}
	return nil
}

func eventByID(ctx context.Context, q querier, id int64) (Event, error) {
	e, err := scanEvent(q.QueryRowContext(ctx, `SELECT `+eventCols+` FROM calendar_events WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("calendar: event %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("calendar: event %d: %w", id, err)
	}
	return e, nil
}

// eventsInRange returns the events of the calendars that may have an
// occurrence overlapping [from, to) (wall times).
func eventsInRange(ctx context.Context, q querier, calendarIDs []int64, from, to time.Time) ([]Event, error) {
	return queryEvents(ctx, q, `WHERE calendar_id IN (SELECT value FROM json_each(?)) AND range_start < ?
		AND (range_end IS NULL OR range_end > ?) ORDER BY range_start, id`,
		store.IDsJSON(calendarIDs), to.Format(WallLayout), from.Format(WallLayout))
}

// eventsOf returns every event of a calendar.
func eventsOf(ctx context.Context, q querier, calendarID int64) ([]Event, error) {
	return queryEvents(ctx, q, `WHERE calendar_id = ? ORDER BY range_start, id`, calendarID)
}

func queryEvents(ctx context.Context, q querier, where string, args ...any) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+eventCols+` FROM calendar_events `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("calendar: query events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("calendar: read event: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calendar: query events: %w", err)
	}
	return out, nil
}
