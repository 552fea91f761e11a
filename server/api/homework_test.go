package api_test

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/client/serverapi"
	"kaspel/server/config"
	"kaspel/shared/wire"
)

// The homework module end to end: the real HTTPS listener on loopback,
// the Go client the desktop client uses. The server runs on the real
// clock, so the tests take their dates from it: today as the start and
// the earliest due date the server names.

// hwSet sets a homework for 3a from today to the earliest due date.
func (s *school) hwSet(c *serverapi.Client, title string) wire.Homework {
	s.t.Helper()
	d, err := c.HomeworkDueDates(ctx, "")
	if err != nil {
		s.t.Fatalf("due dates: %v", err)
	}
	h, err := c.SetHomework(ctx, wire.HomeworkInput{Group: "3a", Title: title, Text: "Seite 12, Nummer 1 bis 4", Start: d.Start, Due: d.EarliestDue})
	if err != nil {
		s.t.Fatalf("set homework %q: %v", title, err)
	}
	return h
}

// hwFind finds a homework in a list.
func hwFind(t *testing.T, list []wire.Homework, id int64) wire.Homework {
	t.Helper()
	for _, h := range list {
		if h.ID == id {
			return h
		}
	}
	t.Fatalf("homework %d not in the list %+v", id, list)
	return wire.Homework{}
}

