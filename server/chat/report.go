package chat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

// Reason is a reason a reporter picks from the list.
type Reason struct {
	Key   string
	Title string // German, for the list
}

// Reasons is the list a reporter picks from; "other" needs a note.
var Reasons = []Reason{
	{"insult", "Beleidigung oder Mobbing"},
	{"threat", "Bedrohung oder Gewalt"},
	{"inappropriate", "Unangemessene Texte oder Bilder"},
	{"personal", "Persönliche Daten verraten"},
	{"spam", "Kettenbrief oder Spam"},
	{"other", "Etwas anderes"},
}

func reasonTitle(key string) string {
	for _, r := range Reasons {
		if r.Key == key {
			return r.Title
		}
	}
	return key
}

// Report is a report of a message, without the message's content.
type Report struct {
	ID          int64
	MessageID   int64
	RoomID      int64
	RoomTitle   string // "Klasse 3a"; for admins a direct room names both people
	Reason      string
	ReasonTitle string
	Note        string
	Reporter    Person
	Author      Person
	Teacher     Person // the teacher told about it; zero if none
	CreatedAt   time.Time
	Open        bool
	ClosedAt    time.Time
	ClosedBy    string
	CloseNote   string
	Removed     bool // the admin removed the message from its room
}

// ReportView is what an admin sees when opening a report: the report and
// its window — the reported message and up to ReportWindow messages
// before and after it in its room, oldest first, deleted ones with their
// text. Nothing else of the room.
type ReportView struct {
	Report
	Messages []Message
}

// ReportOptions is what the report dialog offers a person.
type ReportOptions struct {
	Reasons []Reason
	// Teacher is "optional", "required" or "off" (the school's setting).
	Teacher  string
	Teachers []Person // whom the person may choose
}

var (
	errReportedTwice = refuse(Conflict, "", "Du hast diese Nachricht schon gemeldet.", "message reported twice by the same person")
	errReportClosed  = refuse(Conflict, "", "Diese Meldung ist abgeschlossen. Der Chat ist darüber nicht mehr einsehbar.", "report closed")
	errAdminsOnly    = refuse(Forbidden, "", "Das darf nur die Administration.", "not an admin")
)

// ReportOptions lists the reasons and the teachers the person may name:
// for a pupil the teachers of their classes, for staff every teacher.
func (s *Service) ReportOptions(ctx context.Context, me directory.Person) (ReportOptions, error) {
	out := ReportOptions{Reasons: slices.Clone(Reasons), Teacher: s.cfg.ReportTeacher, Teachers: []Person{}}
	if s.cfg.ReportTeacher == TeacherOff {
		return out, nil
	}
	var list []directory.Listed
	var err error
	if isPupil(me) {
		list, err = s.dir.ClassmatesOf(ctx, me)
	} else {
		list, err = s.dir.List(ctx, directory.ListQuery{Role: directory.Teacher})
	}
	if err != nil {
		return out, fmt.Errorf("chat: teachers for a report: %w", err)
	}
	for _, l := range list {
		if l.Role == directory.Teacher && l.ID != me.ID {
			out.Teachers = append(out.Teachers, Person{Login: l.Login, Name: l.Name()})
		}
	}
	return out, nil
}

// cleanNote makes a reporter's or admin's note one tidy text.
func cleanNote(note, field string) (string, error) {
	note = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(note, ""))
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxNote {
		return "", refuse(Invalid, field, fmt.Sprintf("Der Text darf höchstens %d Zeichen lang sein.", MaxNote), "note too long")
	}
	return note, nil
}

