package homework

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

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/store"
)

// Directory is what homework reads from the school's directory: who is
// in which class or group. The module never queries the directory's
// tables itself.
type Directory interface {
	MemberGroups(ctx context.Context, personID int64) ([]directory.Group, error)
	GroupByID(ctx context.Context, id int64) (directory.Group, error)
	GroupNamed(ctx context.Context, name string) (directory.Group, error)
	Groups(ctx context.Context) ([]directory.Group, error)
	CurrentMembers(ctx context.Context, g directory.Group) ([]directory.Person, error)
	Person(ctx context.Context, login string) (directory.Person, error)
	PersonByID(ctx context.Context, id int64) (directory.Person, error)
}

var _ Directory = (*directory.Directory)(nil)

// Limits of what people type and upload.
const (
	MaxTitle    = 200    // characters
	MaxText     = 20_000 // characters, of a homework and of a hand-in
	MaxFeedback = 1000   // characters: feedback is short
	MaxFiles    = 10     // files of a homework, and of one pupil's hand-in
	// MaxAhead bounds how far after its start a homework may be due.
	MaxAhead = 366 // days
	// RecentDays is how long after its due date a homework stays in the
	// lists without asking for all of them.
	RecentDays = 28
)

// State is where a pupil stands with a homework.
type State string

// The states. StateOverdue is never stored: it is what "new" or "started"
// becomes when the due date has passed.
const (
	StateNew     State = "new"
	StateStarted State = "started"
	StateDone    State = "done"
	StateOverdue State = "overdue"
)

// German is the state's name as pupils and parents read it.
func (s State) German() string {
	switch s {
	case StateNew:
		return "Neu"
	case StateStarted:
		return "Begonnen"
	case StateDone:
		return "Erledigt"
	case StateOverdue:
		return "Überfällig"
	}
	return string(s)
}

// ParseState accepts the states a pupil may set.
func ParseState(s string) (State, error) {
	switch st := State(strings.ToLower(strings.TrimSpace(s))); st {
	case StateNew, StateStarted, StateDone:
		return st, nil
	}
	return "", refuse(Invalid, "state", "Diesen Stand gibt es nicht. Möglich sind: neu, begonnen, erledigt.", "no state %q", s)
}

// Homework is a homework as one person sees it.
type Homework struct {
	ID           int64
	GroupID      int64
	GroupName    string // "3a"
	GroupTitle   string // "Klasse 3a"
	Title        string
	Text         string
	Start, Due   string // YYYY-MM-DD
	CreatorID    int64  // 0: the account is gone
	CreatorLogin string
	CreatorName  string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	FileCount    int
	Files        []File // in Get only

	// For the person who asked:
	Manage     bool    // may change and delete it and see the class's states
	SeeHandins bool    // may read the hand-ins and give feedback
	Planned    bool    // its start lies ahead: pupils do not see it yet
	Work       *Work   // a pupil's own work
	Counts     *Counts // for those who manage it: the class's states
}

// File is a worksheet of a homework or a file of a hand-in.
type File struct {
	ID        int64
	Name      string
	Size      int64
	Hash      string // the blob
	CreatedAt time.Time
}

// Work is a pupil's work on a homework.
type Work struct {
	PupilID    int64
	Login      string
	Name       string
	State      State
	Late       bool // done or handed in after the due date
	HandedIn   bool // text or files are there
	Text       string
	Files      []File
	FileCount  int
	DoneAt     time.Time
	HandedInAt time.Time // first hand-in
	ChangedAt  time.Time // last change of the hand-in
	Feedback   string
	FeedbackBy string
	FeedbackAt time.Time
	// Hint says in one German sentence where the pupil stands, for a
	// child and for a parent looking over the shoulder.
	Hint string
}

// Counts sums up a class's states of a homework.
type Counts struct {
	Pupils, New, Started, Done, Overdue, HandedIn, Late int
}

// Input is a homework as a teacher writes it.
type Input struct {
	Group string // the class or group by name; only when setting it
	Title string
	Text  string
	Start string // YYYY-MM-DD
	Due   string // YYYY-MM-DD
}

// Service is the homework module. It is safe for concurrent use.
type Service struct {
	db    *store.DB
	dir   Directory
	blobs *blobs.Store
	files Files // "Meine Dateien", when the API connected it (from_files.go)
	cfg   Config
	days  schoolDays
	now   func() time.Time
}