// A homework set, handed in and given feedback: the story of the issue.
func TestHomeworkSetHandedInFeedback(t *testing.T) {
	s := newSchool(t)
	tina, anna, ben, clara := s.as(s.Teacher), s.as(s.Pupil), s.as(s.Pupil2), s.as(s.OtherPupil)

	groups, err := tina.HomeworkGroups(ctx)
	if err != nil || len(groups) != 1 || groups[0].Name != "3a" || groups[0].Title != "Klasse 3a" {
		t.Fatalf("tina's groups: got %+v, %v", groups, err)
	}
	d, err := tina.HomeworkDueDates(ctx, "")
	if err != nil || d.Start == "" || d.MinSchoolDays != 2 || d.EarliestDue <= d.Start {
		t.Fatalf("due dates: got %+v, %v", d, err)
	}
	_, err = tina.SetHomework(ctx, wire.HomeworkInput{Group: "3a", Title: "Zu knapp", Start: d.Start, Due: d.Start})
	if e := hwAPIError(t, err); e.Status != 400 || e.Code != wire.CodeInvalid || !slices.Equal(e.Fields, []string{"due"}) ||
		!strings.Contains(e.Message, "Die Bearbeitungszeit ist zu kurz: Zwischen Beginn und Abgabe müssen mindestens 2 Schultage liegen") {
		t.Errorf("due the same day: got %+v", e)
	}

	h := s.hwSet(tina, "Mathe: Seite 12")
	if h.Group != "3a" || h.GroupTitle != "Klasse 3a" || h.CreatedBy != "Tina Lehmann" || !h.Manage || !h.SeeHandins || h.Planned ||
		h.Counts == nil || h.Counts.Pupils != 3 || h.Counts.New != 3 {
		t.Errorf("set: got %+v (counts %+v)", h, h.Counts)
	}
	sheet := []byte("Arbeitsblatt: Rechnen bis 100")
	f, err := tina.AddHomeworkFile(ctx, h.ID, "Arbeitsblatt.txt", bytes.NewReader(sheet), int64(len(sheet)))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the pupils see it, new", func(t *testing.T) {
		list, err := anna.HomeworkList(ctx, serverapi.HomeworkQuery{})
		if err != nil {
			t.Fatal(err)
		}
		got := hwFind(t, list, h.ID)
		if got.Work == nil || got.Work.State != wire.HomeworkNew || got.Work.StateTitle != "Neu" || !strings.HasPrefix(got.Work.Hint, "Fällig bis ") ||
			got.Manage || got.Counts != nil || got.FileCount != 1 {
			t.Errorf("anna's list: got %+v (work %+v)", got, got.Work)
		}
		one, err := anna.Homework(ctx, h.ID)
		if err != nil || len(one.Files) != 1 || one.Files[0].Name != "Arbeitsblatt.txt" || one.DueTitle == "" {
			t.Fatalf("anna opens it: got %+v, %v", one, err)
		}
		var buf bytes.Buffer
		if name, _, err := anna.HomeworkFile(ctx, h.ID, f.ID, &buf); err != nil || name != "Arbeitsblatt.txt" || !bytes.Equal(buf.Bytes(), sheet) {
			t.Errorf("worksheet: got %q %q, %v", name, buf.Bytes(), err)
		}
		if _, err := clara.Homework(ctx, h.ID); serverapi.Code(err) != wire.CodeNotFound {
			t.Errorf("a pupil of 4b: got %v, want not_found", err)
		}
		if list, err := clara.HomeworkList(ctx, serverapi.HomeworkQuery{}); err != nil || len(list) != 0 {
			t.Errorf("4b's list: got %d, %v", len(list), err)
		}
	})

	photo := []byte("JPEG-Daten")
	var handed wire.HomeworkFile
	t.Run("the pupil works and hands in", func(t *testing.T) {
		w, err := anna.SetHomeworkProgress(ctx, h.ID, wire.HomeworkStarted)
		if err != nil || w.State != wire.HomeworkStarted || w.StateTitle != "Begonnen" {
			t.Fatalf("started: got %+v, %v", w, err)
		}
		w, err = anna.HandInText(ctx, h.ID, "1) 12\n2) 15")
		if err != nil || w.State != wire.HomeworkDone || w.StateTitle != "Erledigt" || !w.HandedIn || w.Late || w.HandedInAt == nil {
			t.Fatalf("text: got %+v, %v", w, err)
		}
		if handed, err = anna.HandInFile(ctx, h.ID, `C:\Bilder\Seite 12.jpg`, bytes.NewReader(photo), int64(len(photo))); err != nil {
			t.Fatal(err)
		}
		if handed.Name != "Seite 12.jpg" {
			t.Errorf("file name: got %q", handed.Name)
		}
		one, err := anna.Homework(ctx, h.ID)
		if err != nil || one.Work.Text != "1) 12\n2) 15" || len(one.Work.Files) != 1 || !strings.HasPrefix(one.Work.Hint, "Abgegeben am ") {
			t.Errorf("anna's own view: got %+v, %v", one.Work, err)
		}
		var buf bytes.Buffer
		if _, _, err := anna.OwnHandInFile(ctx, h.ID, handed.ID, &buf); err != nil || !bytes.Equal(buf.Bytes(), photo) {
			t.Errorf("own file: got %q, %v", buf.Bytes(), err)
		}
	})

	t.Run("nobody sees other pupils' hand-ins", func(t *testing.T) {
		one, err := ben.Homework(ctx, h.ID)
		if err != nil || one.Work.Login != s.Pupil2 || one.Work.HandedIn || one.Work.Text != "" {
			t.Errorf("ben's view: got %+v, %v", one.Work, err)
		}
		_, _, err = ben.OwnHandInFile(ctx, h.ID, handed.ID, io.Discard)
		wantCode(t, err, wire.CodeNotFound, "ben opens anna's file by its id")
		_, err = ben.HomeworkHandins(ctx, h.ID)
		wantCode(t, err, wire.CodeForbidden, "a pupil lists the hand-ins")
		_, _, err = ben.HandInFileOf(ctx, h.ID, s.Pupil, handed.ID, io.Discard)
		wantCode(t, err, wire.CodeForbidden, "a pupil takes the teachers' route")
		_, err = s.as(s.OtherTeacher).HomeworkHandin(ctx, h.ID, s.Pupil)
		wantCode(t, err, wire.CodeNotFound, "a teacher of 4b")
		_, err = s.as(s.Admin).HomeworkHandins(ctx, h.ID)
		wantCode(t, err, wire.CodeForbidden, "an admin who is no teacher of the class")
		if list, err := s.as(s.Secretary).HomeworkList(ctx, serverapi.HomeworkQuery{}); err != nil || len(list) != 0 {
			t.Errorf("the secretary's list: got %d, %v", len(list), err)
		}
	})

	t.Run("the teacher sees who handed in what and gives feedback", func(t *testing.T) {
		hi, err := tina.HomeworkHandins(ctx, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range hi.Handins {
			got = append(got, w.Name+":"+w.State)
		}
		if want := []string{"Ben Becker:new", "Max Neu:new", "Anna Schmidt:done"}; !slices.Equal(got, want) {
			t.Errorf("hand-ins: got %q, want %q", got, want)
		}
		a := hi.Handins[2]
		if a.Text != "1) 12\n2) 15" || len(a.Files) != 1 || a.Files[0].Name != "Seite 12.jpg" || !a.HandedIn {
			t.Errorf("anna's hand-in: got %+v", a)
		}
		var buf bytes.Buffer
		if _, _, err := tina.HandInFileOf(ctx, h.ID, s.Pupil, handed.ID, &buf); err != nil || !bytes.Equal(buf.Bytes(), photo) {
			t.Errorf("the teacher downloads: got %q, %v", buf.Bytes(), err)
		}
		w, err := tina.HomeworkFeedback(ctx, h.ID, s.Pupil, "Sehr ordentlich, weiter so!")
		if err != nil || w.Feedback != "Sehr ordentlich, weiter so!" || w.FeedbackBy != "Tina Lehmann" || w.FeedbackAt == nil {
			t.Fatalf("feedback: got %+v, %v", w, err)
		}
		one, err := anna.Homework(ctx, h.ID)
		if err != nil || one.Work.Feedback != "Sehr ordentlich, weiter so!" || !strings.Contains(one.Work.Hint, "Es gibt eine Rückmeldung.") {
			t.Errorf("anna reads the feedback: got %+v, %v", one.Work, err)
		}
		_, err = anna.HandInText(ctx, h.ID, "Noch geändert")
		if e := hwAPIError(t, err); e.Status != http.StatusConflict || e.Code != wire.CodeConflict || !strings.Contains(e.Message, "Rückmeldung") {
			t.Errorf("changing after the feedback: got %+v", e)
		}
	})

	t.Run("the class's overview", func(t *testing.T) {
		o, err := tina.HomeworkOverview(ctx, "3a", false)
		if err != nil {
			t.Fatal(err)
		}
		if o.GroupTitle != "Klasse 3a" || len(o.Homework) != 1 || len(o.Pupils) != 3 {
			t.Fatalf("got %+v", o)
		}
		if r := o.Pupils[2]; r.Login != s.Pupil || r.Cells[0].State != wire.HomeworkDone || !r.Cells[0].HandedIn || r.Done != 1 {
			t.Errorf("anna's row: got %+v", r)
		}
		if _, err := s.as(s.Admin).HomeworkOverview(ctx, "3a", false); err != nil {
			t.Errorf("the admin's overview: %v", err)
		}
		_, err = s.as(s.OtherTeacher).HomeworkOverview(ctx, "3a", false)
		wantCode(t, err, wire.CodeForbidden, "a teacher of 4b")
	})

	t.Run("with hand-ins it is not deleted", func(t *testing.T) {
		err := tina.DeleteHomework(ctx, h.ID)
		if e := hwAPIError(t, err); e.Status != http.StatusConflict || !strings.Contains(e.Message, "schon Abgaben") {
			t.Errorf("got %+v", e)
		}
		if _, err := anna.Homework(ctx, h.ID); err != nil {
			t.Errorf("after the refusal: %v", err)
		}
	})
}