// Report reports a message of a room the person is in: with a reason from
// the list, a note (needed for "other"), and — where the school wants it —
// a teacher who is told about it. The teacher and every admin learn of the
// report at once (live update, without the message's content). An admin
// may then open the report's window; nobody else gets to see the chat
// through it.
func (s *Service) Report(ctx context.Context, me directory.Person, messageID int64, reason, note, teacher string) (Report, error) {
	m, err := messageByID(ctx, s.db.R, messageID)
	if err != nil {
		return Report{}, err
	}
	g, err := s.grantsOf(ctx, me)
	if err != nil {
		return Report{}, err
	}
	r, err := s.roomFor(ctx, s.db.R, g, m.roomID)
	if err != nil || m.deleted {
		return Report{}, ErrNoMessage
	}
	if m.kind == kindSystem {
		return Report{}, refuse(Invalid, "", "Hinweise des Schulservers kann man nicht melden.", "report of a system message")
	}
	if m.senderID == me.ID {
		return Report{}, refuse(Invalid, "", "Deine eigene Nachricht kannst du nicht melden. Du kannst sie löschen.", "report of the own message")
	}
	if reasonTitle(reason) == reason {
		return Report{}, refuse(Invalid, "reason", "Bitte wähle einen Grund aus der Liste.", "unknown reason %q", reason)
	}
	if note, err = cleanNote(note, "note"); err != nil {
		return Report{}, err
	}
	if reason == "other" && note == "" {
		return Report{}, refuse(Invalid, "note", "Bitte beschreibe kurz, was los ist.", "reason other without a note")
	}
	var informed directory.Person
	teacher = strings.ToLower(strings.TrimSpace(teacher))
	switch {
	case teacher != "" && s.cfg.ReportTeacher == TeacherOff:
		return Report{}, refuse(Invalid, "teacher", "An dieser Schule wird bei einer Meldung keine Lehrkraft benachrichtigt.", "teacher named while off")
	case teacher == "" && s.cfg.ReportTeacher == TeacherRequired:
		return Report{}, refuse(Invalid, "teacher", "Bitte wähle die Lehrkraft, die Bescheid bekommen soll.", "no teacher named")
	case teacher != "":
		opts, err := s.ReportOptions(ctx, me)
		if err != nil {
			return Report{}, err
		}
		if !slices.ContainsFunc(opts.Teachers, func(p Person) bool { return p.Login == teacher }) {
			return Report{}, refuse(Invalid, "teacher", "Diese Lehrkraft kannst du hier nicht wählen.", "teacher %q not offered", teacher)
		}
		if informed, err = s.dir.Person(ctx, teacher); err != nil {
			return Report{}, fmt.Errorf("chat: teacher %s: %w", teacher, err)
		}
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertReport(ctx, tx, newReport{messageID: m.id, roomID: r.id, reporterID: me.ID, reporterLogin: me.Login,
			reporterName: me.Name(), reason: reason, note: note, teacherID: informed.ID, teacherName: nameOf(informed), at: s.now()})
		return err
	})
	if err != nil {
		return Report{}, err
	}
	topics := []string{adminTopic}
	if informed.ID != 0 {
		topics = append(topics, personTopic(informed.ID))
	}
	s.hub.notify(topics...)
	row, err := reportByID(ctx, s.db.R, id)
	if err != nil {
		return Report{}, err
	}
	return s.toReport(ctx, row, false)
}

func nameOf(p directory.Person) string {
	if p.ID == 0 {
		return ""
	}
	return p.Name()
}

// MaxReports bounds a list of reports.
const MaxReports = 200

// Reports lists the reports the person made or was told about as the
// chosen teacher, newest first, without chat content.
func (s *Service) Reports(ctx context.Context, me directory.Person) ([]Report, error) {
	rows, err := reportsOfPerson(ctx, s.db.R, me.ID, MaxReports)
	if err != nil {
		return nil, err
	}
	return s.toReports(ctx, rows, false)
}

// AdminReports lists reports for an admin, newest first: state "open"
// (the default), "closed" or "all". The list holds no chat content.
func (s *Service) AdminReports(ctx context.Context, admin directory.Person, state string) ([]Report, error) {
	if admin.Role != directory.Admin {
		return nil, errAdminsOnly
	}
	switch state {
	case "":
		state = "open"
	case "open", "closed":
	case "all":
		state = ""
	default:
		return nil, refuse(Invalid, "state", "Zeige offene (open), abgeschlossene (closed) oder alle (all) Meldungen.", "state %q", state)
	}
	rows, err := reportsWith(ctx, s.db.R, state, MaxReports)
	if err != nil {
		return nil, err
	}
	return s.toReports(ctx, rows, true)
}

// ViewReport opens an open report to an admin: the reported message and
// up to ReportWindow messages before and after it in its room — the only
// way an admin reads a chat. The look goes into the protocol (action
// "chat.report.view", target the author's login) in the same transaction
// that reads the window: no look without its record. A closed report
// opens nothing any more.
func (s *Service) ViewReport(ctx context.Context, admin directory.Person, actor directory.Actor, reportID int64) (ReportView, error) {
	if admin.Role != directory.Admin {
		return ReportView{}, errAdminsOnly
	}
	var row reportRow
	var msgs []msgRow
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if row, err = reportByID(ctx, tx, reportID); err != nil {
			return err
		}
		if !row.closedAt.IsZero() {
			return errReportClosed
		}
		if msgs, err = window(ctx, tx, row.roomID, row.messageID, ReportWindow); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor.Name, Action: "chat.report.view", Target: targetOf(row),
			Success: true, Source: actor.Source, Service: actor.Service,
			Detail: fmt.Sprintf("Meldung %d (%s): Nachricht %d mit %d Nachrichten davor und danach", row.id, reasonTitle(row.reason), row.messageID, len(msgs)-1)})
	})
	if err != nil {
		return ReportView{}, err
	}
	rep, err := s.toReport(ctx, row, true)
	if err != nil {
		return ReportView{}, err
	}
	view := ReportView{Report: rep, Messages: make([]Message, len(msgs))}
	for i, m := range msgs {
		view.Messages[i] = toMessage(m, 0, true)
	}
	return view, nil
}

