package forum

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// Directory is what the forum reads from the school's directory: who is
// in which class or group, and who a login is. The module never queries
// the directory's tables itself.
type Directory interface {
	MemberGroups(ctx context.Context, personID int64) ([]directory.Group, error)
	GroupByID(ctx context.Context, id int64) (directory.Group, error)
	Groups(ctx context.Context) ([]directory.Group, error)
	Person(ctx context.Context, login string) (directory.Person, error)
	PersonByID(ctx context.Context, id int64) (directory.Person, error)
}

var _ Directory = (*directory.Directory)(nil)

// ForumKind is what a forum belongs to.
type ForumKind string

// The kinds of forums.
const (
	GroupForum  ForumKind = "group"  // a class's or group's: its members read and write
	SchoolForum ForumKind = "school" // created by the admins: everyone (or the roles named) reads and writes
)

// Limits of what people type.
const (
	MaxName        = 80     // characters of a school forum's name
	MaxDescription = 500    // characters
	MaxTitle       = 200    // characters of a topic's title
	MaxText        = 10_000 // characters of a post
	MaxReason      = 500    // characters of a moderator's reason
	MaxPage        = 100    // topics or posts per page
	// EditWindow is how long authors may correct their post. Later a
	// post stays as it was read: nobody rewrites what others answered,
	// and nothing a moderator should see disappears by an edit.
	EditWindow = 15 * time.Minute
)

// Person is an author or a moderator.
type Person struct {
	ID    int64 // 0: the account is gone
	Login string
	Name  string
}

// Forum is a forum as one person sees it.
type Forum struct {
	ID          int64
	Kind        ForumKind
	GroupID     int64  // group forums
	GroupName   string // "3a"
	Name        string // "Klasse 3a", or a school forum's name
	Description string
	Roles       []directory.Role // who reads a school forum; empty: everyone
	CreatedBy   string
	CreatedAt   time.Time
	Topics      int
	LastPostAt  time.Time // zero: no posts yet
	Unread      int       // posts by others the person has not seen (Forums)

	// For the person who asked:
	Member          bool     // reads it as a member (not only as an admin)
	Moderator       bool     // moderates it
	NamesModerators bool     // may name its moderators
	Moderators      []Person // in Forum only
}

// Topic is a thread of posts.
type Topic struct {
	ID         int64
	ForumID    int64
	Title      string
	Author     Person
	CreatedAt  time.Time
	Posts      int
	LastPostID int64
	LastPostAt time.Time
	Unread     int // posts by others the person has not seen (Topics)
}

// Post is a post as one person sees it. A hidden post's text and reason
// are shown to the forum's moderators and to its author only.
type Post struct {
	ID           int64
	TopicID      int64
	Author       Person
	Text         string
	CreatedAt    time.Time
	EditedAt     time.Time
	Hidden       bool
	HiddenAt     time.Time
	HiddenBy     string
	HiddenReason string
	// Notice tells in German why a post shows no text (hidden).
	Notice string
	// For the person who asked:
	Own      bool
	Editable bool // own, not hidden, within EditWindow
}

// HiddenNotice stands in for the text of a hidden post.
const HiddenNotice = "Die Moderation hat diesen Beitrag ausgeblendet."

// Service is the forum module. It is safe for concurrent use.
type Service struct {
	db  *store.DB
	dir Directory
	cfg Config
	now func() time.Time

	limiter limiter
}

// New makes the forum service. Zero limits in cfg take the defaults: a
// configuration file without them must not switch the limits off.
func New(db *store.DB, dir Directory, cfg Config) (*Service, error) {
	if db == nil || dir == nil {
		return nil, errors.New("forum: needs the database and the directory")
	}
	if cfg.PupilPostsPerHour <= 0 {
		cfg.PupilPostsPerHour = DefaultConfig.PupilPostsPerHour
	}
	if cfg.StaffPostsPerHour <= 0 {
		cfg.StaffPostsPerHour = DefaultConfig.StaffPostsPerHour
	}
	return &Service{db: db, dir: dir, cfg: cfg, now: time.Now, limiter: limiter{sent: map[int64][]time.Time{}}}, nil
}