// New makes the homework service. A zero MinSchoolDays takes the
// default: a configuration file without it must not switch the rule off.
func New(db *store.DB, dir Directory, bl *blobs.Store, cfg Config) (*Service, error) {
	if db == nil || dir == nil || bl == nil {
		return nil, errors.New("homework: needs the database, the directory and the blob store")
	}
	if cfg.MinSchoolDays <= 0 {
		cfg.MinSchoolDays = DefaultConfig.MinSchoolDays
	}
	if cfg.MinSchoolDays > 30 {
		return nil, fmt.Errorf("homework: min_school_days %d is more than 30", cfg.MinSchoolDays)
	}
	days, err := newSchoolDays(cfg.Holidays)
	if err != nil {
		return nil, err
	}
	return &Service{db: db, dir: dir, blobs: bl, cfg: cfg, days: days, now: time.Now}, nil
}

// SetClock replaces the clock, for tests of dates and lateness.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// MinSchoolDays is the working period the service enforces.
func (s *Service) MinSchoolDays() int { return s.cfg.MinSchoolDays }

// today is the school's date now, as a civil date.
func (s *Service) today() time.Time {
	t := s.now().In(berlin)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// dueEnd is the moment a homework becomes overdue: the midnight in
// Berlin after the due day.
func dueEnd(due string) time.Time {
	d, _ := parseDate(due)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, berlin)
}

// grants are what one person may do, read once per call.
type grants struct {
	me     directory.Person
	today  string
	groups map[int64]directory.Group // the classes and groups they are in
}

func (s *Service) grantsOf(ctx context.Context, me directory.Person) (*grants, error) {
	g := &grants{me: me, today: s.today().Format(store.DateFormat), groups: map[int64]directory.Group{}}
	groups, err := s.dir.MemberGroups(ctx, me.ID)
	if err != nil {
		return nil, fmt.Errorf("homework: groups of %s: %w", me.Login, err)
	}
	for _, gr := range groups {
		g.groups[gr.ID] = gr
	}
	return g, nil
}

func (g *grants) member(groupID int64) bool { _, ok := g.groups[groupID]; return ok }

func (g *grants) staffMember(groupID int64) bool {
	return g.member(groupID) && (g.me.Role == directory.Teacher || g.me.Role == directory.Admin)
}

// manages: who set it, the teachers of its class or group (who share
// their class's homework: co-teaching, substitution), and admins, who
// may set homework for any class.
func (g *grants) manages(h Homework) bool {
	return g.me.Role == directory.Admin || h.CreatorID == g.me.ID || g.me.Role == directory.Teacher && g.member(h.GroupID)
}

// seesHandins: who set it and the teachers of its class or group. An
// admin who is neither manages the homework but does not read the
// children's work.
func (g *grants) seesHandins(h Homework) bool {
	return h.CreatorID == g.me.ID || g.staffMember(h.GroupID)
}

// learns: a pupil of the class or group, once the homework has started.
func (g *grants) learns(h Homework) bool {
	return g.me.Role == directory.Pupil && g.member(h.GroupID) && h.Start <= g.today
}

func (g *grants) sees(h Homework) bool { return g.manages(h) || g.seesHandins(h) || g.learns(h) }

// visible loads a homework the person sees; others are "not found".
func (s *Service) visible(ctx context.Context, g *grants, id int64) (Homework, error) {
	h, err := homeworkByID(ctx, s.db.R, id)
	if err != nil {
		return h, err
	}
	if !g.sees(h) {
		return h, ErrNotFound
	}
	h.Manage, h.SeeHandins, h.Planned = g.manages(h), g.seesHandins(h), h.Start > g.today
	return h, nil
}

// Groups lists the classes and groups the person may set homework for:
// a teacher's own, every one for an admin, none for others.
func (s *Service) Groups(ctx context.Context, me directory.Person) ([]directory.Group, error) {
	var list []directory.Group
	var err error
	switch me.Role {
	case directory.Teacher:
		list, err = s.dir.MemberGroups(ctx, me.ID)
	case directory.Admin:
		list, err = s.dir.Groups(ctx)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("homework: groups: %w", err)
	}
	out := make([]directory.Group, 0, len(list))
	for _, g := range list {
		if g.Kind != directory.KindRole {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b directory.Group) int { return compareGroupNames(a.Name, b.Name) })
	return out, nil
}

