package homework

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"kaspel/server/blobs"
	"kaspel/server/directory"
	"kaspel/server/files"
	"kaspel/server/store"
)

var errLocked = refuse(Conflict, "", "Deine Lehrkraft hat schon eine Rückmeldung gegeben. Die Abgabe kann nicht mehr geändert werden.",
	"hand-in has feedback")

// learner loads a started homework of the pupil's class or group.
func (s *Service) learner(ctx context.Context, me directory.Person, id int64) (Homework, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Homework{}, err
	}
	h, err := s.visible(ctx, g, id)
	if err != nil {
		return Homework{}, err
	}
	if !g.learns(h) {
		return Homework{}, refuse(Forbidden, "", "Hier tragen nur die Schülerinnen und Schüler der Klasse ihre Arbeit ein.",
			"%s does not learn homework %d", me.Login, id)
	}
	return h, nil
}

// work returns a pupil's full work on a homework: state, text, files and
// feedback.
func (s *Service) work(ctx context.Context, h Homework, p directory.Person) (Work, error) {
	w, err := workOf(ctx, s.db.R, h.ID, p.ID)
	if err != nil {
		return Work{}, err
	}
	wk := summarize(h, w, s.now())
	wk.Login, wk.Name = p.Login, p.Name()
	if wk.FileCount > 0 {
		if wk.Files, err = handinFilesOf(ctx, s.db.R, h.ID, p.ID); err != nil {
			return Work{}, err
		}
	}
	return wk, nil
}

// SetProgress records where a pupil stands: "new", "started" or "done"
// (done without handing anything in: work on paper). A pupil who handed
// something in is done.
func (s *Service) SetProgress(ctx context.Context, me directory.Person, id int64, st State) (Work, error) {
	if _, err := ParseState(string(st)); err != nil {
		return Work{}, err
	}
	h, err := s.learner(ctx, me, id)
	if err != nil {
		return Work{}, err
	}
	now := s.now()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		w, err := workOf(ctx, tx, id, me.ID)
		if err != nil {
			return err
		}
		if (w.text != "" || w.files > 0) && st != StateDone {
			return refuse(Conflict, "state", "Du hast schon etwas abgegeben, darum ist die Hausaufgabe erledigt. Nimm zuerst deine Abgabe zurück.",
				"%s handed in homework %d", me.Login, id)
		}
		switch {
		case st == StateDone && w.state != string(StateDone):
			w.doneAt = now
		case st != StateDone:
			w.doneAt = time.Time{}
		}
		w.state = string(st)
		return saveWork(ctx, tx, w)
	})
	if err != nil {
		return Work{}, err
	}
	return s.work(ctx, h, me)
}

// handedIn updates a pupil's row after the hand-in changed: the first
// hand-in is recorded and makes the homework done; every change is the
// time that decides whether it came late; a hand-in emptied again is no
// hand-in, and the homework is "started" again.
func handedIn(w *workRow, now time.Time) {
	if w.text != "" || w.files > 0 {
		if w.handedInAt.IsZero() {
			w.handedInAt = now
		}
		w.changedAt = now
		if w.state != string(StateDone) {
			w.state, w.doneAt = string(StateDone), now
		}
		return
	}
	w.handedInAt, w.changedAt = time.Time{}, time.Time{}
	if w.state == string(StateDone) {
		w.state, w.doneAt = string(StateStarted), time.Time{}
	}
}

// SetHandinText hands in (or changes) the text of a pupil's hand-in.
// Until the due day it is on time, later it is marked late; once the
// teacher gave feedback it is closed. An empty text removes it.
func (s *Service) SetHandinText(ctx context.Context, me directory.Person, id int64, text string) (Work, error) {
	text = cleanText(text)
	if utf8.RuneCountInString(text) > MaxText {
		return Work{}, refuse(Invalid, "text", fmt.Sprintf("Der Text darf höchstens %d Zeichen lang sein.", MaxText), "hand-in text too long")
	}
	if !utf8.ValidString(text) {
		return Work{}, refuse(Invalid, "text", "Der Text enthält ungültige Zeichen.", "invalid UTF-8")
	}
	h, err := s.learner(ctx, me, id)
	if err != nil {
		return Work{}, err
	}
	now := s.now()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		w, err := workOf(ctx, tx, id, me.ID)
		if err != nil {
			return err
		}
		if !w.feedbackAt.IsZero() {
			return errLocked
		}
		if w.text == text {
			return nil
		}
		w.text = text
		handedIn(&w, now)
		return saveWork(ctx, tx, w)
	})
	if err != nil {
		return Work{}, err
	}
	return s.work(ctx, h, me)
}

