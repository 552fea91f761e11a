package calendar

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// Directory is what the calendar reads from the school's directory: who
// is in which class or group, and who holds the calendar right. The
// module never queries the directory's tables itself.
type Directory interface {
	MemberGroups(ctx context.Context, personID int64) ([]directory.Group, error)
	GroupByID(ctx context.Context, id int64) (directory.Group, error)
	Groups(ctx context.Context) ([]directory.Group, error)
	HasRight(ctx context.Context, personID int64, right string) (bool, error)
	School(ctx context.Context) (directory.School, error)
}

var _ Directory = (*directory.Directory)(nil)

// Kind is what a calendar belongs to.
type Kind string

// The kinds of calendars.
const (
	Public   Kind = "public"   // the school's: everyone reads, holders of the calendar right write
	Group    Kind = "group"    // a class's or group's: members read, teachers among them write
	Personal Kind = "personal" // a person's own: only they read and write
)

// Calendar is a calendar as a person sees it.
type Calendar struct {
	ID      int64
	Kind    Kind
	GroupID int64 // Group calendars
	OwnerID int64 // Personal calendars
	Colour  string
	// For the person who asked:
	Name      string // "Schulkalender", "Klasse 3a", "Mein Kalender"
	GroupName string // the class or group ("3a") of a group calendar
	Member    bool   // they are in the group (admins see others' too)
	Writable  bool
}

// Colours: the public calendar red, the personal one green, classes and
// groups from a palette by their id, so a class keeps its colour on
// every screen. All are dark enough for white text (WCAG AA).
const (
	publicColour   = "#C62828"
	personalColour = "#2E7D32"
)

// StaffCalendarName is the teachers' calendar's name.
const StaffCalendarName = "Lehrerzimmer"

var groupPalette = []string{"#1565C0", "#6A1B9A", "#EF6C00", "#00838F", "#AD1457", "#4E342E", "#37474F", "#283593", "#00695C", "#9E6B00"}

func groupColour(groupID int64) string { return groupPalette[groupID%int64(len(groupPalette))] }

// Bounds of a range query (the agenda of a school year fits, and a query
// cannot make the server expand a daily series for centuries).
const (
	MaxRangeDays   = 400
	MaxOccurrences = 5000
)

// Service is the calendar module. It is safe for concurrent use.
type Service struct {
	db  *store.DB
	dir Directory
	now func() time.Time
}

// New makes the calendar service over the school's database.
func New(db *store.DB, dir Directory) *Service {
	return &Service{db: db, dir: dir, now: time.Now}
}

// SetClock replaces the clock (for tests of "the coming events").
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// grants are what one person may do, read once per request.
type grants struct {
	me           directory.Person
	admin        bool
	publicWriter bool
	groups       map[int64]directory.Group // the classes and groups they are in
}

func (s *Service) grantsOf(ctx context.Context, me directory.Person) (*grants, error) {
	g := &grants{me: me, admin: me.Role == directory.Admin, groups: map[int64]directory.Group{}}
	var err error
	if g.publicWriter, err = s.dir.HasRight(ctx, me.ID, directory.RightCalendar); err != nil {
		return nil, fmt.Errorf("calendar: rights of %s: %w", me.Login, err)
	}
	groups, err := s.dir.MemberGroups(ctx, me.ID)
	if err != nil {
		return nil, fmt.Errorf("calendar: groups of %s: %w", me.Login, err)
	}
	for _, gr := range groups {
		g.groups[gr.ID] = gr
	}
	// The staff room's calendar (conferences, duties) is the teachers'
	// role group's: every teacher reads and writes it.
	if me.Role == directory.Teacher {
		staff, ok, err := s.staffGroup(ctx)
		if err != nil {
			return nil, err
		}
		if ok {
			g.groups[staff.ID] = staff
		}
	}
	return g, nil
}

// staffGroup is the teachers' role group, whose calendar is the staff
// room's.
func (s *Service) staffGroup(ctx context.Context) (directory.Group, bool, error) {
	list, err := s.dir.Groups(ctx)
	if err != nil {
		return directory.Group{}, false, fmt.Errorf("calendar: groups: %w", err)
	}
	for _, gr := range list {
		if gr.Kind == directory.KindRole && gr.Name == directory.Teacher.GroupName() {
			return gr, true, nil
		}
	}
	return directory.Group{}, false, nil
}

