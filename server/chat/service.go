package chat

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"kaspel/server/directory"
	"kaspel/server/store"
)

// Directory is what the chat reads from the school's directory: who is in
// which class or group, who shares a class with whom, and when the school
// year began. The module never queries the directory's tables itself.
type Directory interface {
	MemberGroups(ctx context.Context, personID int64) ([]directory.Group, error)
	GroupByID(ctx context.Context, id int64) (directory.Group, error)
	PersonByID(ctx context.Context, id int64) (directory.Person, error)
	Person(ctx context.Context, login string) (directory.Person, error)
	SearchPeople(ctx context.Context, term string, limit int) ([]directory.Listed, error)
	List(ctx context.Context, q directory.ListQuery) ([]directory.Listed, error)
	ClassmatesOf(ctx context.Context, p directory.Person) ([]directory.Listed, error)
	ConsentRevoked(ctx context.Context, personIDs []int64) (map[int64]bool, error)
	LastPromotion(ctx context.Context) (string, error)
}

var _ Directory = (*directory.Directory)(nil)

// Service is the chat module. It is safe for concurrent use.
type Service struct {
	db  *store.DB
	dir Directory
	cfg Config
	now func() time.Time

	limiter *limiter
	hub     *hub
}

// New makes the chat service. Zero limits in cfg take the defaults.
func New(db *store.DB, dir Directory, cfg Config) (*Service, error) {
	if db == nil || dir == nil {
		return nil, errors.New("chat: needs the database and the directory")
	}
	cfg = cfg.withDefaults()
	return &Service{db: db, dir: dir, cfg: cfg, now: time.Now, limiter: newLimiter(),
		hub: newHub(cfg.MaxWaitingPerPerson, cfg.MaxWaiting)}, nil
}

// SetClock replaces the clock, for tests of the rate limit and the
// retention.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Config is the configuration in use (defaults filled in).
func (s *Service) Config() Config { return s.cfg }

// grants are what one person may see, read once per request: their
// classes and groups, and the school year whose class rooms are open.
type grants struct {
	me     directory.Person
	year   string
	groups map[int64]directory.Group
}

func (s *Service) grantsOf(ctx context.Context, me directory.Person) (*grants, error) {
	g := &grants{me: me, groups: map[int64]directory.Group{}}
	var err error
	if g.year, err = s.dir.LastPromotion(ctx); err != nil {
		return nil, fmt.Errorf("chat: school year: %w", err)
	}
	groups, err := s.dir.MemberGroups(ctx, me.ID)
	if err != nil {
		return nil, fmt.Errorf("chat: groups of %s: %w", me.Login, err)
	}
	for _, gr := range groups {
		g.groups[gr.ID] = gr
	}
	return g, nil
}

// in tells whether the person is in a room: a member of the group for a
// room of this school year, or one of the two of a direct room. Admins
// are in no room they are not a member of.
func (g *grants) in(r roomRow) bool {
	switch r.kind {
	case GroupRoom:
		_, member := g.groups[r.groupID]
		return member && r.year == g.year
	case DirectRoom:
		return r.a == g.me.ID || r.b == g.me.ID
	}
	return false
}

// moderates tells whether the person is a teacher of a group room's class
// or group: they may delete others' messages and mute the room.
func (g *grants) moderates(r roomRow) bool {
	return r.kind == GroupRoom && g.in(r) && g.me.Role == directory.Teacher
}

// topics are what a waiting live-update request of the person listens to.
func (g *grants) topics() []string {
	out := []string{personTopic(g.me.ID)}
	for id := range g.groups {
		out = append(out, groupTopic(id))
	}
	if g.me.Role == directory.Admin {
		out = append(out, adminTopic)
	}
	return out
}

// topicsOf are the topics a change of a room wakes.
func topicsOf(r roomRow) []string {
	if r.kind == GroupRoom {
		return []string{groupTopic(r.groupID)}
	}
	return []string{personTopic(r.a), personTopic(r.b)}
}

// roomFor loads a room the person is in; any other is ErrNoRoom, whether
// it exists or not.
func (s *Service) roomFor(ctx context.Context, q querier, g *grants, id int64) (roomRow, error) {
	r, err := roomByID(ctx, q, id)
	if err != nil {
		return r, err
	}
	if !g.in(r) {
		return r, ErrNoRoom
	}
	return r, nil
}

// partner is the other person of a direct room.
func (g *grants) partner(r roomRow) int64 {
	if r.a == g.me.ID {
		return r.b
	}
	return r.a
}

func isPupil(p directory.Person) bool { return p.Role == directory.Pupil }