// SetClock replaces the clock, for tests of the rate limit and the edit
// window.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// grants are what one person may do, read once per call.
type grants struct {
	me        directory.Person
	groups    map[int64]directory.Group // the classes and groups they are in
	moderates map[int64]bool            // forum ids
}

func (s *Service) grantsOf(ctx context.Context, me directory.Person) (*grants, error) {
	g := &grants{me: me, groups: map[int64]directory.Group{}}
	groups, err := s.dir.MemberGroups(ctx, me.ID)
	if err != nil {
		return nil, fmt.Errorf("forum: groups of %s: %w", me.Login, err)
	}
	for _, gr := range groups {
		g.groups[gr.ID] = gr
	}
	if g.moderates, err = moderatedBy(ctx, s.db.R, me.ID); err != nil {
		return nil, err
	}
	return g, nil
}

func isStaff(r directory.Role) bool {
	return r == directory.Teacher || r == directory.Secretary || r == directory.Admin
}

// member: a group forum's members, a school forum's roles.
func (g *grants) member(f Forum) bool {
	if f.Kind == GroupForum {
		_, ok := g.groups[f.GroupID]
		return ok
	}
	return len(f.Roles) == 0 || slices.Contains(f.Roles, g.me.Role)
}

// reads: the members, and admins every forum (they oversee the school's
// forums; what they read there is what the class reads).
func (g *grants) reads(f Forum) bool { return g.member(f) || g.me.Role == directory.Admin }

// moderator: named for this forum, still able to read it, and staff
// (only staff are named; a person whose role changed loses it).
func (g *grants) moderator(f Forum) bool {
	return g.moderates[f.ID] && g.reads(f) && isStaff(g.me.Role)
}

// namesModerators: admins for every forum, and the teachers of a class
// or group for its forum.
func (g *grants) namesModerators(f Forum) bool {
	return g.me.Role == directory.Admin || f.Kind == GroupForum && g.me.Role == directory.Teacher && g.member(f)
}

func (g *grants) decorate(f *Forum) {
	f.Member, f.Moderator, f.NamesModerators = g.member(*f), g.moderator(*f), g.namesModerators(*f)
}

// name gives a group forum the group's name as it is now.
func (s *Service) name(ctx context.Context, g *grants, f *Forum) error {
	if f.Kind != GroupForum {
		return nil
	}
	gr, ok := g.groups[f.GroupID]
	if !ok {
		var err error
		if gr, err = s.dir.GroupByID(ctx, f.GroupID); err != nil {
			return fmt.Errorf("forum: group of forum %d: %w", f.ID, err)
		}
	}
	f.GroupName, f.Name = gr.Name, groupTitle(gr)
	return nil
}

// readable loads a forum the person reads; others are "not found".
func (s *Service) readable(ctx context.Context, g *grants, id int64) (Forum, error) {
	f, err := forumByID(ctx, s.db.R, id)
	if err != nil {
		return f, err
	}
	if !g.reads(f) {
		return f, ErrNoForum
	}
	g.decorate(&f)
	return f, s.name(ctx, g, &f)
}