// EarliestDue is the first due date the rules allow for a start date.
func (s *Service) EarliestDue(start string) (string, error) {
	d, ok := parseDate(strings.TrimSpace(start))
	if !ok {
		return "", refuse(Invalid, "start", fmt.Sprintf("„%s“ ist kein Datum wie 2026-12-01.", clip(start, 40)), "bad start %q", start)
	}
	return s.days.after(d, s.cfg.MinSchoolDays).Format(store.DateFormat), nil
}

// Create sets a homework for a class or group. Teachers set homework for
// their own classes and groups, admins for any.
func (s *Service) Create(ctx context.Context, me directory.Person, in Input) (Homework, error) {
	if me.Role != directory.Teacher && me.Role != directory.Admin {
		return Homework{}, refuse(Forbidden, "", "Hausaufgaben stellen nur Lehrkräfte.", "%s (%s) may not set homework", me.Login, me.Role)
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Homework{}, err
	}
	group, err := s.groupNamed(ctx, in.Group)
	if err != nil {
		return Homework{}, err
	}
	if me.Role == directory.Teacher && !g.member(group.ID) {
		return Homework{}, refuse(Forbidden, "group", "Du kannst Hausaufgaben nur für deine eigenen Klassen und Gruppen stellen.",
			"%s is not in %s", me.Login, group.Name)
	}
	now := s.now()
	h := Homework{GroupID: group.ID, CreatorID: me.ID, CreatorLogin: me.Login, CreatorName: me.Name(), CreatedAt: now, UpdatedAt: now}
	if err := s.check(&h, in, nil); err != nil {
		return Homework{}, err
	}
	if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return insertHomework(ctx, tx, &h) }); err != nil {
		return Homework{}, err
	}
	return s.Get(ctx, me, h.ID)
}

// groupNamed finds the class or group a homework is for.
func (s *Service) groupNamed(ctx context.Context, name string) (directory.Group, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return directory.Group{}, refuse(Invalid, "group", "Bitte wähle die Klasse oder Gruppe.", "no group")
	}
	names := []string{name}
	if c, err := directory.NormalizeClass(name); err == nil && c != name {
		names = append(names, c)
	}
	for _, n := range names {
		g, err := s.dir.GroupNamed(ctx, n)
		if err == nil && g.Kind != directory.KindRole {
			return g, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return g, fmt.Errorf("homework: group %q: %w", name, err)
		}
	}
	return directory.Group{}, refuse(Invalid, "group", fmt.Sprintf("Die Klasse oder Gruppe „%s“ gibt es nicht.", clip(name, 40)), "no group %q", name)
}

// check validates a homework's input into h. On a change, old is the
// homework as it was: a start that stays may lie in the past by now, and
// dates that stay are not checked again (the school may have changed
// its minimum meanwhile).
func (s *Service) check(h *Homework, in Input, old *Homework) error {
	title := oneLine(in.Title)
	text := cleanText(in.Text)
	switch {
	case title == "":
		return refuse(Invalid, "title", "Bitte gib der Hausaufgabe einen Titel.", "no title")
	case utf8.RuneCountInString(title) > MaxTitle:
		return refuse(Invalid, "title", fmt.Sprintf("Der Titel darf höchstens %d Zeichen lang sein.", MaxTitle), "title too long")
	case utf8.RuneCountInString(text) > MaxText:
		return refuse(Invalid, "text", fmt.Sprintf("Der Text darf höchstens %d Zeichen lang sein.", MaxText), "text too long")
	case !utf8.ValidString(title) || !utf8.ValidString(text):
		return refuse(Invalid, "text", "Der Text enthält ungültige Zeichen.", "invalid UTF-8")
	}
	start, ok := parseDate(strings.TrimSpace(in.Start))
	if !ok {
		return refuse(Invalid, "start", fmt.Sprintf("Der Beginn „%s“ ist kein Datum wie 2026-12-01.", clip(in.Start, 40)), "bad start %q", in.Start)
	}
	due, ok := parseDate(strings.TrimSpace(in.Due))
	if !ok {
		return refuse(Invalid, "due", fmt.Sprintf("Der Abgabetermin „%s“ ist kein Datum wie 2026-12-03.", clip(in.Due, 40)), "bad due %q", in.Due)
	}
	startS, dueS := start.Format(store.DateFormat), due.Format(store.DateFormat)
	today := s.today()
	startChanged := old == nil || old.Start != startS
	dueChanged := old == nil || old.Due != dueS
	if startChanged && start.Before(today) {
		return refuse(Invalid, "start", "Der Beginn liegt in der Vergangenheit. Eine Hausaufgabe wird im Unterricht angekündigt: Sie beginnt heute oder später.",
			"start %s before today", startS)
	}
	if startChanged || dueChanged {
		if dueChanged && due.Before(today) {
			return refuse(Invalid, "due", "Der Abgabetermin liegt in der Vergangenheit.", "due %s before today", dueS)
		}
		min := s.cfg.MinSchoolDays
		if earliest := s.days.after(start, min); due.Before(earliest) {
			return refuse(Invalid, "due", fmt.Sprintf("Die Bearbeitungszeit ist zu kurz: Zwischen Beginn und Abgabe müssen mindestens %s liegen "+
				"(Nutzungsordnung: angemessener Bearbeitungszeitraum). Der früheste Abgabetermin ist %s.", schoolDaysText(min), germanDate(earliest)),
				"due %s less than %d school days after %s", dueS, min, startS)
		}
		if !s.days.isSchoolDay(due) {
			return refuse(Invalid, "due", fmt.Sprintf("Am %s ist keine Schule. Bitte wähle einen Schultag als Abgabetermin.", germanDate(due)),
				"due %s is no school day", dueS)
		}
		if due.Sub(start) > MaxAhead*24*time.Hour {
			return refuse(Invalid, "due", "Der Abgabetermin darf höchstens ein Jahr nach dem Beginn liegen.", "due %s too far after %s", dueS, startS)
		}
	}
	h.Title, h.Text, h.Start, h.Due = title, text, startS, dueS
	return nil
}