// directRefusal says why the person may not write to other directly, or
// nil if they may. The usage rules: staff write to anyone at the school;
// pupils to the people of their classes (classmates and their teachers),
// and they may answer staff who started a chat with them (the room
// exists). Nobody writes to someone who has left the school.
func (s *Service) directRefusal(ctx context.Context, me, other directory.Person, exists bool) (*Error, error) {
	if other.HasLeft(s.now()) {
		return refuse(Forbidden, "", fmt.Sprintf("%s ist nicht mehr an der Schule.", other.Name()), "%s has left", other.Login), nil
	}
	if !isPupil(me) || (exists && !isPupil(other)) {
		return nil, nil
	}
	share, err := s.shareClass(ctx, me.ID, other.ID)
	if err != nil {
		return nil, err
	}
	if share {
		return nil, nil
	}
	return refuse(Forbidden, "", "Du kannst nur Kindern und Lehrkräften aus deiner Klasse schreiben.",
		"pupil %s to %s outside the classes", me.Login, other.Login), nil
}

// shareClass tells whether two people are in a common class today.
func (s *Service) shareClass(ctx context.Context, a, b int64) (bool, error) {
	ga, err := s.dir.MemberGroups(ctx, a)
	if err != nil {
		return false, fmt.Errorf("chat: groups: %w", err)
	}
	gb, err := s.dir.MemberGroups(ctx, b)
	if err != nil {
		return false, fmt.Errorf("chat: groups: %w", err)
	}
	classes := map[int64]bool{}
	for _, g := range ga {
		if g.Kind == directory.KindClass {
			classes[g.ID] = true
		}
	}
	for _, g := range gb {
		if classes[g.ID] {
			return true, nil
		}
	}
	return false, nil
}

// writeRefusal says why the person may not write into a room they are
// in, or nil if they may.
func (s *Service) writeRefusal(ctx context.Context, g *grants, r roomRow) (*Error, error) {
	if r.kind == GroupRoom {
		if !r.pupilsMayWrite && isPupil(g.me) {
			return refuse(Forbidden, "", "Im Moment dürfen hier nur Lehrkräfte schreiben.", "room %d muted for pupils", r.id), nil
		}
		return nil, nil
	}
	other, err := s.dir.PersonByID(ctx, g.partner(r))
	if err != nil {
		return nil, fmt.Errorf("chat: partner of room %d: %w", r.id, err)
	}
	return s.directRefusal(ctx, g.me, other, true)
}

// groupTitle is how a class or group room is called.
func groupTitle(g directory.Group) string {
	if g.Kind == directory.KindClass {
		return "Klasse " + g.Name
	}
	if g.Description != "" {
		return g.Description
	}
	return g.Name
}

// describe makes a room row into the Room the person sees.
func (s *Service) describe(ctx context.Context, g *grants, r roomRow, st roomStat) (Room, error) {
	out := Room{ID: r.id, Kind: r.kind, PupilsMayWrite: r.pupilsMayWrite, Unread: st.unread, LastMessage: st.last, MayModerate: g.moderates(r)}
	switch r.kind {
	case GroupRoom:
		grp := g.groups[r.groupID]
		out.Title, out.Group = groupTitle(grp), grp.Name
	case DirectRoom:
		other, err := s.dir.PersonByID(ctx, g.partner(r))
		if err != nil {
			return out, fmt.Errorf("chat: partner of room %d: %w", r.id, err)
		}
		out.Title, out.With = other.Name(), Person{Login: other.Login, Name: other.Name()}
	}
	refusal, err := s.writeRefusal(ctx, g, r)
	if err != nil {
		return out, err
	}
	out.MayWrite = refusal == nil
	return out, nil
}