// Forums lists the forums a person reads: the school forums open to
// them, then those of their classes and groups (created here the first
// time somebody looks); with all, admins also get every other class's
// and group's.
func (s *Service) Forums(ctx context.Context, me directory.Person, all bool) ([]Forum, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(g.groups))
	for id := range g.groups {
		ids = append(ids, id)
	}
	if all && me.Role == directory.Admin {
		list, err := s.dir.Groups(ctx)
		if err != nil {
			return nil, fmt.Errorf("forum: groups: %w", err)
		}
		for _, gr := range list {
			if gr.Kind != directory.KindRole && !slices.Contains(ids, gr.ID) {
				ids = append(ids, gr.ID)
			}
		}
	}
	slices.Sort(ids)
	forums, err := listForums(ctx, s.db.R, ids)
	if err != nil {
		return nil, err
	}
	have := 0
	for _, f := range forums {
		if f.Kind == GroupForum {
			have++
		}
	}
	if have < len(ids) {
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return ensureGroupForums(ctx, tx, ids, s.now()) }); err != nil {
			return nil, err
		}
		if forums, err = listForums(ctx, s.db.R, ids); err != nil {
			return nil, err
		}
	}
	out := forums[:0]
	for _, f := range forums {
		if !g.reads(f) {
			continue
		}
		g.decorate(&f)
		if err := s.name(ctx, g, &f); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	ids = ids[:0]
	for _, f := range out {
		ids = append(ids, f.ID)
	}
	unread, err := unreadByForum(ctx, s.db.R, me.ID, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Unread = unread[out[i].ID]
	}
	// The school's forums first, then the classes and groups (own ones
	// first), in class order.
	slices.SortFunc(out, func(a, b Forum) int {
		if a.Kind != b.Kind {
			if a.Kind == SchoolForum {
				return -1
			}
			return 1
		}
		if a.Kind == SchoolForum {
			return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
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

// Forum returns one forum with its moderators.
func (s *Service) Forum(ctx context.Context, me directory.Person, id int64) (Forum, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Forum{}, err
	}
	f, err := s.readable(ctx, g, id)
	if err != nil {
		return f, err
	}
	ids, err := moderatorIDs(ctx, s.db.R, id)
	if err != nil {
		return f, err
	}
	f.Moderators = []Person{}
	for _, pid := range ids {
		p, err := s.dir.PersonByID(ctx, pid)
		if err != nil {
			return f, fmt.Errorf("forum: moderator %d: %w", pid, err)
		}
		f.Moderators = append(f.Moderators, Person{ID: p.ID, Login: p.Login, Name: p.Name()})
	}
	return f, nil
}

// SchoolForumInput is a school forum as an admin writes it.
type SchoolForumInput struct {
	Name        string
	Description string
	// Roles that read and write it (pupil, teacher, secretary, admin);
	// empty: everyone. ["teacher", "secretary", "admin"] is a staff room.
	Roles []string
}

func (s *Service) checkSchoolForum(ctx context.Context, in SchoolForumInput, id int64) (Forum, error) {
	f := Forum{Kind: SchoolForum, Name: oneLine(in.Name), Description: cleanText(in.Description)}
	switch {
	case f.Name == "":
		return f, refuse(Invalid, "name", "Bitte gib dem Forum einen Namen.", "no name")
	case utf8.RuneCountInString(f.Name) > MaxName:
		return f, refuse(Invalid, "name", fmt.Sprintf("Der Name darf höchstens %d Zeichen lang sein.", MaxName), "name too long")
	case utf8.RuneCountInString(f.Description) > MaxDescription:
		return f, refuse(Invalid, "description", fmt.Sprintf("Die Beschreibung darf höchstens %d Zeichen lang sein.", MaxDescription), "description too long")
	case !utf8.ValidString(f.Name) || !utf8.ValidString(f.Description):
		return f, refuse(Invalid, "name", "Der Text enthält ungültige Zeichen.", "invalid UTF-8")
	}
	for _, r := range in.Roles {
		role, err := directory.ParseRole(r)
		if err != nil {
			return f, refuse(Invalid, "roles", fmt.Sprintf("Die Rolle „%s“ gibt es nicht (möglich: pupil, teacher, secretary, admin).", clip(r, 40)),
				"unknown role %q", r)
		}
		if !slices.Contains(f.Roles, role) {
			f.Roles = append(f.Roles, role)
		}
	}
	slices.SortFunc(f.Roles, func(a, b directory.Role) int {
		return slices.Index(directory.Roles, a) - slices.Index(directory.Roles, b)
	})
	if len(f.Roles) == len(directory.Roles) {
		f.Roles = nil // everyone
	}
	taken, err := schoolForumNamed(ctx, s.db.R, f.Name, id)
	if err != nil {
		return f, err
	}
	if taken {
		return f, refuse(Invalid, "name", fmt.Sprintf("Ein Forum „%s“ gibt es schon.", f.Name), "forum %q exists", f.Name)
	}
	return f, nil
}

func errNotAdmin(me directory.Person) *Error {
	return refuse(Forbidden, "", "Schulweite Foren richtet die Administration ein.", "%s is no admin", me.Login)
}

func rolesText(roles []directory.Role) string {
	if len(roles) == 0 {
		return "alle"
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.German()
	}
	return strings.Join(names, ", ")
}

// CreateSchoolForum creates a school-wide forum (admins). It goes into
// the protocol as what an admin did.
func (s *Service) CreateSchoolForum(ctx context.Context, me directory.Person, actor directory.Actor, in SchoolForumInput) (Forum, error) {
	if me.Role != directory.Admin {
		return Forum{}, errNotAdmin(me)
	}
	f, err := s.checkSchoolForum(ctx, in, 0)
	if err != nil {
		return Forum{}, err
	}
	f.CreatedBy, f.CreatedAt = me.Name(), s.now()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := insertSchoolForum(ctx, tx, &f); err != nil {
			return err
		}
		return record(ctx, tx, actor, f.CreatedAt, "forum.create", "", fmt.Sprintf("Forum „%s“ (lesen und schreiben: %s)", f.Name, rolesText(f.Roles)))
	})
	if err != nil {
		return Forum{}, err
	}
	return s.Forum(ctx, me, f.ID)
}

// UpdateSchoolForum renames a school forum or changes who reads it.
func (s *Service) UpdateSchoolForum(ctx context.Context, me directory.Person, actor directory.Actor, id int64, in SchoolForumInput) (Forum, error) {
	if me.Role != directory.Admin {
		return Forum{}, errNotAdmin(me)
	}
	old, err := forumByID(ctx, s.db.R, id)
	if err != nil {
		return Forum{}, err
	}
	if old.Kind != SchoolForum {
		return Forum{}, refuse(Invalid, "", "Das Forum einer Klasse oder Gruppe heißt wie sie und gehört ihr.", "forum %d is a group's", id)
	}
	f, err := s.checkSchoolForum(ctx, in, id)
	if err != nil {
		return Forum{}, err
	}
	f.ID = id
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := updateSchoolForum(ctx, tx, f); err != nil {
			return err
		}
		return record(ctx, tx, actor, s.now(), "forum.change", "", fmt.Sprintf("Forum „%s“ heißt jetzt „%s“ (lesen und schreiben: %s)",
			old.Name, f.Name, rolesText(f.Roles)))
	})
	if err != nil {
		return Forum{}, err
	}
	return s.Forum(ctx, me, id)
}