func schoolDaysText(n int) string {
	if n == 1 {
		return "1 Schultag"
	}
	return strconv.Itoa(n) + " Schultage"
}

// Update changes a homework's title, text and dates. It cannot move to
// another class: the pupils' work belongs to this one.
func (s *Service) Update(ctx context.Context, me directory.Person, id int64, in Input) (Homework, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Homework{}, err
	}
	h, err := s.visible(ctx, g, id)
	if err != nil {
		return Homework{}, err
	}
	if !h.Manage {
		return Homework{}, errNotManager(me, id)
	}
	if in.Group != "" {
		group, err := s.groupNamed(ctx, in.Group)
		if err != nil || group.ID != h.GroupID {
			return Homework{}, refuse(Invalid, "group", "Eine Hausaufgabe kann nicht in eine andere Klasse oder Gruppe verschoben werden.",
				"homework %d to another group %q", id, in.Group)
		}
	}
	old := h
	if err := s.check(&h, in, &old); err != nil {
		return Homework{}, err
	}
	h.UpdatedAt = s.now()
	if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return updateHomework(ctx, tx, h) }); err != nil {
		return Homework{}, err
	}
	return s.Get(ctx, me, id)
}

func errNotManager(me directory.Person, id int64) *Error {
	return refuse(Forbidden, "", "Diese Hausaufgabe dürfen nur ihre Lehrkräfte ändern.", "%s does not manage homework %d", me.Login, id)
}

// Delete removes a homework nobody has handed anything in for yet; after
// that the hand-ins must not be lost, and the homework can only change.
func (s *Service) Delete(ctx context.Context, me directory.Person, id int64) error {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return err
	}
	h, err := s.visible(ctx, g, id)
	if err != nil {
		return err
	}
	if !h.Manage {
		return errNotManager(me, id)
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		has, err := hasHandins(ctx, tx, id)
		if err != nil {
			return err
		}
		if has {
			return refuse(Conflict, "", "Für diese Hausaufgabe gibt es schon Abgaben. Sie kann nicht mehr gelöscht werden – ändere sie stattdessen.",
				"homework %d has hand-ins", id)
		}
		return deleteHomework(ctx, tx, id)
	})
}

// Get returns one homework with its files; a pupil's own work with its
// text and files, the class's counts for those who manage it.
func (s *Service) Get(ctx context.Context, me directory.Person, id int64) (Homework, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Homework{}, err
	}
	h, err := s.visible(ctx, g, id)
	if err != nil {
		return Homework{}, err
	}
	if h.Files, err = filesOf(ctx, s.db.R, id); err != nil {
		return Homework{}, err
	}
	list := []Homework{h}
	if err := s.decorate(ctx, g, list); err != nil {
		return Homework{}, err
	}
	h = list[0]
	if h.Work != nil {
		full, err := s.work(ctx, h, me)
		if err != nil {
			return Homework{}, err
		}
		h.Work = &full
	}
	return h, nil
}