// ensureGroupRooms returns the rooms of the person's classes and groups
// for this school year, creating those that do not exist yet.
func (s *Service) ensureGroupRooms(ctx context.Context, g *grants) ([]roomRow, error) {
	ids := make([]int64, 0, len(g.groups))
	for id := range g.groups {
		ids = append(ids, id)
	}
	rooms, err := groupRooms(ctx, s.db.R, g.year, ids)
	if err != nil {
		return nil, err
	}
	if len(rooms) < len(ids) {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			for _, id := range ids {
				if _, ok := rooms[id]; !ok {
					if err := insertGroupRoom(ctx, tx, id, g.year, s.now()); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if rooms, err = groupRooms(ctx, s.db.R, g.year, ids); err != nil {
			return nil, err
		}
	}
	out := make([]roomRow, 0, len(rooms))
	for _, r := range rooms {
		out = append(out, r)
	}
	return out, nil
}

// Rooms lists the person's rooms: one per class and group they are in
// (this school year's) and their direct chats, newest activity first.
func (s *Service) Rooms(ctx context.Context, me directory.Person) ([]Room, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return nil, err
	}
	rows, err := s.ensureGroupRooms(ctx, g)
	if err != nil {
		return nil, err
	}
	direct, err := directRoomsOf(ctx, s.db.R, me.ID)
	if err != nil {
		return nil, err
	}
	rows = append(rows, direct...)
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.id
	}
	stats, err := roomStats(ctx, s.db.R, me.ID, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Room, len(rows))
	for i, r := range rows {
		if out[i], err = s.describe(ctx, g, r, stats[r.id]); err != nil {
			return nil, err
		}
	}
	col := collate.New(language.German, collate.IgnoreCase)
	slices.SortStableFunc(out, func(a, b Room) int {
		if c := b.LastMessage.Compare(a.LastMessage); c != 0 {
			return c
		}
		if a.Kind != b.Kind {
			return cmp.Compare(a.Kind, b.Kind) // classes and groups before direct chats
		}
		return col.CompareString(a.Title, b.Title)
	})
	return out, nil
}

// Room returns one room of the person.
func (s *Service) Room(ctx context.Context, me directory.Person, roomID int64) (Room, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Room{}, err
	}
	r, err := s.roomFor(ctx, s.db.R, g, roomID)
	if err != nil {
		return Room{}, err
	}
	stats, err := roomStats(ctx, s.db.R, me.ID, []int64{r.id})
	if err != nil {
		return Room{}, err
	}
	return s.describe(ctx, g, r, stats[r.id])
}

// toMessage makes a row into the Message a person sees. A deleted
// message's text is shown only in a report's window (reveal).
func toMessage(m msgRow, viewer int64, reveal bool) Message {
	out := Message{ID: m.id, RoomID: m.roomID, From: Person{Login: m.senderLogin, Name: m.senderName}, Body: m.body,
		SentAt: m.sentAt, System: m.kind == kindSystem, Deleted: m.deleted, Mine: viewer != 0 && m.senderID == viewer, Seq: m.seq}
	if m.deleted && !reveal {
		out.Body = ""
	}
	return out
}

const (
	kindText   = "text"
	kindSystem = "system"
)

// History returns a page of a room's messages older than the cursor
// before (0: the newest page), oldest first.
func (s *Service) History(ctx context.Context, me directory.Person, roomID, before int64, limit int) (Page, error) {
	if limit <= 0 || limit > MaxPage {
		return Page{}, refuse(Invalid, "limit", fmt.Sprintf("Eine Seite hat 1 bis %d Nachrichten.", MaxPage), "page limit %d", limit)
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Page{}, err
	}
	r, err := s.roomFor(ctx, s.db.R, g, roomID)
	if err != nil {
		return Page{}, err
	}
	rows, err := pageOf(ctx, s.db.R, r.id, before, limit+1)
	if err != nil {
		return Page{}, err
	}
	var p Page
	if len(rows) > limit {
		rows = rows[:limit]
		p.Next = rows[limit-1].id
	}
	p.Messages = make([]Message, len(rows))
	for i, m := range rows {
		p.Messages[len(rows)-1-i] = toMessage(m, me.ID, false)
	}
	return p, nil
}

// cleanBody makes a message's text storable: line ends as \n, no control
// characters but line breaks and tabs, no blank start or end, at most
// MaxBody characters.
func cleanBody(body string) (string, error) {
	if !utf8.ValidString(body) {
		return "", refuse(Invalid, "body", "Die Nachricht enthält ungültige Zeichen.", "invalid UTF-8")
	}
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, body)
	body = strings.TrimSpace(body)
	if body == "" {
		return "", refuse(Invalid, "body", "Die Nachricht ist leer.", "empty message")
	}
	if utf8.RuneCountInString(body) > MaxBody {
		return "", refuse(Invalid, "body", fmt.Sprintf("Eine Nachricht darf höchstens %d Zeichen lang sein.", MaxBody), "message too long")
	}
	return body, nil
}