// AddHandinFile hands in a file (at most wire.MaxUpload bytes). The
// access and the hand-in's state are checked before the upload is read.
func (s *Service) AddHandinFile(ctx context.Context, me directory.Person, id int64, name string, r io.Reader) (File, error) {
	return s.addHandinFile(ctx, me, id, func() (File, error) { return s.putBlob(name, r) })
}

// addHandinFile hands in a file whose content comes from content (an
// upload, or a file of the pupil's files: from_files.go); content is
// asked only when the pupil may still add a file to the hand-in.
func (s *Service) addHandinFile(ctx context.Context, me directory.Person, id int64, content func() (File, error)) (File, error) {
	if _, err := s.learner(ctx, me, id); err != nil {
		return File{}, err
	}
	w, err := workOf(ctx, s.db.R, id, me.ID)
	if err != nil {
		return File{}, err
	}
	if !w.feedbackAt.IsZero() {
		return File{}, errLocked
	}
	if w.files >= MaxFiles {
		return File{}, errTooManyFiles()
	}
	f, err := content()
	if err != nil {
		return File{}, err
	}
	// The usage rules: no foreign software from pupils, by name or by
	// content, whether uploaded or taken from their files.
	if me.Role == directory.Pupil {
		if files.ExecutableName(f.Name) {
			return File{}, errProgram
		}
		prog, err := files.IsProgram(s.blobs, blobs.Blob{Hash: f.Hash, Size: f.Size})
		if err != nil {
			return File{}, err
		}
		if prog {
			return File{}, errProgram
		}
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		w, err := workOf(ctx, tx, id, me.ID)
		if err != nil {
			return err
		}
		if !w.feedbackAt.IsZero() {
			return errLocked
		}
		if w.files >= MaxFiles {
			return errTooManyFiles()
		}
		if err := saveWork(ctx, tx, w); err != nil { // the row the file refers to
			return err
		}
		if err := insertHandinFile(ctx, tx, id, me.ID, &f); err != nil {
			return err
		}
		w.files++
		handedIn(&w, f.CreatedAt)
		return saveWork(ctx, tx, w)
	})
	if err != nil {
		return File{}, err // the blob stays until the sweep, as in AddFile
	}
	return f, nil
}

// DeleteHandinFile takes a file back from a pupil's hand-in.
func (s *Service) DeleteHandinFile(ctx context.Context, me directory.Person, id, fileID int64) error {
	if _, err := s.learner(ctx, me, id); err != nil {
		return err
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		w, err := workOf(ctx, tx, id, me.ID)
		if err != nil {
			return err
		}
		if !w.feedbackAt.IsZero() {
			return errLocked
		}
		if err := deleteHandinFile(ctx, tx, id, me.ID, fileID); err != nil {
			return err
		}
		w.files--
		handedIn(&w, now)
		return saveWork(ctx, tx, w)
	})
}

// OpenOwnHandinFile opens a file of the pupil's own hand-in.
func (s *Service) OpenOwnHandinFile(ctx context.Context, me directory.Person, id, fileID int64) (File, *os.File, error) {
	if _, err := s.learner(ctx, me, id); err != nil {
		return File{}, nil, err
	}
	f, err := handinFile(ctx, s.db.R, id, me.ID, fileID)
	if err != nil {
		return f, nil, err
	}
	return s.open(f)
}

// teacher loads a homework whose hand-ins the person reads.
func (s *Service) teacher(ctx context.Context, me directory.Person, id int64) (Homework, *grants, error) {
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Homework{}, nil, err
	}
	h, err := s.visible(ctx, g, id)
	if err != nil {
		return Homework{}, nil, err
	}
	if !h.SeeHandins {
		return Homework{}, nil, refuse(Forbidden, "", "Die Abgaben sehen nur die Lehrkräfte der Klasse oder Gruppe.",
			"%s does not see the hand-ins of homework %d", me.Login, id)
	}
	gr, err := s.dir.GroupByID(ctx, h.GroupID)
	if err != nil {
		return Homework{}, nil, fmt.Errorf("homework: group of %d: %w", id, err)
	}
	h.GroupName, h.GroupTitle = gr.Name, GroupTitle(gr)
	return h, g, nil
}