// DeleteSchoolForum deletes a school forum without topics. Topics go
// first, deleted by its moderators with a reason, so that every deleted
// post is in the protocol.
func (s *Service) DeleteSchoolForum(ctx context.Context, me directory.Person, actor directory.Actor, id int64) error {
	if me.Role != directory.Admin {
		return errNotAdmin(me)
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		f, err := forumByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if f.Kind != SchoolForum {
			return refuse(Invalid, "", "Das Forum einer Klasse oder Gruppe gehört zu ihr und kann nicht gelöscht werden.", "forum %d is a group's", id)
		}
		n, err := topicCount(ctx, tx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			topics, them := fmt.Sprintf("%d Themen", n), "sie"
			if n == 1 {
				topics, them = "ein Thema", "es"
			}
			return refuse(Conflict, "", fmt.Sprintf("Im Forum „%s“ gibt es noch %s. Die Moderation löscht %s zuerst (mit Grund, fürs Protokoll).",
				f.Name, topics, them), "forum %d has %d topics", id, n)
		}
		if err := deleteForum(ctx, tx, id); err != nil {
			return err
		}
		return record(ctx, tx, actor, s.now(), "forum.remove", "", fmt.Sprintf("Forum „%s“", f.Name))
	})
}

// AddModerator names a moderator of a forum: admins for every forum,
// the teachers of a class or group for its forum. Moderators are staff
// who read the forum; children do not moderate each other.
func (s *Service) AddModerator(ctx context.Context, me directory.Person, actor directory.Actor, forumID int64, login string) error {
	return s.changeModerator(ctx, me, actor, forumID, login, true)
}