// Send writes a message into a room the person is in and may write to,
// within the rate limit, and wakes the room's waiting clients.
func (s *Service) Send(ctx context.Context, me directory.Person, roomID int64, body string) (Message, error) {
	body, err := cleanBody(body)
	if err != nil {
		return Message{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Message{}, err
	}
	r, err := s.roomFor(ctx, s.db.R, g, roomID)
	if err != nil {
		return Message{}, err
	}
	refusal, err := s.writeRefusal(ctx, g, r)
	if err != nil {
		return Message{}, err
	}
	if refusal != nil {
		return Message{}, refusal
	}
	perMinute, perHour := s.cfg.StaffPerMinute, s.cfg.StaffPerHour
	if isPupil(me) {
		perMinute, perHour = s.cfg.PupilsPerMinute, s.cfg.PupilsPerHour
	}
	now := s.now()
	ok, retry, byMinute, undo := s.limiter.take(me.ID, perMinute, perHour, now)
	if !ok {
		if byMinute {
			return Message{}, refuse(RateLimited, "", fmt.Sprintf("Langsam! Du hast in der letzten Minute schon %d Nachrichten geschrieben. Warte bitte einen Moment.", perMinute),
				"%s wrote %d messages within a minute", me.Login, perMinute)
		}
		return Message{}, refuse(RateLimited, "", fmt.Sprintf("Du hast in der letzten Stunde schon %d Nachrichten geschrieben. Ab %s Uhr kannst du wieder schreiben.",
			perHour, retry.In(berlin).Format("15:04")), "%s wrote %d messages within the hour", me.Login, perHour)
	}
	if !s.limiter.chain(me.ID, r.id, body, s.cfg.ChainRooms, now) {
		undo()
		return Message{}, refuse(RateLimited, "body", "Diesen Text hast du schon in andere Räume geschickt. Kettenbriefe sind nicht erlaubt.",
			"%s sent the same text to more than %d rooms", me.Login, s.cfg.ChainRooms)
	}
	m := newMessage{roomID: r.id, kind: kindText, senderID: me.ID, senderLogin: me.Login, senderName: me.Name(), body: body, sentAt: now}
	var id, seq int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, seq, err = insertMessage(ctx, tx, m)
		return err
	})
	if err != nil {
		undo() // what was not stored does not count
		return Message{}, err
	}
	s.hub.notify(topicsOf(r)...)
	return toMessage(msgRow{id: id, roomID: r.id, seq: seq, kind: kindText, senderID: me.ID, senderLogin: me.Login,
		senderName: m.senderName, body: body, sentAt: now}, me.ID, false), nil
}

// OpenDirect returns the direct room of the person with another (by
// login), creating it when the person may write to them.
func (s *Service) OpenDirect(ctx context.Context, me directory.Person, login string) (Room, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	noSuch := refuse(NotFound, "login", "Diese Person gibt es an der Schule nicht.", "no person %q", login)
	other, err := s.dir.Person(ctx, login)
	if errors.Is(err, store.ErrNotFound) {
		return Room{}, noSuch
	}
	if err != nil {
		return Room{}, fmt.Errorf("chat: open direct room with %q: %w", login, err)
	}
	if other.ID == me.ID {
		return Room{}, refuse(Invalid, "login", "Mit dir selbst kannst du nicht chatten.", "direct room with oneself")
	}
	revoked, err := s.dir.ConsentRevoked(ctx, []int64{other.ID})
	if err != nil {
		return Room{}, err
	}
	if revoked[other.ID] {
		return Room{}, noSuch // the person's data is no longer shown to anyone
	}
	a, b := min(me.ID, other.ID), max(me.ID, other.ID)
	r, err := directRoom(ctx, s.db.R, a, b)
	exists := err == nil
	if err != nil && !errors.Is(err, ErrNoRoom) {
		return Room{}, err
	}
	refusal, err := s.directRefusal(ctx, me, other, exists)
	if err != nil {
		return Room{}, err
	}
	if refusal != nil {
		return Room{}, refusal
	}
	if !exists {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error { return insertDirectRoom(ctx, tx, a, b, s.now()) })
		if err != nil {
			return Room{}, err
		}
		if r, err = directRoom(ctx, s.db.R, a, b); err != nil {
			return Room{}, err
		}
	}
	return s.Room(ctx, me, r.id)
}

// Delete hides a message from its room: the sender their own, a teacher
// of a class or group room any in it. The text stays stored (until the
// retention removes it) so that a report of it, or of a message near it,
// still shows what was written.
func (s *Service) Delete(ctx context.Context, me directory.Person, messageID int64) error {
	m, err := messageByID(ctx, s.db.R, messageID)
	if err != nil {
		return err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	r, err := s.roomFor(ctx, s.db.R, g, m.roomID)
	if err != nil || m.deleted {
		return ErrNoMessage
	}
	own := m.kind == kindText && m.senderID == me.ID
	if !own && !g.moderates(r) {
		return refuse(Forbidden, "", "Du kannst nur deine eigenen Nachrichten löschen.", "%s may not delete message %d", me.Login, m.id)
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := markDeleted(ctx, tx, m.id, me.Name(), s.now())
		return err
	})
	if err != nil {
		return err
	}
	s.hub.notify(topicsOf(r)...)
	return nil
}