// pupilOf finds a pupil whose work on the homework a teacher may read:
// one of the class or group now, or one who worked on it before moving
// on.
func (s *Service) pupilOf(ctx context.Context, h Homework, login string) (directory.Person, error) {
	errNoPupil := refuse(NotFound, "", "Dieses Kind gibt es in der Klasse oder Gruppe nicht.", "no pupil %q for homework %d", login, h.ID)
	p, err := s.dir.Person(ctx, strings.ToLower(strings.TrimSpace(login)))
	if errors.Is(err, store.ErrNotFound) {
		return p, errNoPupil
	}
	if err != nil {
		return p, fmt.Errorf("homework: pupil %q: %w", login, err)
	}
	if p.Role != directory.Pupil {
		return p, errNoPupil
	}
	groups, err := s.dir.MemberGroups(ctx, p.ID)
	if err != nil {
		return p, fmt.Errorf("homework: groups of %s: %w", p.Login, err)
	}
	for _, g := range groups {
		if g.ID == h.GroupID {
			return p, nil
		}
	}
	w, err := workOf(ctx, s.db.R, h.ID, p.ID)
	if err != nil {
		return p, err
	}
	if w.state == string(StateNew) && w.text == "" && w.files == 0 && w.feedback == "" && w.doneAt.IsZero() {
		return p, errNoPupil
	}
	return p, nil
}

// Handins lists the work of every pupil of the class or group on a
// homework (and of pupils who left the class after working on it), in
// class-list order, with texts and files: who handed in what.
func (s *Service) Handins(ctx context.Context, me directory.Person, id int64) (Homework, []Work, error) {
	h, _, err := s.teacher(ctx, me, id)
	if err != nil {
		return Homework{}, nil, err
	}
	gr, err := s.dir.GroupByID(ctx, h.GroupID)
	if err != nil {
		return Homework{}, nil, fmt.Errorf("homework: group of %d: %w", id, err)
	}
	pupils, err := s.pupils(ctx, gr)
	if err != nil {
		return Homework{}, nil, err
	}
	rows, err := worksOf(ctx, s.db.R, []int64{id})
	if err != nil {
		return Homework{}, nil, err
	}
	files, err := handinFilesOfHomework(ctx, s.db.R, id)
	if err != nil {
		return Homework{}, nil, err
	}
	byPupil := map[int64]workRow{}
	for _, w := range rows[id] {
		byPupil[w.pupilID] = w
	}
	listed := map[int64]bool{}
	for _, p := range pupils {
		listed[p.ID] = true
	}
	var former []directory.Person
	for pid := range byPupil {
		if !listed[pid] {
			p, err := s.dir.PersonByID(ctx, pid)
			if err != nil {
				return Homework{}, nil, fmt.Errorf("homework: pupil %d: %w", pid, err)
			}
			former = append(former, p)
		}
	}
	sortPeople(former)
	now := s.now()
	out := make([]Work, 0, len(pupils)+len(former))
	for _, p := range append(pupils, former...) {
		w, ok := byPupil[p.ID]
		if !ok {
			w = workRow{homeworkID: id, pupilID: p.ID, state: string(StateNew)}
		}
		wk := summarize(h, w, now)
		wk.Login, wk.Name, wk.Files = p.Login, p.Name(), files[p.ID]
		out = append(out, wk)
	}
	return h, out, nil
}

// Handin returns one pupil's work on a homework, for its teachers.
func (s *Service) Handin(ctx context.Context, me directory.Person, id int64, login string) (Work, error) {
	h, _, err := s.teacher(ctx, me, id)
	if err != nil {
		return Work{}, err
	}
	p, err := s.pupilOf(ctx, h, login)
	if err != nil {
		return Work{}, err
	}
	return s.work(ctx, h, p)
}

// OpenHandinFile opens a file of a pupil's hand-in, for its teachers.
func (s *Service) OpenHandinFile(ctx context.Context, me directory.Person, id int64, login string, fileID int64) (File, *os.File, error) {
	h, _, err := s.teacher(ctx, me, id)
	if err != nil {
		return File{}, nil, err
	}
	p, err := s.pupilOf(ctx, h, login)
	if err != nil {
		return File{}, nil, err
	}
	f, err := handinFile(ctx, s.db.R, id, p.ID, fileID)
	if err != nil {
		return f, nil, err
	}
	return s.open(f)
}

