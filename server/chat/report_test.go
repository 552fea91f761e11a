package chat

import (
	"slices"
	"strings"
	"testing"

	"kaspel/server/audit"
	"kaspel/server/directory"
)

var adminActor = directory.Actor{Name: "adam.admin", Source: "10.0.0.5", Service: "api"}

// A report opens exactly the reported window of a chat to an admin: the
// reported message and up to ReportWindow messages before and after it in
// its room — never the rest of the room, never another room. Each look is
// one protocol line, written with the read.
func TestReportWindow(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	other := e.direct(e.anna, e.ben)
	msgs := e.fill(room, 60, e.ben, e.tina, e.anna)
	e.send(e.ben, other, "Geheimnis im Direktchat")

	for _, tt := range []struct {
		name     string
		reported int // index into msgs
		from, to int // the window, indexes into msgs (to exclusive)
	}{
		{"in the middle", 30, 10, 51},
		{"near the start", 3, 0, 24},
		{"the very first", 0, 0, 21},
		{"near the end", 57, 37, 60},
		{"the last", 59, 39, 60},
	} {
		t.Run(tt.name, func(t *testing.T) {
			reporter := e.anna
			if tt.reported%3 == 2 { // anna wrote it (fill takes turns: ben, tina, anna): ben reports
				reporter = e.ben
			}
			rep, err := e.svc.Report(ctx, reporter, msgs[tt.reported], "insult", "", "")
			if err != nil {
				t.Fatal(err)
			}
			before := e.count(`SELECT COUNT(*) FROM audit WHERE action = 'chat.report.view'`)
			v, err := e.svc.ViewReport(ctx, e.adam, adminActor, rep.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := ids(v.Messages), msgs[tt.from:tt.to]; !slices.Equal(got, want) {
				t.Errorf("window: got %v, want %v", got, want)
			}
			for _, m := range v.Messages {
				if m.RoomID != room || strings.Contains(m.Body, "Geheimnis") {
					t.Errorf("a message outside the room in the window: %+v", m)
				}
			}
			if v.MessageID != msgs[tt.reported] || v.ID != rep.ID || !v.Open {
				t.Errorf("report: got %+v", v.Report)
			}
			if n := e.count(`SELECT COUNT(*) FROM audit WHERE action = 'chat.report.view'`); n != before+1 {
				t.Errorf("protocol lines: got %d, want %d", n, before+1)
			}
		})
	}

	list, err := audit.List(ctx, e.db, audit.Query{Action: "chat.report.view", Limit: 1})
	if err != nil || len(list) != 1 {
		t.Fatalf("protocol: got %+v, %v", list, err)
	}
	if l := list[0]; l.Actor != "adam.admin" || l.Source != "10.0.0.5" || l.Target == "" || !strings.Contains(l.Detail, "20 Nachrichten davor und danach") {
		t.Errorf("protocol line: got %+v", l)
	}
}

// Without a report an admin reads nothing: not the room, not through a
// report of another room, not after the report is closed.
func TestNoChatForAdminsWithoutReport(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	m := e.send(e.ben, room, "Du bist doof")
	if _, err := e.svc.History(ctx, e.adam, room, 0, 10); kindOf(err) != NotFound {
		t.Errorf("admin reads the room: got %v", err)
	}
	if list, err := e.svc.AdminReports(ctx, e.adam, "all"); err != nil || len(list) != 0 {
		t.Errorf("reports before any: got %+v, %v", list, err)
	}
	rep, err := e.svc.Report(ctx, e.anna, m.ID, "insult", "Er hört nicht auf.", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []directory.Person{e.tina, e.sabine, e.anna} {
		if _, err := e.svc.ViewReport(ctx, p, adminActor, rep.ID); kindOf(err) != Forbidden {
			t.Errorf("%s opens a report: got %v, want forbidden", p.Login, err)
		}
		if _, err := e.svc.AdminReports(ctx, p, "open"); kindOf(err) != Forbidden {
			t.Errorf("%s lists reports: got %v, want forbidden", p.Login, err)
		}
	}
	if _, err := e.svc.ViewReport(ctx, e.adam, adminActor, rep.ID+100); kindOf(err) != NotFound {
		t.Errorf("an unknown report: got %v", err)
	}
	if _, err := e.svc.CloseReport(ctx, e.adam, adminActor, rep.ID, "  ", false); kindOf(err) != Invalid {
		t.Errorf("closing without a note: got %v", err)
	}
	closed, err := e.svc.CloseReport(ctx, e.adam, adminActor, rep.ID, "Mit Ben gesprochen.", false)
	if err != nil || closed.Open || closed.CloseNote != "Mit Ben gesprochen." || closed.ClosedBy != "Adam Admin" {
		t.Fatalf("close: got %+v, %v", closed, err)
	}
	if _, err := e.svc.ViewReport(ctx, e.adam, adminActor, rep.ID); kindOf(err) != Conflict {
		t.Errorf("a closed report: got %v, want refused", err)
	}
	if _, err := e.svc.CloseReport(ctx, e.adam, adminActor, rep.ID, "noch mal", false); kindOf(err) != Conflict {
		t.Errorf("closed twice: got %v", err)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit WHERE action = 'chat.report.view'`); n != 0 {
		t.Errorf("refused looks in the protocol: %d", n)
	}
	if n := e.count(`SELECT COUNT(*) FROM audit WHERE action = 'chat.report.close' AND actor = 'adam.admin'`); n != 1 {
		t.Errorf("closing in the protocol: %d lines, want 1", n)
	}
	if open, _ := e.svc.AdminReports(ctx, e.adam, ""); len(open) != 0 {
		t.Errorf("open reports after closing: %+v", open)
	}
	if done, _ := e.svc.AdminReports(ctx, e.adam, "closed"); len(done) != 1 || done[0].Note != "Er hört nicht auf." {
		t.Errorf("closed reports: %+v", done)
	}
}

func TestReportRules(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	bens := e.send(e.ben, room, "Hallo")
	annas := e.send(e.anna, room, "Selber hallo")
	_, _ = e.svc.SetPupilsMayWrite(ctx, e.tina, room, false)
	p, _ := e.svc.History(ctx, e.anna, room, 0, 10)
	notice := p.Messages[len(p.Messages)-1].ID
	foreign := e.send(e.otto, e.classRoom(e.otto, "4b"), "Hallo 4b")

	for _, tt := range []struct {
		name                  string
		who                   directory.Person
		msg                   int64
		reason, note, teacher string
		want                  Kind
		field                 string
	}{
		{"unknown reason", e.anna, bens.ID, "weil", "", "", Invalid, "reason"},
		{"other without a note", e.anna, bens.ID, "other", " ", "", Invalid, "note"},
		{"note too long", e.anna, bens.ID, "spam", strings.Repeat("x", MaxNote+1), "", Invalid, "note"},
		{"the own message", e.anna, annas.ID, "spam", "", "", Invalid, ""},
		{"a notice of the server", e.anna, notice, "spam", "", "", Invalid, ""},
		{"a message of another class", e.anna, foreign.ID, "spam", "", "", NotFound, ""},
		{"a teacher not offered", e.anna, bens.ID, "insult", "", e.otto.Login, Invalid, "teacher"},
		{"a pupil as the teacher", e.anna, bens.ID, "insult", "", e.ben.Login, Invalid, "teacher"},
		{"allowed, with the class teacher", e.anna, bens.ID, "insult", "", e.tina.Login, 0, ""},
		{"the same again", e.anna, bens.ID, "spam", "", "", Conflict, ""},
		{"another reporter", e.tina, bens.ID, "other", "Bitte ansehen", "", 0, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.svc.Report(ctx, tt.who, tt.msg, tt.reason, tt.note, tt.teacher)
			if kindOf(err) != tt.want {
				t.Fatalf("got %v, want kind %d", err, tt.want)
			}
			if err != nil {
				if got := err.(*Error).Field; got != tt.field {
					t.Errorf("field: got %q, want %q", got, tt.field)
				}
				return
			}
			if r.Author.Login != e.ben.Login || r.Reporter.Login != tt.who.Login || r.RoomTitle != "Klasse 3a" || !r.Open {
				t.Errorf("report: got %+v", r)
			}
		})
	}

	// Tina was named: she sees the report (without content) among hers.
	list, err := e.svc.Reports(ctx, e.tina)
	if err != nil || len(list) != 2 {
		t.Fatalf("tina's reports: got %+v, %v, want the one naming her and her own", list, err)
	}
	if named := list[1]; named.Teacher.Login != e.tina.Login || named.Reporter.Login != e.anna.Login || named.ReasonTitle != "Beleidigung oder Mobbing" {
		t.Errorf("the report naming tina: got %+v", named)
	}
	if list, _ := e.svc.Reports(ctx, e.ben); len(list) != 0 {
		t.Errorf("the author sees reports of him: %+v", list)
	}
}

func TestReportTeacherSetting(t *testing.T) {
	for _, tt := range []struct {
		setting   string
		teacher   bool // name one
		want      Kind
		teachers  int // offered to anna
		offerKind string
	}{
		{TeacherOptional, false, 0, 1, TeacherOptional},
		{TeacherOptional, true, 0, 1, TeacherOptional},
		{TeacherRequired, false, Invalid, 1, TeacherRequired},
		{TeacherRequired, true, 0, 1, TeacherRequired},
		{TeacherOff, true, Invalid, 0, TeacherOff},
		{TeacherOff, false, 0, 0, TeacherOff},
		{"nonsense", false, 0, 1, TeacherOptional}, // an unknown setting is the default
	} {
		t.Run(tt.setting, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.ReportTeacher = tt.setting })
			opts, err := e.svc.ReportOptions(ctx, e.anna)
			if err != nil || opts.Teacher != tt.offerKind || len(opts.Teachers) != tt.teachers || len(opts.Reasons) != len(Reasons) {
				t.Fatalf("options: got %+v, %v", opts, err)
			}
			m := e.send(e.ben, e.classRoom(e.ben, "3a"), "Hallo")
			teacher := ""
			if tt.teacher {
				teacher = e.tina.Login
			}
			_, err = e.svc.Report(ctx, e.anna, m.ID, "spam", "", teacher)
			if kindOf(err) != tt.want {
				t.Errorf("report: got %v, want kind %d", err, tt.want)
			}
		})
	}
	e := newEnv(t)
	opts, _ := e.svc.ReportOptions(ctx, e.sabine)
	if len(opts.Teachers) != 2 {
		t.Errorf("staff may name every teacher: got %+v", opts.Teachers)
	}
}

// Closing with removal hides the message from the room; the admin's
// later look at another report still shows it, marked deleted.
func TestCloseRemovesMessage(t *testing.T) {
	e := newEnv(t)
	room := e.classRoom(e.anna, "3a")
	bad := e.send(e.ben, room, "Ganz gemein")
	next := e.send(e.ben, room, "Und noch was")
	first, err := e.svc.Report(ctx, e.anna, bad.ID, "insult", "", "")
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.svc.Report(ctx, e.anna, next.ID, "insult", "", "")
	if err != nil {
		t.Fatal(err)
	}
	closed, err := e.svc.CloseReport(ctx, e.adam, adminActor, first.ID, "Entfernt, Eltern informiert.", true)
	if err != nil || !closed.Removed {
		t.Fatalf("close: got %+v, %v", closed, err)
	}
	p, _ := e.svc.History(ctx, e.anna, room, 0, 10)
	if !p.Messages[0].Deleted || p.Messages[0].Body != "" {
		t.Errorf("removed message in the room: %+v", p.Messages[0])
	}
	v, err := e.svc.ViewReport(ctx, e.adam, adminActor, second.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Messages[0]; got.ID != bad.ID || !got.Deleted || got.Body != "Ganz gemein" {
		t.Errorf("the removed message in the other report's window: %+v", got)
	}
	lines, _ := audit.List(ctx, e.db, audit.Query{Action: "chat.report.close"})
	if len(lines) != 1 || !strings.Contains(lines[0].Detail, "Nachricht entfernt") || lines[0].Target != e.ben.Login {
		t.Errorf("protocol: %+v", lines)
	}
}