// ListQuery selects homework for a list.
type ListQuery struct {
	Group string // a class or group by name; "" for all of the person's
	// All includes homework whose due date is more than RecentDays ago.
	All bool
}

// List returns the homework a person sees: a pupil the started homework
// of their classes and groups, open ones first; a teacher that of their
// classes and groups and what they set; an admin what they set and, with
// Group, any class's. The secretary has none.
func (s *Service) List(ctx context.Context, me directory.Person, q ListQuery) ([]Homework, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return nil, err
	}
	var f filter
	if !q.All {
		f.dueFrom = s.today().AddDate(0, 0, -RecentDays).Format(store.DateFormat)
	}
	var only int64
	if q.Group != "" {
		group, err := s.groupNamed(ctx, q.Group)
		if err != nil {
			return nil, err
		}
		only = group.ID
	}
	switch me.Role {
	case directory.Pupil:
		f.startUntil = g.today
		for id := range g.groups {
			f.groupIDs = append(f.groupIDs, id)
		}
	case directory.Teacher, directory.Admin:
		f.creatorID = me.ID
		for id := range g.groups {
			f.groupIDs = append(f.groupIDs, id)
		}
		if me.Role == directory.Admin && only != 0 {
			f.groupIDs = append(f.groupIDs, only)
		}
	default:
		return nil, nil
	}
	list, err := listHomework(ctx, s.db.R, f)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, h := range list {
		if (only == 0 || h.GroupID == only) && g.sees(h) {
			h.Manage, h.SeeHandins, h.Planned = g.manages(h), g.seesHandins(h), h.Start > g.today
			out = append(out, h)
		}
	}
	if err := s.decorate(ctx, g, out); err != nil {
		return nil, err
	}
	if me.Role == directory.Pupil {
		// What is still to do comes first, the most urgent on top: a
		// child (and a parent looking over the shoulder) sees at once
		// what matters today.
		rank := map[State]int{StateOverdue: 0, StateNew: 1, StateStarted: 1, StateDone: 2}
		slices.SortStableFunc(out, func(a, b Homework) int { return rank[a.Work.State] - rank[b.Work.State] })
	}
	return out, nil
}

// decorate adds group names, a pupil's work (summary) and the counts of
// those who manage a homework.
func (s *Service) decorate(ctx context.Context, g *grants, list []Homework) error {
	if len(list) == 0 {
		return nil
	}
	groups := map[int64]directory.Group{}
	ids := make([]int64, len(list))
	for i, h := range list {
		ids[i] = h.ID
		if _, ok := groups[h.GroupID]; !ok {
			gr, ok := g.groups[h.GroupID]
			if !ok {
				var err error
				if gr, err = s.dir.GroupByID(ctx, h.GroupID); err != nil {
					return fmt.Errorf("homework: group of %d: %w", h.ID, err)
				}
			}
			groups[h.GroupID] = gr
		}
	}
	now := s.now()
	var mine map[int64]workRow
	var all map[int64][]workRow
	pupilsOf := map[int64][]directory.Person{}
	for i := range list {
		h := &list[i]
		gr := groups[h.GroupID]
		h.GroupName, h.GroupTitle = gr.Name, GroupTitle(gr)
		switch {
		case g.me.Role == directory.Pupil:
			if mine == nil {
				var err error
				if mine, err = worksOfPupil(ctx, s.db.R, g.me.ID, ids); err != nil {
					return err
				}
			}
			w, ok := mine[h.ID]
			if !ok {
				w = workRow{homeworkID: h.ID, pupilID: g.me.ID, state: string(StateNew)}
			}
			wk := summarize(*h, w, now)
			wk.Login, wk.Name = g.me.Login, g.me.Name()
			wk.Text = "" // lists stay small; Get reads the whole work
			h.Work = &wk
		case h.Manage:
			if all == nil {
				var err error
				if all, err = worksOf(ctx, s.db.R, ids); err != nil {
					return err
				}
			}
			pupils, ok := pupilsOf[h.GroupID]
			if !ok {
				var err error
				if pupils, err = s.pupils(ctx, gr); err != nil {
					return err
				}
				pupilsOf[h.GroupID] = pupils
			}
			h.Counts = counts(*h, pupils, all[h.ID], now)
		}
	}
	return nil
}