// SetFeedback gives a pupil short feedback on a homework (also on work
// done on paper). Feedback closes the hand-in: the pupil can no longer
// change what the feedback is about. An empty text takes the feedback
// back and opens the hand-in again.
func (s *Service) SetFeedback(ctx context.Context, me directory.Person, id int64, login, text string) (Work, error) {
	text = cleanText(text)
	if utf8.RuneCountInString(text) > MaxFeedback {
		return Work{}, refuse(Invalid, "text", fmt.Sprintf("Eine Rückmeldung ist kurz: höchstens %d Zeichen.", MaxFeedback), "feedback too long")
	}
	if !utf8.ValidString(text) {
		return Work{}, refuse(Invalid, "text", "Der Text enthält ungültige Zeichen.", "invalid UTF-8")
	}
	h, _, err := s.teacher(ctx, me, id)
	if err != nil {
		return Work{}, err
	}
	p, err := s.pupilOf(ctx, h, login)
	if err != nil {
		return Work{}, err
	}
	now := s.now()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		w, err := workOf(ctx, tx, id, p.ID)
		if err != nil {
			return err
		}
		w.feedback, w.feedbackBy, w.feedbackAt = text, me.Name(), now
		if text == "" {
			w.feedbackBy, w.feedbackAt = "", time.Time{}
		}
		return saveWork(ctx, tx, w)
	})
	if err != nil {
		return Work{}, err
	}
	return s.work(ctx, h, p)
}

// Overview is a class's homework at a glance: one row per pupil, one
// column per homework.
type Overview struct {
	Group    directory.Group
	Title    string // "Klasse 3a"
	Homework []Homework
	Pupils   []OverviewRow
}

// OverviewRow is one pupil's states, in the order of Overview.Homework.
type OverviewRow struct {
	Login, Name         string
	Cells               []Cell
	Done, Open, Overdue int
}

// Cell is a pupil's state of one homework.
type Cell struct {
	State    State
	Late     bool
	HandedIn bool
	// Feedback says the pupil got feedback; only for who sees the
	// hand-ins (the teacher who set it, the class teachers).
	Feedback bool
}

// Overview shows the states of a class's or group's homework (the
// recent ones, or with all every one) for each of its pupils: for the
// teachers of the class and for admins. It shows states, not the work.
func (s *Service) Overview(ctx context.Context, me directory.Person, group string, all bool) (Overview, error) {
	gr, err := s.groupNamed(ctx, group)
	if err != nil {
		if e, ok := AsError(err); ok && e.Kind == Invalid && group != "" {
			return Overview{}, refuse(NotFound, "group", e.German, "no group %q", group)
		}
		return Overview{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Overview{}, err
	}
	if me.Role != directory.Admin && !(me.Role == directory.Teacher && g.member(gr.ID)) {
		return Overview{}, refuse(Forbidden, "", "Die Übersicht einer Klasse oder Gruppe sehen nur ihre Lehrkräfte.",
			"%s is no teacher of %s", me.Login, gr.Name)
	}
	f := filter{groupIDs: []int64{gr.ID}}
	if !all {
		f.dueFrom = s.today().AddDate(0, 0, -RecentDays).Format(store.DateFormat)
	}
	list, err := listHomework(ctx, s.db.R, f)
	if err != nil {
		return Overview{}, err
	}
	hw := list[:0]
	ids := []int64{}
	for _, h := range list {
		if h.GroupID == gr.ID { // listHomework also finds what the creator set elsewhere
			h.GroupName, h.GroupTitle = gr.Name, GroupTitle(gr)
			h.Manage, h.SeeHandins, h.Planned = g.manages(h), g.seesHandins(h), h.Start > g.today
			hw = append(hw, h)
			ids = append(ids, h.ID)
		}
	}
	pupils, err := s.pupils(ctx, gr)
	if err != nil {
		return Overview{}, err
	}
	rows, err := worksOf(ctx, s.db.R, ids)
	if err != nil {
		return Overview{}, err
	}
	now := s.now()
	out := Overview{Group: gr, Title: GroupTitle(gr), Homework: hw, Pupils: make([]OverviewRow, len(pupils))}
	for i, p := range pupils {
		r := OverviewRow{Login: p.Login, Name: p.Name(), Cells: make([]Cell, len(hw))}
		for j, h := range hw {
			w := workRow{homeworkID: h.ID, pupilID: p.ID, state: string(StateNew)}
			for _, x := range rows[h.ID] {
				if x.pupilID == p.ID {
					w = x
					break
				}
			}
			wk := summarize(h, w, now)
			r.Cells[j] = Cell{State: wk.State, Late: wk.Late, HandedIn: wk.HandedIn, Feedback: h.SeeHandins && wk.Feedback != ""}
			switch wk.State {
			case StateDone:
				r.Done++
			case StateOverdue:
				r.Overdue++
			default:
				r.Open++
			}
		}
		out.Pupils[i] = r
	}
	for i := range out.Homework {
		out.Homework[i].Counts = counts(out.Homework[i], pupils, rows[out.Homework[i].ID], now)
	}
	return out, nil
}