func hwAPIError(t *testing.T, err error) *serverapi.Error {
	t.Helper()
	var e *serverapi.Error
	if !asAPIError(err, &e) {
		t.Fatalf("got %v, want an error answer", err)
	}
	return e
}

func TestHomeworkRefusals(t *testing.T) {
	s := newSchool(t)
	tina, anna, otto := s.as(s.Teacher), s.as(s.Pupil), s.as(s.OtherTeacher)
	h := s.hwSet(tina, "Lesen")
	d, err := tina.HomeworkDueDates(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	in := func(f func(*wire.HomeworkInput)) wire.HomeworkInput {
		x := wire.HomeworkInput{Group: "3a", Title: "Neu", Start: d.Start, Due: d.EarliestDue}
		f(&x)
		return x
	}
	tests := []struct {
		name    string
		call    func() error
		status  int
		code    string
		message string
	}{
		{"start in the past", func() error {
			_, err := tina.SetHomework(ctx, in(func(x *wire.HomeworkInput) { x.Start = schoolDay(-1) }))
			return err
		}, 400, wire.CodeInvalid, "Der Beginn liegt in der Vergangenheit."},
		{"another teacher's class", func() error {
			_, err := otto.SetHomework(ctx, in(func(*wire.HomeworkInput) {}))
			return err
		}, 403, wire.CodeForbidden, "nur für deine eigenen Klassen"},
		{"a pupil sets homework", func() error {
			_, err := anna.SetHomework(ctx, in(func(*wire.HomeworkInput) {}))
			return err
		}, 403, wire.CodeForbidden, "Das darfst du nicht."},
		{"an unknown class", func() error {
			_, err := tina.SetHomework(ctx, in(func(x *wire.HomeworkInput) { x.Group = "7z" }))
			return err
		}, 400, wire.CodeInvalid, "„7z“ gibt es nicht"},
		{"no title", func() error {
			_, err := tina.SetHomework(ctx, in(func(x *wire.HomeworkInput) { x.Title = "" }))
			return err
		}, 400, wire.CodeInvalid, "Titel"},
		{"a start that is no date", func() error { _, err := tina.HomeworkDueDates(ctx, "morgen"); return err }, 400, wire.CodeInvalid, "kein Datum"},
		{"a state that does not exist", func() error { _, err := anna.SetHomeworkProgress(ctx, h.ID, "vergessen"); return err },
			400, wire.CodeInvalid, "neu, begonnen, erledigt"},
		{"a pupil may not set overdue", func() error { _, err := anna.SetHomeworkProgress(ctx, h.ID, wire.HomeworkOverdue); return err },
			400, wire.CodeInvalid, "Diesen Stand gibt es nicht"},
		{"a teacher hands in", func() error { _, err := tina.HandInText(ctx, h.ID, "x"); return err }, 403, wire.CodeForbidden, "Das darfst du nicht."},
		{"a pupil changes it", func() error { _, err := anna.UpdateHomework(ctx, h.ID, in(func(*wire.HomeworkInput) {})); return err },
			403, wire.CodeForbidden, "Das darfst du nicht."},
		{"another class's teacher changes it", func() error { _, err := otto.UpdateHomework(ctx, h.ID, in(func(*wire.HomeworkInput) {})); return err },
			404, wire.CodeNotFound, "Diese Hausaufgabe gibt es nicht"},
		{"moved to another class", func() error {
			_, err := tina.UpdateHomework(ctx, h.ID, in(func(x *wire.HomeworkInput) { x.Group = "4b" }))
			return err
		}, 400, wire.CodeInvalid, "nicht in eine andere Klasse"},
		{"a hand-in of someone not in the class", func() error { _, err := tina.HomeworkHandin(ctx, h.ID, s.OtherPupil); return err },
			404, wire.CodeNotFound, "in der Klasse oder Gruppe nicht"},
		{"feedback too long", func() error {
			_, err := tina.HomeworkFeedback(ctx, h.ID, s.Pupil, strings.Repeat("x", 1001))
			return err
		},
			400, wire.CodeInvalid, "höchstens 1000 Zeichen"},
		{"an unknown homework", func() error { _, err := anna.Homework(ctx, 999999); return err }, 404, wire.CodeNotFound, "Hausaufgabe"},
		{"an overview without class", func() error { _, err := tina.HomeworkOverview(ctx, "", false); return err }, 400, wire.CodeInvalid, "Klasse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := hwAPIError(t, tt.call())
			if e.Status != tt.status || e.Code != tt.code || !strings.Contains(e.Message, tt.message) {
				t.Errorf("got %d %s %q, want %d %s with %q", e.Status, e.Code, e.Message, tt.status, tt.code, tt.message)
			}
		})
	}
	if strings.Contains(s.Log.String(), "level=ERROR") {
		t.Errorf("refusals logged as errors:\n%s", s.Log.String())
	}
}