// SetPupilsMayWrite mutes a class or group room for pupils (false) or
// opens it again (true); teachers of the class or group do it (a calm
// night for the class chat). The room learns of it by a notice.
func (s *Service) SetPupilsMayWrite(ctx context.Context, me directory.Person, roomID int64, may bool) (Room, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Room{}, err
	}
	r, err := s.roomFor(ctx, s.db.R, g, roomID)
	if err != nil {
		return Room{}, err
	}
	if !g.moderates(r) {
		return Room{}, refuse(Forbidden, "", "Nur Lehrkräfte der Klasse oder Gruppe können das einstellen.", "%s may not mute room %d", me.Login, r.id)
	}
	if r.pupilsMayWrite != may {
		text := me.Name() + " hat den Raum stummgeschaltet: Im Moment können nur Lehrkräfte schreiben."
		if may {
			text = me.Name() + " hat den Raum wieder für alle geöffnet."
		}
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			if err := setPupilsMayWrite(ctx, tx, r.id, may); err != nil {
				return err
			}
			_, _, err := insertMessage(ctx, tx, newMessage{roomID: r.id, kind: kindSystem, senderName: "Schulserver", body: text, sentAt: s.now()})
			return err
		})
		if err != nil {
			return Room{}, err
		}
		s.hub.notify(topicsOf(r)...)
	}
	return s.Room(ctx, me, r.id)
}

// MarkRead moves the person's read mark of a room up to the message
// upTo (0: the newest).
func (s *Service) MarkRead(ctx context.Context, me directory.Person, roomID, upTo int64) error {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	r, err := s.roomFor(ctx, s.db.R, g, roomID)
	if err != nil {
		return err
	}
	last, err := lastMessageID(ctx, s.db.R, r.id)
	if err != nil || last == 0 {
		return err
	}
	if upTo <= 0 || upTo > last {
		upTo = last
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return setRead(ctx, tx, me.ID, r.id, upTo) })
}

// MaxContacts bounds a contact list.
const MaxContacts = 50

// Contacts lists people the person may start a direct chat with: for
// pupils the people of their classes (classmates and teachers), for staff
// everyone at the school matching q (or, with an empty q, the people of
// their classes). q filters by name or login.
func (s *Service) Contacts(ctx context.Context, me directory.Person, q string, limit int) ([]Contact, error) {
	if limit <= 0 || limit > MaxContacts {
		return nil, refuse(Invalid, "limit", fmt.Sprintf("Die Anzahl muss zwischen 1 und %d liegen.", MaxContacts), "contacts limit %d", limit)
	}
	q = strings.ToLower(strings.TrimSpace(q))
	var list []directory.Listed
	var err error
	if isPupil(me) || q == "" {
		list, err = s.dir.ClassmatesOf(ctx, me)
	} else {
		list, err = s.dir.SearchPeople(ctx, q, limit+1)
	}
	if err != nil {
		return nil, fmt.Errorf("chat: contacts of %s: %w", me.Login, err)
	}
	ids := make([]int64, len(list))
	for i, l := range list {
		ids[i] = l.ID
	}
	revoked, err := s.dir.ConsentRevoked(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := []Contact{}
	for _, l := range list {
		if l.ID == me.ID || revoked[l.ID] {
			continue
		}
		if q != "" && !strings.Contains(strings.ToLower(l.Name()+" "+l.Login), q) && !slices.Contains(l.Classes, q) {
			continue
		}
		out = append(out, Contact{Login: l.Login, Name: l.Name(), Role: string(l.Role), Classes: l.Classes})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// Sweep deletes messages older than the retention (except in rooms with
// an open report) and the empty rooms of past school years. It returns
// how many messages it removed.
func (s *Service) Sweep(ctx context.Context) (int64, error) {
	year, err := s.dir.LastPromotion(ctx)
	if err != nil {
		return 0, fmt.Errorf("chat: sweep: %w", err)
	}
	var n int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if n, err = deleteOldMessages(ctx, tx, s.now().AddDate(0, 0, -s.cfg.RetentionDays)); err != nil {
			return err
		}
		return deleteEmptyPastRooms(ctx, tx, year)
	})
	return n, err
}

// berlin is the school's time zone, for times in messages.
var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()