// pupils lists the pupils of a class or group who are at the school, in
// German name order.
func (s *Service) pupils(ctx context.Context, gr directory.Group) ([]directory.Person, error) {
	members, err := s.dir.CurrentMembers(ctx, gr)
	if err != nil {
		return nil, fmt.Errorf("homework: members of %s: %w", gr.Name, err)
	}
	out := members[:0]
	for _, p := range members {
		if p.Role == directory.Pupil {
			out = append(out, p)
		}
	}
	sortPeople(out)
	return out, nil
}

func counts(h Homework, pupils []directory.Person, rows []workRow, now time.Time) *Counts {
	byPupil := make(map[int64]workRow, len(rows))
	for _, w := range rows {
		byPupil[w.pupilID] = w
	}
	c := &Counts{Pupils: len(pupils)}
	for _, p := range pupils {
		w, ok := byPupil[p.ID]
		if !ok {
			w = workRow{homeworkID: h.ID, pupilID: p.ID, state: string(StateNew)}
		}
		wk := summarize(h, w, now)
		switch wk.State {
		case StateNew:
			c.New++
		case StateStarted:
			c.Started++
		case StateDone:
			c.Done++
		case StateOverdue:
			c.Overdue++
		}
		if wk.HandedIn {
			c.HandedIn++
		}
		if wk.Late {
			c.Late++
		}
	}
	return c
}

// summarize works out a pupil's state of a homework: handed in or marked
// done is "Erledigt" (late if that happened after the due day), otherwise
// after the due day "Überfällig", otherwise what the pupil marked.
func summarize(h Homework, w workRow, now time.Time) Work {
	wk := Work{PupilID: w.pupilID, Text: w.text, FileCount: w.files, DoneAt: w.doneAt, HandedInAt: w.handedInAt,
		ChangedAt: w.changedAt, Feedback: w.feedback, FeedbackBy: w.feedbackBy, FeedbackAt: w.feedbackAt}
	wk.HandedIn = w.text != "" || w.files > 0
	end := dueEnd(h.Due)
	switch {
	case wk.HandedIn || w.state == string(StateDone):
		wk.State = StateDone
		at := w.doneAt
		if wk.HandedIn {
			at = w.changedAt
		}
		wk.Late = !at.IsZero() && !at.Before(end)
	case !now.Before(end):
		wk.State = StateOverdue
	case w.state == string(StateStarted):
		wk.State = StateStarted
	default:
		wk.State = StateNew
	}
	wk.Hint = hint(h, wk, now)
	return wk
}

// hint is the sentence beside a pupil's state: what is done and when, or
// how long there is still time.
func hint(h Homework, wk Work, now time.Time) string {
	due, _ := parseDate(h.Due)
	var s string
	switch wk.State {
	case StateDone:
		if wk.HandedIn {
			s = "Abgegeben am " + wk.ChangedAt.In(berlin).Format("02.01.2006 um 15:04") + " Uhr."
		} else {
			s = "Als erledigt eingetragen."
		}
		if wk.Late {
			s += " Das war nach dem Abgabetermin."
		}
	case StateOverdue:
		s = "Überfällig: Die Hausaufgabe war bis " + germanDate(due) + " fällig."
	default:
		t := now.In(berlin)
		today := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		switch left := int(due.Sub(today).Hours()/24 + 0.5); left {
		case 0:
			s = "Heute fällig!"
		case 1:
			s = "Morgen fällig (" + germanDate(due) + ")."
		default:
			s = fmt.Sprintf("Fällig bis %s (noch %d Tage).", germanDate(due), left)
		}
	}
	if wk.Feedback != "" {
		s += " Es gibt eine Rückmeldung."
	}
	return s
}

// DueTitle is a homework's due date as people read it: "Mittwoch,
// 02.12.2026".
func (h Homework) DueTitle() string {
	d, ok := parseDate(h.Due)
	if !ok {
		return h.Due
	}
	return germanDate(d)
}

// GroupTitle is "Klasse 3a" for a class, the description (or the name)
// for another group.
func GroupTitle(g directory.Group) string {
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

// sortPeople sorts by last and first name as a German class list does.
func sortPeople(list []directory.Person) {
	col := collate.New(language.German, collate.IgnoreCase)
	slices.SortStableFunc(list, func(a, b directory.Person) int {
		if c := col.CompareString(a.LastName, b.LastName); c != 0 {
			return c
		}
		return col.CompareString(a.FirstName, b.FirstName)
	})
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

// cleanText keeps a text's lines, without NULs and trailing blank space.
func cleanText(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\x00", "")
	return strings.TrimRightFunc(s, unicode.IsSpace)
}

// clip shortens s for a message to at most n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