// A 25 MB hand-in is refused without the server's memory growing by
// 25 MB: with a Content-Length the framework refuses it before reading a
// byte; without one (chunked) it streams to disk and is cut where it
// crosses 20 MB. Nothing is kept and the homework stays "new".
func TestHomeworkHandinOver20MB(t *testing.T) {
	s := newSchool(t)
	h := s.hwSet(s.as(s.Teacher), "Video")
	anna := s.as(s.Pupil)
	const size = 25 << 20
	for _, tt := range []struct {
		name   string
		length int64
	}{{"with Content-Length", size}, {"chunked without length", -1}} {
		t.Run(tt.name, func(t *testing.T) {
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := anna.HandInFile(ctx, h.ID, "film.mp4", &mailFiller{n: size}, tt.length)
			runtime.ReadMemStats(&after)
			e := hwAPIError(t, err)
			if e.Status != http.StatusRequestEntityTooLarge || e.Code != wire.CodeTooLarge || !strings.Contains(e.Message, "höchstens 20 MB") {
				t.Errorf("got %d %s %q, want 413 too_large naming 20 MB", e.Status, e.Code, e.Message)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew >= size {
				t.Errorf("allocated %d MB during the upload, want less than 25 MB", grew>>20)
			}
			if n := s.blobFiles(); n != 0 {
				t.Errorf("got %d stored files, want none kept", n)
			}
			one, err := anna.Homework(ctx, h.ID)
			if err != nil || one.Work.State != wire.HomeworkNew || one.Work.FileCount != 0 {
				t.Errorf("after the refusal: got %+v, %v", one.Work, err)
			}
		})
	}
}

// The housekeeping keeps what homework refers to, however old.
func TestHomeworkFilesSurviveTheSweep(t *testing.T) {
	s := newSchool(t)
	tina, anna := s.as(s.Teacher), s.as(s.Pupil)
	h := s.hwSet(tina, "Basteln")
	if _, err := tina.AddHomeworkFile(ctx, h.ID, "anleitung.txt", strings.NewReader("Anleitung"), -1); err != nil {
		t.Fatal(err)
	}
	f, err := anna.HandInFile(ctx, h.ID, "bild.txt", strings.NewReader("Mein Bild"), -1)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-72 * time.Hour)
	filepath.WalkDir(config.BlobsDir(s.Data), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.Chtimes(p, old, old)
		}
		return nil
	})
	s.API.Sweep(ctx)
	if n := s.blobFiles(); n != 2 {
		t.Errorf("stored files after the sweep: got %d, want 2", n)
	}
	var buf bytes.Buffer
	if _, _, err := tina.HandInFileOf(ctx, h.ID, s.Pupil, f.ID, &buf); err != nil || buf.String() != "Mein Bild" {
		t.Errorf("the hand-in after the sweep: got %q, %v", buf.String(), err)
	}
}

func TestHomeworkModuleSwitchedOff(t *testing.T) {
	s := newSchool(t)
	h := s.hwSet(s.as(s.Teacher), "Lesen")
	anna := s.as(s.Pupil)
	if _, err := s.as(s.Admin).SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleHomework, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	_, err := anna.HomeworkList(ctx, serverapi.HomeworkQuery{})
	wantCode(t, err, wire.CodeNotFound, "list with homework off")
	_, err = anna.HandInText(ctx, h.ID, "Fertig")
	wantCode(t, err, wire.CodeNotFound, "hand-in with homework off")
	sess, err := anna.Session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(sess.Modules, wire.ModuleHomework) {
		t.Errorf("session lists homework as on: %v", sess.Modules)
	}
}