// targetOf is the protocol's target of a report: the author's login, or
// their name when the account is gone.
func targetOf(r reportRow) string {
	if r.authorLogin != "" {
		return r.authorLogin
	}
	return r.authorName
}

// CloseReport closes an open report with a note (what was done); with
// remove, the message is also removed from its room. Both go into the
// protocol ("chat.report.close") in the same transaction.
func (s *Service) CloseReport(ctx context.Context, admin directory.Person, actor directory.Actor, reportID int64, note string, remove bool) (Report, error) {
	if admin.Role != directory.Admin {
		return Report{}, errAdminsOnly
	}
	note, err := cleanNote(note, "note")
	if err != nil {
		return Report{}, err
	}
	if note == "" {
		return Report{}, refuse(Invalid, "note", "Bitte schreib kurz auf, wie die Meldung erledigt wurde.", "close without a note")
	}
	var row reportRow
	removed := false
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if row, err = reportByID(ctx, tx, reportID); err != nil {
			return err
		}
		if remove {
			_, err := markDeleted(ctx, tx, row.messageID, "Administration", s.now())
			switch {
			case err == nil:
				removed = true
			case !errors.Is(err, ErrNoMessage): // deleted already: nothing to remove
				return err
			}
		}
		if err := closeReport(ctx, tx, row.id, admin.Name(), note, remove, s.now()); err != nil {
			return err
		}
		detail := fmt.Sprintf("Meldung %d: %s", row.id, note)
		if remove {
			detail += " (Nachricht entfernt)"
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor.Name, Action: "chat.report.close", Target: targetOf(row),
			Success: true, Source: actor.Source, Service: actor.Service, Detail: detail})
	})
	if err != nil {
		return Report{}, err
	}
	if removed {
		if room, err := roomByID(ctx, s.db.R, row.roomID); err == nil {
			s.hub.notify(topicsOf(room)...)
		}
	}
	if row, err = reportByID(ctx, s.db.R, row.id); err != nil {
		return Report{}, err
	}
	return s.toReport(ctx, row, true)
}

func (s *Service) toReports(ctx context.Context, rows []reportRow, admin bool) ([]Report, error) {
	out := make([]Report, len(rows))
	for i, r := range rows {
		var err error
		if out[i], err = s.toReport(ctx, r, admin); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// toReport makes a row into a Report. Only admins see who a direct chat
// was between; the reporter and the teacher see "Direktnachricht".
func (s *Service) toReport(ctx context.Context, r reportRow, admin bool) (Report, error) {
	out := Report{ID: r.id, MessageID: r.messageID, RoomID: r.roomID, Reason: r.reason, ReasonTitle: reasonTitle(r.reason), Note: r.note,
		Reporter: Person{Login: r.reporterLogin, Name: r.reporterName}, Author: Person{Login: r.authorLogin, Name: r.authorName},
		CreatedAt: r.createdAt, Open: r.closedAt.IsZero(), ClosedAt: r.closedAt, ClosedBy: r.closedBy, CloseNote: r.closeNote, Removed: r.removed}
	if r.teacherName != "" {
		out.Teacher.Name = r.teacherName
		if r.teacherID != 0 {
			if p, err := s.dir.PersonByID(ctx, r.teacherID); err == nil {
				out.Teacher.Login = p.Login
			}
		}
	}
	room, err := roomByID(ctx, s.db.R, r.roomID)
	if err != nil {
		return out, err
	}
	switch room.kind {
	case GroupRoom:
		grp, err := s.dir.GroupByID(ctx, room.groupID)
		if err != nil {
			return out, fmt.Errorf("chat: group of room %d: %w", room.id, err)
		}
		out.RoomTitle = groupTitle(grp)
	case DirectRoom:
		out.RoomTitle = "Direktnachricht"
		if admin {
			var names []string
			for _, id := range []int64{room.a, room.b} {
				if p, err := s.dir.PersonByID(ctx, id); err == nil {
					names = append(names, p.Name())
				}
			}
			out.RoomTitle += ": " + strings.Join(names, " und ")
		}
	}
	return out, nil
}