// access says whether the person may read and write a calendar: the
// public one everybody reads and admins and holders of the calendar right
// write; a group's its members read and the teachers among them (and
// admins) write; a personal one only its owner, not even an admin.
func (g *grants) access(c Calendar) (read, write bool) {
	switch c.Kind {
	case Public:
		return true, g.admin || g.publicWriter
	case Group:
		_, member := g.groups[c.GroupID]
		return member || g.admin, g.admin || member && g.me.Role == directory.Teacher
	case Personal:
		own := c.OwnerID == g.me.ID
		return own, own
	}
	return false, false
}

// readable loads a calendar the person may read; others are "not found"
// (whether someone's personal calendar exists is nobody else's business).
func (s *Service) readable(ctx context.Context, q querier, g *grants, id int64) (Calendar, bool, error) {
	c, err := calendarByID(ctx, q, id)
	if err != nil {
		return c, false, err
	}
	read, write := g.access(c)
	if !read {
		return c, false, fmt.Errorf("calendar: calendar %d not readable by %s: %w", id, g.me.Login, store.ErrNotFound)
	}
	return c, write, nil
}

// writable loads a calendar the person may change.
func (s *Service) writable(ctx context.Context, q querier, g *grants, id int64) (Calendar, error) {
	c, write, err := s.readable(ctx, q, g, id)
	if err != nil {
		return c, err
	}
	if !write {
		return c, forbidden(fmt.Sprintf("%s may not write calendar %d", g.me.Login, id), refusal(c))
	}
	return c, nil
}

// refusal says in German why a calendar cannot be changed.
func refusal(c Calendar) string {
	switch c.Kind {
	case Public:
		return "Den Schulkalender dürfen nur die Personen ändern, die die Schulleitung dafür eingetragen hat."
	case Group:
		return "Diesen Kalender dürfen nur die Lehrkräfte der Klasse oder Gruppe ändern. Du kannst ihn dir ansehen."
	}
	return "Diesen Kalender darfst du nicht ändern."
}

// Calendars lists the calendars a person may read: the school calendar,
// those of their classes and groups, and their own; with all, admins
// also get every other class's and group's. Calendars are created here
// the first time somebody looks.
func (s *Service) Calendars(ctx context.Context, me directory.Person, all bool) ([]Calendar, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return nil, err
	}
	return s.calendars(ctx, g, all)
}

func (s *Service) calendars(ctx context.Context, g *grants, all bool) ([]Calendar, error) {
	groups := map[int64]directory.Group{}
	for id, gr := range g.groups {
		groups[id] = gr
	}
	if all && g.admin {
		list, err := s.dir.Groups(ctx)
		if err != nil {
			return nil, fmt.Errorf("calendar: groups: %w", err)
		}
		for _, gr := range list {
			if gr.Kind != directory.KindRole || gr.Name == directory.Teacher.GroupName() {
				groups[gr.ID] = gr
			}
		}
	}
	ids := make([]int64, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	cals, err := calendarsOf(ctx, s.db.R, ids, g.me.ID)
	if err != nil {
		return nil, err
	}
	if len(cals) < len(ids)+2 {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error { return ensureCalendars(ctx, tx, ids, g.me.ID, s.now()) })
		if err != nil {
			return nil, err
		}
		if cals, err = calendarsOf(ctx, s.db.R, ids, g.me.ID); err != nil {
			return nil, err
		}
	}
	out := make([]Calendar, 0, len(cals))
	for _, c := range cals {
		read, write := g.access(c)
		if !read {
			continue
		}
		c.Writable = write
		switch c.Kind {
		case Public:
			c.Name, c.Member = "Schulkalender", true
		case Personal:
			c.Name, c.Member = "Mein Kalender", true
		case Group:
			gr := groups[c.GroupID]
			c.GroupName, c.Name = gr.Name, groupCalendarName(gr)
			_, c.Member = g.groups[c.GroupID]
		}
		out = append(out, c)
	}
	// The school's first, then classes and groups (own ones first), then
	// the personal one.
	rank := map[Kind]int{Public: 0, Group: 1, Personal: 2}
	slices.SortFunc(out, func(a, b Calendar) int {
		if a.Kind != b.Kind {
			return rank[a.Kind] - rank[b.Kind]
		}
		if a.Member != b.Member {
			if a.Member {
				return -1
			}
			return 1
		}
		return compareGroupNames(a.GroupName, b.GroupName)
	})
	return out, nil
}

