package homework

import (
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/server/directory"
	"kaspel/shared/wire"
)

// state is a pupil's state of a homework and whether it is late.
func (e *env) state(p directory.Person, id int64) string {
	e.t.Helper()
	h, err := e.svc.Get(ctx, p, id)
	if err != nil {
		e.t.Fatalf("Get for %s: %v", p.Login, err)
	}
	s := string(h.Work.State)
	if h.Work.Late {
		s += ",late"
	}
	return s
}

func TestStates(t *testing.T) {
	// Each step happens on the day (days after Monday 30 November, the
	// start; due Wednesday) and leaves anna's homework in a state.
	tests := []struct {
		name  string
		steps []func(e *env, id int64) error
		days  []int
		want  string
	}{
		{"nothing yet", nil, nil, "new"},
		{"marked started", []func(*env, int64) error{progress(StateStarted)}, []int{0}, "started"},
		{"marked done", []func(*env, int64) error{progress(StateDone)}, []int{1}, "done"},
		{"done, then back to started", []func(*env, int64) error{progress(StateDone), progress(StateStarted)}, []int{0, 0}, "started"},
		{"handed in a text", []func(*env, int64) error{handText("Fertig")}, []int{2}, "done"},
		{"handed in a file", []func(*env, int64) error{handFile("foto.jpg")}, []int{2}, "done"},
		{"nothing by Thursday", nil, []int{3}, "overdue"},
		{"started but not done by Thursday", []func(*env, int64) error{progress(StateStarted)}, []int{0, 3}, "overdue"},
		{"marked done on Thursday", []func(*env, int64) error{progress(StateDone)}, []int{3}, "done,late"},
		{"handed in on Thursday", []func(*env, int64) error{handText("Zu spät")}, []int{3}, "done,late"},
		{"handed in on time, changed later", []func(*env, int64) error{handText("Fertig"), handText("Verbessert")}, []int{1, 3}, "done,late"},
		{"done on time stays on time", []func(*env, int64) error{progress(StateDone)}, []int{2}, "done"},
		{"hand-in taken back", []func(*env, int64) error{handText("Fertig"), handText("")}, []int{1, 1}, "started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			h := e.set(e.tina, maths())
			day := 0
			for i, step := range tt.steps {
				e.days(tt.days[i] - day)
				day = tt.days[i]
				if err := step(e, h.ID); err != nil {
					t.Fatalf("step %d: %v", i+1, err)
				}
			}
			if len(tt.days) > len(tt.steps) {
				e.days(tt.days[len(tt.steps)] - day)
			}
			if got := e.state(e.anna, h.ID); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			// The class's teacher sees the same state.
			_, list, err := e.svc.Handins(ctx, e.tina, h.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range list {
				if w.Login == e.anna.Login {
					got := string(w.State)
					if w.Late {
						got += ",late"
					}
					if got != tt.want {
						t.Errorf("teacher sees %s, want %s", got, tt.want)
					}
				}
			}
		})
	}
}

func progress(st State) func(*env, int64) error {
	return func(e *env, id int64) error { _, err := e.svc.SetProgress(ctx, e.anna, id, st); return err }
}

func handText(text string) func(*env, int64) error {
	return func(e *env, id int64) error { _, err := e.svc.SetHandinText(ctx, e.anna, id, text); return err }
}

func handFile(name string) func(*env, int64) error {
	return func(e *env, id int64) error {
		_, err := e.svc.AddHandinFile(ctx, e.anna, id, name, strings.NewReader("Inhalt von "+name))
		return err
	}
}