// RemoveModerator takes a moderator's role in a forum away.
func (s *Service) RemoveModerator(ctx context.Context, me directory.Person, actor directory.Actor, forumID int64, login string) error {
	return s.changeModerator(ctx, me, actor, forumID, login, false)
}

func (s *Service) changeModerator(ctx context.Context, me directory.Person, actor directory.Actor, forumID int64, login string, add bool) error {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	f, err := s.readable(ctx, g, forumID)
	if err != nil {
		return err
	}
	if !f.NamesModerators {
		return refuse(Forbidden, "", "Die Moderation eines Forums bestimmen die Administration und, im Forum ihrer Klasse, die Lehrkräfte.",
			"%s may not name moderators of forum %d", me.Login, forumID)
	}
	p, err := s.dir.Person(ctx, strings.ToLower(strings.TrimSpace(login)))
	if errors.Is(err, store.ErrNotFound) {
		return refuse(NotFound, "login", "Diesen Login gibt es nicht.", "no person %q", login)
	}
	if err != nil {
		return fmt.Errorf("forum: moderator %q: %w", login, err)
	}
	if add {
		if !isStaff(p.Role) {
			return refuse(Invalid, "login", "Moderieren können nur Lehrkräfte, das Sekretariat und die Administration.", "%s is no staff", p.Login)
		}
		pg, err := s.grantsOf(ctx, p)
		if err != nil {
			return err
		}
		if !pg.reads(f) {
			return refuse(Invalid, "login", fmt.Sprintf("%s kann dieses Forum nicht lesen und darum nicht moderieren.", p.Name()),
				"%s cannot read forum %d", p.Login, forumID)
		}
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var done bool
		var err error
		action := "forum.moderator.add"
		if add {
			done, err = insertModerator(ctx, tx, forumID, p.ID, me.Name(), now)
		} else {
			action = "forum.moderator.remove"
			done, err = deleteModerator(ctx, tx, forumID, p.ID)
		}
		if err != nil || !done {
			return err // naming twice or removing who is none changes nothing
		}
		return record(ctx, tx, actor, now, action, p.Login, fmt.Sprintf("Forum „%s“", f.Name))
	})
}

// record writes a protocol line inside the action's transaction.
func record(ctx context.Context, tx *sql.Tx, actor directory.Actor, at time.Time, action, target, detail string) error {
	return audit.Record(ctx, tx, audit.Entry{At: at, Actor: actor.Name, Action: action, Target: target, Success: true,
		Source: actor.Source, Service: actor.Service, Detail: detail})
}

// groupTitle is "Klasse 3a" for a class, the description (or the name)
// for another group.
func groupTitle(g directory.Group) string {
	if g.Kind == directory.KindClass {
		return "Klasse " + g.Name
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
	if na != nb {
		return na - nb
	}
	return strings.Compare(ra, rb)
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

// oneLine makes a title one line of printable characters.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// cleanText keeps a text's lines, without NULs and surrounding blank space.
func cleanText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\x00", "")
	return strings.TrimSpace(s)
}

// clip shortens s for a message to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