// groupCalendarName is "Klasse 3a" for a class, „Lehrerzimmer“ for the
// teachers' calendar, the description (or the name) for another group.
func groupCalendarName(g directory.Group) string {
	if g.Kind == directory.KindClass {
		return "Klasse " + g.Name
	}
	if g.Kind == directory.KindRole {
		return StaffCalendarName
	}
	if g.Description != "" {
		return g.Description
	}
	return g.Name
}

// compareGroupNames sorts "10a" after "9a".
func compareGroupNames(a, b string) int {
	na, ra := leadingNumber(a)
	nb, rb := leadingNumber(b)
	if (na >= 0) != (nb >= 0) {
		if na >= 0 {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(na, nb); c != 0 {
		return c
	}
	return cmp.Compare(ra, rb)
}

func leadingNumber(s string) (int, string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return -1, s
	}
	n, _ := strconv.Atoi(s[:i])
	return n, s[i:]
}

// Range is a query for the occurrences between two dates.
type Range struct {
	From, To string // YYYY-MM-DD; To is the first day not included
	// Calendars to show; empty: those Calendars lists without all.
	Calendars []int64
}

// Occurrences are the answer to a range query.
type Occurrences struct {
	Calendars []Calendar // the calendars shown
	List      []Occurrence
	// Truncated says that there were more than MaxOccurrences.
	Truncated bool
}

// Occurrences lists what takes place in the range in the calendars asked
// for, sorted by start (all-day events first on a day): the month view
// and the agenda.
func (s *Service) Occurrences(ctx context.Context, me directory.Person, r Range) (Occurrences, error) {
	var out Occurrences
	from, err := time.Parse(DateLayout, r.From)
	if err != nil {
		return out, invalid("from", fmt.Sprintf("from %q", r.From), "Der Anfang des Zeitraums ist kein gültiges Datum (Beispiel: 2026-10-01).")
	}
	to, err := time.Parse(DateLayout, r.To)
	if err != nil {
		return out, invalid("to", fmt.Sprintf("to %q", r.To), "Das Ende des Zeitraums ist kein gültiges Datum (Beispiel: 2026-11-01).")
	}
	if !to.After(from) || to.Sub(from) > MaxRangeDays*24*time.Hour || from.Year() < firstYear || to.Year() > lastYear+1 {
		return out, invalid("to", "bad range", fmt.Sprintf("Der Zeitraum muss nach seinem Anfang enden und darf höchstens %d Tage lang sein.", MaxRangeDays))
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return out, err
	}
	if len(r.Calendars) == 0 {
		if out.Calendars, err = s.calendars(ctx, g, false); err != nil {
			return out, err
		}
	} else {
		all, err := s.calendars(ctx, g, g.admin)
		if err != nil {
			return out, err
		}
		for _, id := range r.Calendars {
			i := slices.IndexFunc(all, func(c Calendar) bool { return c.ID == id })
			if i < 0 {
				// Not theirs, or (an admin) not listed: check it directly.
				c, write, err := s.readable(ctx, s.db.R, g, id)
				if err != nil {
					return out, err
				}
				c.Writable = write
				if c.Kind == Group {
					gr, err := s.dir.GroupByID(ctx, c.GroupID)
					if err != nil {
						return out, err
					}
					c.GroupName, c.Name = gr.Name, groupCalendarName(gr)
				}
				out.Calendars = append(out.Calendars, c)
				continue
			}
			if !slices.ContainsFunc(out.Calendars, func(c Calendar) bool { return c.ID == id }) {
				out.Calendars = append(out.Calendars, all[i])
			}
		}
	}
	ids := make([]int64, len(out.Calendars))
	writable := map[int64]bool{}
	for i, c := range out.Calendars {
		ids[i] = c.ID
		writable[c.ID] = c.Writable
	}
	events, err := eventsInRange(ctx, s.db.R, ids, from, to)
	if err != nil {
		return out, err
	}
	left := MaxOccurrences
	for i := range events {
		e := &events[i]
		e.Writable = writable[e.CalendarID]
		occ, more := e.Occurrences(from, to, left)
		out.List = append(out.List, occ...)
		left -= len(occ)
		if more {
			out.Truncated = true
			break
		}
	}
	sortOccurrences(out.List)
	return out, nil
}

func sortOccurrences(list []Occurrence) {
	slices.SortStableFunc(list, func(a, b Occurrence) int {
		if c := dateOf(a.Start).Compare(dateOf(b.Start)); c != 0 {
			return c
		}
		if a.Event.AllDay != b.Event.AllDay {
			if a.Event.AllDay {
				return -1
			}
			return 1
		}
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.Event.Title, b.Event.Title)
	})
}

