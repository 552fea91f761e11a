package wire

import "time"

// Types of the homework module (/api/v1/homework/...); documented in
// docs/api/homework.md.

// Homework states of a pupil. "overdue" is never set: it is what "new"
// or "started" becomes after the due day.
const (
	HomeworkNew     = "new"
	HomeworkStarted = "started"
	HomeworkDone    = "done"
	HomeworkOverdue = "overdue"
)

// HomeworkGroup is a class or group one may set homework for.
type HomeworkGroup struct {
	Name  string `json:"name"`  // "3a"
	Title string `json:"title"` // "Klasse 3a"
	Kind  string `json:"kind"`  // class, group
}

// HomeworkGroups is GET /api/v1/homework/groups.
type HomeworkGroups struct {
	Groups []HomeworkGroup `json:"groups"`
}

// HomeworkDueDates is GET /api/v1/homework/due-dates?start=: the earliest
// due date the school's minimum working period allows.
type HomeworkDueDates struct {
	Start         string `json:"start"`
	MinSchoolDays int    `json:"min_school_days"`
	EarliestDue   string `json:"earliest_due"`
}

// HomeworkInput is POST /api/v1/homework and PUT /api/v1/homework/{id}.
// Group is needed when setting a homework; on a change it may be left
// out (a homework cannot move to another class).
type HomeworkInput struct {
	Group string `json:"group,omitempty"` // "3a"
	Title string `json:"title"`
	Text  string `json:"text"`
	Start string `json:"start"` // YYYY-MM-DD, today or later
	Due   string `json:"due"`   // YYYY-MM-DD
}

// HomeworkFile is a worksheet of a homework or a file of a hand-in.
type HomeworkFile struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

// HomeworkCounts sums up a class's states of a homework.
type HomeworkCounts struct {
	Pupils   int `json:"pupils"`
	New      int `json:"new"`
	Started  int `json:"started"`
	Done     int `json:"done"`
	Overdue  int `json:"overdue"`
	HandedIn int `json:"handed_in"`
	Late     int `json:"late"`
}

// HomeworkWork is a pupil's work on a homework: the state, the hand-in
// and the teacher's feedback. Lists carry no text and no files (see
// file_count); one homework and the teachers' hand-in views do.
type HomeworkWork struct {
	Login      string         `json:"login"`
	Name       string         `json:"name"`
	State      string         `json:"state"`       // new, started, done, overdue
	StateTitle string         `json:"state_title"` // Neu, Begonnen, Erledigt, Überfällig
	Late       bool           `json:"late"`        // done or handed in after the due day
	HandedIn   bool           `json:"handed_in"`
	Text       string         `json:"text,omitempty"`
	Files      []HomeworkFile `json:"files,omitempty"`
	FileCount  int            `json:"file_count"`
	DoneAt     *time.Time     `json:"done_at,omitempty"`
	HandedInAt *time.Time     `json:"handed_in_at,omitempty"` // first hand-in
	ChangedAt  *time.Time     `json:"changed_at,omitempty"`   // last change of the hand-in
	Feedback   string         `json:"feedback,omitempty"`
	FeedbackBy string         `json:"feedback_by,omitempty"`
	FeedbackAt *time.Time     `json:"feedback_at,omitempty"`
	// Hint is one German sentence a child (or a parent looking over the
	// shoulder) understands at a glance: "Fällig bis Mittwoch, 02.12.2026
	// (noch 2 Tage).", "Abgegeben am 01.12.2026 um 17:03 Uhr.".
	Hint string `json:"hint"`
}

// Homework is one homework as the caller sees it.
type Homework struct {
	ID         int64           `json:"id"`
	Group      string          `json:"group"`       // "3a"
	GroupTitle string          `json:"group_title"` // "Klasse 3a"
	Title      string          `json:"title"`
	Text       string          `json:"text"`
	Start      string          `json:"start"` // YYYY-MM-DD
	Due        string          `json:"due"`   // YYYY-MM-DD; due at the end of this day
	DueTitle   string          `json:"due_title"`
	CreatedBy  string          `json:"created_by"` // the teacher's name
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	FileCount  int             `json:"file_count"`
	Files      []HomeworkFile  `json:"files,omitempty"` // in GET /api/v1/homework/{id}
	Manage     bool            `json:"manage"`          // the caller may change and delete it
	SeeHandins bool            `json:"see_handins"`     // the caller reads the hand-ins
	Planned    bool            `json:"planned"`         // starts later: pupils do not see it yet
	Work       *HomeworkWork   `json:"work,omitempty"`  // pupils: their own
	Counts     *HomeworkCounts `json:"counts,omitempty"`
}

// HomeworkList is GET /api/v1/homework.
type HomeworkList struct {
	Homework []Homework `json:"homework"`
}

// HomeworkProgress is PUT /api/v1/homework/{id}/progress.
type HomeworkProgress struct {
	State string `json:"state"` // new, started, done
}

// HomeworkText is PUT /api/v1/homework/{id}/handin (the hand-in's text)
// and PUT .../handins/{login}/feedback (the feedback).
type HomeworkText struct {
	Text string `json:"text"`
}

// HomeworkHandins is GET /api/v1/homework/{id}/handins: every pupil's
// work, in class-list order.
type HomeworkHandins struct {
	Homework Homework       `json:"homework"`
	Handins  []HomeworkWork `json:"handins"`
}

// HomeworkOverviewCell is a pupil's state of one homework.
type HomeworkOverviewCell struct {
	State    string `json:"state"`
	Late     bool   `json:"late,omitempty"`
	HandedIn bool   `json:"handed_in,omitempty"`
	// Feedback: the pupil got feedback (only for who sees the hand-ins).
	Feedback bool `json:"feedback,omitempty"`
}

// HomeworkOverviewRow is one pupil's row of the overview.
type HomeworkOverviewRow struct {
	Login   string                 `json:"login"`
	Name    string                 `json:"name"`
	Cells   []HomeworkOverviewCell `json:"cells"` // in the order of HomeworkOverview.Homework
	Done    int                    `json:"done"`
	Open    int                    `json:"open"`
	Overdue int                    `json:"overdue"`
}

// HomeworkOverview is GET /api/v1/homework/overview?group=: a class's
// homework (columns) and its pupils' states (rows).
type HomeworkOverview struct {
	Group      string                `json:"group"`
	GroupTitle string                `json:"group_title"`
	Homework   []Homework            `json:"homework"`
	Pupils     []HomeworkOverviewRow `json:"pupils"`
}

// HomeworkFromFiles is the body of POST /api/v1/homework/{id}/files/from-files
// and /handin/files/from-files: a file of the caller's files ("Meine
// Dateien") by its id in the files module.
type HomeworkFromFiles struct {
	File int64 `json:"file"`
}