func TestHandinAndFeedback(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths())
	w, err := e.svc.SetHandinText(ctx, e.anna, h.ID, "Nummer 1: 12\r\nNummer 2: 15\n\n")
	if err != nil {
		t.Fatal(err)
	}
	if w.Text != "Nummer 1: 12\nNummer 2: 15" || !w.HandedIn || w.State != StateDone || !w.HandedInAt.Equal(start) {
		t.Errorf("after the text: got %+v", w)
	}
	e.clock.add(time.Hour)
	f, err := e.svc.AddHandinFile(ctx, e.anna, h.ID, `C:\Users\anna\Bilder\Seite 12.jpg`, strings.NewReader("JPEG"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "Seite 12.jpg" || f.Size != 4 {
		t.Errorf("file: got %+v", f)
	}
	if _, err := e.svc.SetProgress(ctx, e.anna, h.ID, StateStarted); kindOf(err) != Conflict {
		t.Errorf("back to started with a hand-in: got %v, want Conflict", err)
	}

	t.Run("the pupil sees the own hand-in", func(t *testing.T) {
		got, err := e.svc.Get(ctx, e.anna, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Work.Files) != 1 || got.Work.Files[0].ID != f.ID || !got.Work.ChangedAt.Equal(start.Add(time.Hour)) || !got.Work.HandedInAt.Equal(start) {
			t.Errorf("got %+v", got.Work)
		}
		fi, rd, err := e.svc.OpenOwnHandinFile(ctx, e.anna, h.ID, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rd.Close()
		if data, _ := io.ReadAll(rd); string(data) != "JPEG" || fi.Name != "Seite 12.jpg" {
			t.Errorf("got %q named %q", data, fi.Name)
		}
	})
	t.Run("nobody else of the class does", func(t *testing.T) {
		got, err := e.svc.Get(ctx, e.ben, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Work.Login != e.ben.Login || got.Work.HandedIn || got.Work.Text != "" {
			t.Errorf("ben's view: got %+v, want his own empty work", got.Work)
		}
		if _, _, err := e.svc.OpenOwnHandinFile(ctx, e.ben, h.ID, f.ID); kindOf(err) != NotFound {
			t.Errorf("ben opens anna's file: got %v, want NotFound", err)
		}
		for _, p := range []directory.Person{e.ben, e.clara} {
			if _, err := e.svc.Handin(ctx, p, h.ID, e.anna.Login); kindOf(err) == 0 {
				t.Errorf("%s reads anna's hand-in: got no refusal", p.Login)
			}
		}
	})
	t.Run("who may read the hand-ins", func(t *testing.T) {
		tests := []struct {
			p    directory.Person
			kind Kind
		}{{e.tina, 0}, {e.mia, 0}, {e.adam, Forbidden}, {e.otto, NotFound}, {e.sabine, NotFound}, {e.anna, Forbidden}}
		for _, tt := range tests {
			if _, _, err := e.svc.Handins(ctx, tt.p, h.ID); kindOf(err) != tt.kind {
				t.Errorf("Handins as %s: got %v, want %v", tt.p.Login, err, tt.kind)
			}
			if _, _, err := e.svc.OpenHandinFile(ctx, tt.p, h.ID, e.anna.Login, f.ID); kindOf(err) != tt.kind {
				t.Errorf("OpenHandinFile as %s: got %v, want %v", tt.p.Login, err, tt.kind)
			}
		}
	})
	t.Run("the teacher sees who handed in what", func(t *testing.T) {
		_, list, err := e.svc.Handins(ctx, e.tina, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range list {
			got = append(got, w.Name+":"+string(w.State))
		}
		if want := []string{"Ben Becker:new", "Anna Schmidt:done"}; !slices.Equal(got, want) {
			t.Fatalf("got %q, want %q (class-list order)", got, want)
		}
		anna := list[1]
		if anna.Text != "Nummer 1: 12\nNummer 2: 15" || len(anna.Files) != 1 || anna.Files[0].Name != "Seite 12.jpg" || anna.Late {
			t.Errorf("anna's hand-in: got %+v", anna)
		}
		_, rd, err := e.svc.OpenHandinFile(ctx, e.tina, h.ID, e.anna.Login, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		rd.Close()
		if _, err := e.svc.Handin(ctx, e.tina, h.ID, e.clara.Login); kindOf(err) != NotFound {
			t.Errorf("a pupil of another class: got %v, want NotFound", err)
		}
		if _, err := e.svc.Handin(ctx, e.tina, h.ID, e.mia.Login); kindOf(err) != NotFound {
			t.Errorf("a teacher as pupil: got %v, want NotFound", err)
		}
	})
	t.Run("feedback closes the hand-in", func(t *testing.T) {
		w, err := e.svc.SetFeedback(ctx, e.tina, h.ID, e.anna.Login, "Super gemacht!")
		if err != nil {
			t.Fatal(err)
		}
		if w.Feedback != "Super gemacht!" || w.FeedbackBy != "Tina Lehmann" || w.FeedbackAt.IsZero() {
			t.Errorf("got %+v", w)
		}
		got, _ := e.svc.Get(ctx, e.anna, h.ID)
		if got.Work.Feedback != "Super gemacht!" {
			t.Errorf("the pupil reads: got %q", got.Work.Feedback)
		}
		for name, err := range map[string]error{
			"text": func() error { _, err := e.svc.SetHandinText(ctx, e.anna, h.ID, "Neu"); return err }(),
			"add file": func() error {
				_, err := e.svc.AddHandinFile(ctx, e.anna, h.ID, "x.txt", strings.NewReader("x"))
				return err
			}(),
			"delete file": e.svc.DeleteHandinFile(ctx, e.anna, h.ID, f.ID),
		} {
			if he, ok := AsError(err); !ok || he.Kind != Conflict || !strings.Contains(he.German, "Rückmeldung") {
				t.Errorf("%s after feedback: got %v, want Conflict", name, err)
			}
		}
		if _, err := e.svc.SetFeedback(ctx, e.tina, h.ID, e.anna.Login, strings.Repeat("x", MaxFeedback+1)); kindOf(err) != Invalid {
			t.Errorf("long feedback: got %v, want Invalid", err)
		}
		if _, err := e.svc.SetFeedback(ctx, e.adam, h.ID, e.anna.Login, "Von der Administration"); kindOf(err) != Forbidden {
			t.Errorf("admin's feedback: got %v, want Forbidden", err)
		}
		// Taken back, the hand-in opens again.
		if _, err := e.svc.SetFeedback(ctx, e.tina, h.ID, e.anna.Login, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DeleteHandinFile(ctx, e.anna, h.ID, f.ID); err != nil {
			t.Errorf("after the feedback was taken back: %v", err)
		}
	})
	t.Run("feedback on work on paper", func(t *testing.T) {
		w, err := e.svc.SetFeedback(ctx, e.mia, h.ID, e.ben.Login, "Im Heft gesehen.")
		if err != nil {
			t.Fatal(err)
		}
		if w.State != StateNew || w.Feedback != "Im Heft gesehen." {
			t.Errorf("got %+v", w)
		}
	})
}

func TestHandinFiles(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths())
	t.Run("over 20 MB is refused and nothing is kept", func(t *testing.T) {
		before := e.blobFiles()
		_, err := e.svc.AddHandinFile(ctx, e.anna, h.ID, "film.mp4", bytesOf(wire.MaxUpload+1))
		he, ok := AsError(err)
		if !ok || he.Kind != TooLarge || !strings.Contains(he.German, "höchstens 20 MB") {
			t.Fatalf("got %v, want TooLarge with a German message", err)
		}
		if got := e.blobFiles(); got != before {
			t.Errorf("blob files: got %d, want %d", got, before)
		}
		if got := e.count(`SELECT COUNT(*) FROM homework_handin_files`); got != 0 {
			t.Errorf("file rows: got %d, want 0", got)
		}
		if got := e.state(e.anna, h.ID); got != "new" {
			t.Errorf("state: got %s, want new", got)
		}
	})
	t.Run("exactly 20 MB is fine", func(t *testing.T) {
		f, err := e.svc.AddHandinFile(ctx, e.ben, h.ID, "genau.dat", bytesOf(wire.MaxUpload))
		if err != nil {
			t.Fatal(err)
		}
		if f.Size != wire.MaxUpload {
			t.Errorf("size: got %d", f.Size)
		}
	})
	t.Run("at most MaxFiles", func(t *testing.T) {
		for i := 0; i < MaxFiles; i++ {
			if _, err := e.svc.AddHandinFile(ctx, e.anna, h.ID, "seite.jpg", strings.NewReader("x")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.AddHandinFile(ctx, e.anna, h.ID, "seite.jpg", strings.NewReader("x")); kindOf(err) != Invalid {
			t.Errorf("got %v, want Invalid", err)
		}
	})
	t.Run("teachers and others cannot hand in", func(t *testing.T) {
		for _, p := range []directory.Person{e.tina, e.adam} {
			if _, err := e.svc.AddHandinFile(ctx, p, h.ID, "x.txt", strings.NewReader("x")); kindOf(err) != Forbidden {
				t.Errorf("%s: got %v, want Forbidden", p.Login, err)
			}
		}
		if _, err := e.svc.AddHandinFile(ctx, e.clara, h.ID, "x.txt", strings.NewReader("x")); kindOf(err) != NotFound {
			t.Errorf("a pupil of another class: got %v, want NotFound", err)
		}
	})
	t.Run("the sweep keeps what is referenced", func(t *testing.T) {
		f, err := e.svc.AddHandinFile(ctx, e.ben, h.ID, "einzig.txt", strings.NewReader("nur hier"))
		if err != nil {
			t.Fatal(err)
		}
		if in, err := e.svc.BlobInUse(ctx, f.Hash); err != nil || !in {
			t.Errorf("in use: got %v, %v, want true", in, err)
		}
		refs, err := e.svc.ReferencedBlobs(ctx)
		if err != nil || !refs[f.Hash] {
			t.Errorf("referenced: got %v, %v", refs[f.Hash], err)
		}
		if err := e.svc.DeleteHandinFile(ctx, e.ben, h.ID, f.ID); err != nil {
			t.Fatal(err)
		}
		if in, err := e.svc.BlobInUse(ctx, f.Hash); err != nil || in {
			t.Errorf("after deleting: got %v, %v, want false", in, err)
		}
		if err := e.svc.DeleteHandinFile(ctx, e.ben, h.ID, f.ID); kindOf(err) != NotFound {
			t.Errorf("deleting twice: got %v, want NotFound", err)
		}
	})
}

func TestWorksheets(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths())
	f, err := e.svc.AddFile(ctx, e.tina, h.ID, "Arbeitsblatt.pdf", strings.NewReader("%PDF"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Get(ctx, e.anna, h.ID)
	if err != nil || len(got.Files) != 1 || got.Files[0].Name != "Arbeitsblatt.pdf" || got.FileCount != 1 {
		t.Fatalf("the pupil's view: got %+v, %v", got.Files, err)
	}
	tests := []struct {
		p    directory.Person
		kind Kind
	}{{e.anna, 0}, {e.tina, 0}, {e.mia, 0}, {e.adam, 0}, {e.clara, NotFound}, {e.otto, NotFound}, {e.sabine, NotFound}}
	for _, tt := range tests {
		_, rd, err := e.svc.OpenFile(ctx, tt.p, h.ID, f.ID)
		if kindOf(err) != tt.kind {
			t.Errorf("open as %s: got %v, want %v", tt.p.Login, err, tt.kind)
		}
		if rd != nil {
			rd.Close()
		}
	}
	if _, err := e.svc.AddFile(ctx, e.anna, h.ID, "x.pdf", strings.NewReader("x")); kindOf(err) != Forbidden {
		t.Errorf("a pupil adds a worksheet: got %v, want Forbidden", err)
	}
	if _, err := e.svc.AddFile(ctx, e.tina, h.ID, "gross.pdf", bytesOf(wire.MaxUpload+1)); kindOf(err) != TooLarge {
		t.Errorf("21 MB worksheet: got %v, want TooLarge", err)
	}
	if err := e.svc.DeleteFile(ctx, e.otto, h.ID, f.ID); kindOf(err) != NotFound {
		t.Errorf("a teacher of another class deletes: got %v, want NotFound", err)
	}
	if err := e.svc.DeleteFile(ctx, e.mia, h.ID, f.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.OpenFile(ctx, e.anna, h.ID, f.ID); kindOf(err) != NotFound {
		t.Errorf("deleted worksheet: got %v, want NotFound", err)
	}
}

func TestOverview(t *testing.T) {
	e := newEnv(t)
	first := e.set(e.tina, maths())
	second := maths()
	second.Title, second.Due = "Lesen", "2026-12-04"
	sec := e.set(e.mia, second)
	if _, err := e.svc.SetHandinText(ctx, e.anna, first.ID, "Fertig"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetProgress(ctx, e.anna, sec.ID, StateStarted); err != nil {
		t.Fatal(err)
	}
	e.days(3) // Thursday: the first is due, the second not yet
	if _, err := e.svc.SetProgress(ctx, e.ben, first.ID, StateDone); err != nil {
		t.Fatal(err)
	}
	o, err := e.svc.Overview(ctx, e.tina, "3A", false)
	if err != nil {
		t.Fatal(err)
	}
	if o.Title != "Klasse 3a" || len(o.Homework) != 2 || o.Homework[0].ID != first.ID || o.Homework[1].ID != sec.ID {
		t.Fatalf("got %q with %+v", o.Title, o.Homework)
	}
	var got []string
	for _, r := range o.Pupils {
		cells := []string{}
		for _, c := range r.Cells {
			s := string(c.State)
			if c.Late {
				s += ",late"
			}
			cells = append(cells, s)
		}
		got = append(got, r.Name+": "+strings.Join(cells, " ")+" "+string(rune('0'+r.Done))+"/"+string(rune('0'+r.Open))+"/"+string(rune('0'+r.Overdue)))
	}
	want := []string{"Ben Becker: done,late new 1/1/0", "Anna Schmidt: done started 1/1/0"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if c := o.Homework[0].Counts; c == nil || c.Done != 2 || c.HandedIn != 1 || c.Late != 1 || c.Pupils != 2 {
		t.Errorf("counts of the first: got %+v", c)
	}
	// Feedback shows in the cell for who reads the hand-ins (who set it,
	// the class's teachers), not for an admin who only manages.
	if o.Pupils[1].Cells[0].Feedback {
		t.Error("feedback marked before any was given")
	}
	if _, err := e.svc.SetFeedback(ctx, e.tina, first.ID, e.anna.Login, "Gut gerechnet!"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		p    directory.Person
		want bool
	}{{e.tina, true}, {e.mia, true}, {e.adam, false}} {
		o, err := e.svc.Overview(ctx, tt.p, "3a", false)
		if err != nil {
			t.Fatal(err)
		}
		if got := o.Pupils[1].Cells[0].Feedback; got != tt.want || o.Pupils[0].Cells[0].Feedback {
			t.Errorf("%s: Anna's feedback mark %v (want %v), Ben's %v", tt.p.Login, got, tt.want, o.Pupils[0].Cells[0].Feedback)
		}
	}
	tests := []struct {
		p     directory.Person
		group string
		kind  Kind
	}{
		{e.mia, "3a", 0}, {e.adam, "3a", 0}, {e.otto, "3a", Forbidden}, {e.anna, "3a", Forbidden},
		{e.sabine, "3a", Forbidden}, {e.tina, "9z", NotFound},
	}
	for _, tt := range tests {
		if _, err := e.svc.Overview(ctx, tt.p, tt.group, false); kindOf(err) != tt.kind {
			t.Errorf("%s for %s: got %v, want %v", tt.p.Login, tt.group, err, tt.kind)
		}
	}
}

// A pupil who moves to another class keeps the work done: the teacher
// of the old class still finds it, the pupil no longer sees the homework.
func TestPupilMovesOn(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths())
	if _, err := e.svc.SetHandinText(ctx, e.anna, h.ID, "Fertig"); err != nil {
		t.Fatal(err)
	}
	classes := []string{"4b"}
	if err := e.dir.EditPerson(ctx, admin, e.anna.Login, directory.Edit{Classes: &classes}); err != nil {
		t.Fatal(err)
	}
	_, list, err := e.svc.Handins(ctx, e.tina, h.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range list {
		got = append(got, w.Login+":"+string(w.State))
	}
	if want := []string{e.ben.Login + ":new", e.anna.Login + ":done"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if w, err := e.svc.Handin(ctx, e.tina, h.ID, e.anna.Login); err != nil || w.Text != "Fertig" {
		t.Errorf("the former pupil's hand-in: got %+v, %v", w, err)
	}
	if _, err := e.svc.Get(ctx, e.anna, h.ID); kindOf(err) != NotFound {
		t.Errorf("the pupil in the new class: got %v, want NotFound", err)
	}
}

func TestHints(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths()) // due Wednesday 2 December
	hintOf := func(p directory.Person) string {
		t.Helper()
		got, err := e.svc.Get(ctx, p, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Work.Hint
	}
	if got, want := hintOf(e.anna), "Fällig bis Mittwoch, 02.12.2026 (noch 2 Tage)."; got != want {
		t.Errorf("Monday: got %q, want %q", got, want)
	}
	e.days(1)
	if got, want := hintOf(e.anna), "Morgen fällig (Mittwoch, 02.12.2026)."; got != want {
		t.Errorf("Tuesday: got %q, want %q", got, want)
	}
	e.days(1)
	if got, want := hintOf(e.anna), "Heute fällig!"; got != want {
		t.Errorf("Wednesday: got %q, want %q", got, want)
	}
	if _, err := e.svc.SetHandinText(ctx, e.ben, h.ID, "Fertig"); err != nil {
		t.Fatal(err)
	}
	if got, want := hintOf(e.ben), "Abgegeben am 02.12.2026 um 10:00 Uhr."; got != want {
		t.Errorf("handed in: got %q, want %q", got, want)
	}
	e.days(1)
	if got, want := hintOf(e.anna), "Überfällig: Die Hausaufgabe war bis Mittwoch, 02.12.2026 fällig."; got != want {
		t.Errorf("Thursday: got %q, want %q", got, want)
	}
	if _, err := e.svc.SetProgress(ctx, e.anna, h.ID, StateDone); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetFeedback(ctx, e.tina, h.ID, e.anna.Login, "Nächstes Mal pünktlich!"); err != nil {
		t.Fatal(err)
	}
	if got, want := hintOf(e.anna), "Als erledigt eingetragen. Das war nach dem Abgabetermin. Es gibt eine Rückmeldung."; got != want {
		t.Errorf("done late with feedback: got %q, want %q", got, want)
	}
	if got := h.DueTitle(); got != "Mittwoch, 02.12.2026" {
		t.Errorf("due title: got %q", got)
	}
}