// Event returns one event the person may read.
func (s *Service) Event(ctx context.Context, me directory.Person, id int64) (Event, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Event{}, err
	}
	e, err := eventByID(ctx, s.db.R, id)
	if err != nil {
		return Event{}, err
	}
	_, write, err := s.readable(ctx, s.db.R, g, e.CalendarID)
	if err != nil {
		return Event{}, fmt.Errorf("calendar: event %d: %w", id, err)
	}
	e.Writable = write
	return e, nil
}

// Create adds an event to a calendar the person may write.
func (s *Service) Create(ctx context.Context, me directory.Person, calendarID int64, in Input) (Event, error) {
	e, err := in.event()
	if err != nil {
		return Event{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Event{}, err
	}
	if err := s.prepareNew(ctx, &e, calendarID, me); err != nil {
		return Event{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error { return s.insertNew(ctx, tx, g, &e) })
	if err != nil {
		return Event{}, err
	}
	return e, nil
}

// prepareNew gives a checked new event its UID, calendar and bookkeeping.
func (s *Service) prepareNew(ctx context.Context, e *Event, calendarID int64, me directory.Person) error {
	school, err := s.dir.School(ctx)
	if err != nil {
		return fmt.Errorf("calendar: school: %w", err)
	}
	if e.UID, err = newUID(school.Domain); err != nil {
		return err
	}
	now := s.now().UTC().Truncate(time.Second)
	e.CalendarID, e.CreatedBy, e.UpdatedBy, e.CreatedAt, e.UpdatedAt, e.Writable = calendarID, me.Login, me.Login, now, now, true
	return nil
}

// insertNew stores a prepared new event in tx if the person may write
// its calendar.
func (s *Service) insertNew(ctx context.Context, tx *sql.Tx, g *grants, e *Event) error {
	if _, err := s.writable(ctx, tx, g, e.CalendarID); err != nil {
		return err
	}
	return insertEvent(ctx, tx, e)
}

// Change is an update of an event.
type Change struct {
	Input
	// Calendar, if not 0, moves the event there (the person must be able
	// to write both).
	Calendar int64
	// Sequence, if set, must be the event's current sequence: the change
	// was made to what the person saw, not to what someone changed since.
	Sequence *int
}

// Update replaces an event's fields. Cancelled occurrences stay
// cancelled (they are dates; one that the new series no longer has does
// no harm).
func (s *Service) Update(ctx context.Context, me directory.Person, id int64, ch Change) (Event, error) {
	ne, err := ch.event()
	if err != nil {
		return Event{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Event{}, err
	}
	var e Event
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if e, err = s.writableEvent(ctx, tx, g, id); err != nil {
			return err
		}
		if ch.Sequence != nil && *ch.Sequence != e.Sequence {
			return &Error{kind: ErrConflict, english: fmt.Sprintf("event %d is at sequence %d, not %d", id, e.Sequence, *ch.Sequence),
				German: "Jemand anderes hat diesen Termin inzwischen geändert. Bitte lade ihn neu und ändere ihn dann."}
		}
		if ch.Calendar != 0 && ch.Calendar != e.CalendarID {
			if _, err := s.writable(ctx, tx, g, ch.Calendar); err != nil {
				return err
			}
			e.CalendarID = ch.Calendar
		}
		e.Title, e.Location, e.Description, e.AllDay = ne.Title, ne.Location, ne.Description, ne.AllDay
		e.Start, e.End, e.Rule = ne.Start, ne.End, ne.Rule
		if e.Rule == nil {
			e.Exceptions = nil
		}
		e.Sequence++
		e.UpdatedBy, e.UpdatedAt, e.Writable = me.Login, s.now().UTC().Truncate(time.Second), true
		return updateEvent(ctx, tx, &e)
	})
	if err != nil {
		return Event{}, err
	}
	return e, nil
}

// writableEvent loads an event the person may change, in tx.
func (s *Service) writableEvent(ctx context.Context, tx *sql.Tx, g *grants, id int64) (Event, error) {
	e, err := eventByID(ctx, tx, id)
	if err != nil {
		return e, err
	}
	if _, err := s.writable(ctx, tx, g, e.CalendarID); err != nil {
		return e, fmt.Errorf("calendar: event %d: %w", id, err)
	}
	return e, nil
}

// Delete removes an event (a series with all its occurrences).
func (s *Service) Delete(ctx context.Context, me directory.Person, id int64) error {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.writableEvent(ctx, tx, g, id); err != nil {
			return err
		}
		return deleteEvent(ctx, tx, id)
	})
}

// CancelOccurrence takes one occurrence (by its date) out of a series:
// "no swimming on October 12". Cancelling it twice is fine.
func (s *Service) CancelOccurrence(ctx context.Context, me directory.Person, id int64, date string) error {
	day, err := parseOccurrenceDate(date)
	if err != nil {
		return err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := s.cancelOccurrence(ctx, tx, g, id, day, true)
		return err
	})
}

// ChangeOccurrence moves or changes one occurrence of a series (by its
// date): "swimming on October 12 is at ten, in the other pool". In one
// transaction the occurrence is cancelled as CancelOccurrence does and a
// single event made from in takes its place in the series' calendar. The
// occurrence must still take place, and in must not repeat.
func (s *Service) ChangeOccurrence(ctx context.Context, me directory.Person, id int64, date string, in Input) (Event, error) {
	day, err := parseOccurrenceDate(date)
	if err != nil {
		return Event{}, err
	}
	if in.Recurrence != nil {
		return Event{}, invalid("recurrence", "a changed occurrence does not repeat",
			"Ein einzelner geänderter Termin kann sich nicht wiederholen. Ändere dafür die ganze Serie.")
	}
	ne, err := in.event()
	if err != nil {
		return Event{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Event{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		series, err := s.cancelOccurrence(ctx, tx, g, id, day, false)
		if err != nil {
			return err
		}
		if err := s.prepareNew(ctx, &ne, series.CalendarID, me); err != nil {
			return err
		}
		return s.insertNew(ctx, tx, g, &ne)
	})
	if err != nil {
		return Event{}, err
	}
	return ne, nil
}

// parseOccurrenceDate reads the date of an occurrence.
func parseOccurrenceDate(date string) (time.Time, error) {
	day, err := time.Parse(DateLayout, date)
	if err != nil {
		return day, invalid("date", fmt.Sprintf("date %q", date), "Das ist kein gültiges Datum (Beispiel: 2026-10-12).")
	}
	return day, nil
}

// cancelOccurrence adds day to the exceptions of the series id in tx,
// if the person may change it and the series has an occurrence that day.
// One already cancelled is fine with again, else refused.
func (s *Service) cancelOccurrence(ctx context.Context, tx *sql.Tx, g *grants, id int64, day time.Time, again bool) (Event, error) {
	date := day.Format(DateLayout)
	e, err := s.writableEvent(ctx, tx, g, id)
	if err != nil {
		return e, err
	}
	if e.Rule == nil {
		return e, invalid("date", fmt.Sprintf("event %d does not repeat", id), "Dieser Termin wiederholt sich nicht. Du kannst ihn nur ganz löschen.")
	}
	if _, found := slices.BinarySearchFunc(e.Exceptions, day, func(a, b time.Time) int { return a.Compare(b) }); found {
		if again {
			return e, nil
		}
		return e, invalid("date", fmt.Sprintf("event %d is already cancelled on %s", id, date),
			"Dieser Termin fällt an diesem Tag schon aus. Lege einen neuen Termin an, wenn er doch stattfinden soll.")
	}
	// The occurrences that start on the day: with a span of a
	// nanosecond, those of the days before that last into it are not
	// counted as overlapping.
	starts, _ := e.Rule.starts(e.Start, time.Nanosecond, day, day.AddDate(0, 0, 1), nil, 1)
	if len(starts) == 0 {
		return e, fmt.Errorf("calendar: event %d has no occurrence on %s: %w", id, date, store.ErrNotFound)
	}
	if len(e.Exceptions) >= MaxExceptions {
		return e, invalid("date", "too many exceptions", "Bei diesem Termin fallen schon sehr viele Tage aus. Lege ihn besser neu an.")
	}
	e.Exceptions = append(e.Exceptions, day)
	slices.SortFunc(e.Exceptions, func(a, b time.Time) int { return a.Compare(b) })
	e.Sequence++
	e.UpdatedBy, e.UpdatedAt = g.me.Login, s.now().UTC().Truncate(time.Second)
	return e, updateEvent(ctx, tx, &e)
}

// newUID makes an iCalendar UID: random, so it says nothing about the
// event, and with the school's domain, so it is unique beyond it.
func newUID(domain string) (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("calendar: random uid: %w", err)
	}
	return hex.EncodeToString(b) + "@" + domain, nil
}

// IsNotFound reports whether err means "no such calendar or event" (or
// one the person may not see).
func IsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
