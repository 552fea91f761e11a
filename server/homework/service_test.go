package homework

import (
	"slices"
	"strings"
	"testing"

	"kaspel/server/directory"
)

func TestSettingHomework(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Holidays = []string{"2026-12-23/2027-01-06"} })
	with := func(f func(*Input)) Input {
		in := maths()
		f(&in)
		return in
	}
	tests := []struct {
		name    string
		by      directory.Person
		in      Input
		kind    Kind   // 0: accepted
		field   string // of the refusal
		message string // part of the German message
	}{
		{"class teacher, today to Wednesday", e.tina, maths(), 0, "", ""},
		{"class written in capitals", e.tina, with(func(in *Input) { in.Group = "3A" }), 0, "", ""},
		{"starting later", e.tina, with(func(in *Input) { in.Start, in.Due = "2026-12-04", "2026-12-08" }), 0, "", ""},
		{"admin for any class", e.adam, with(func(in *Input) { in.Group = "4b" }), 0, "", ""},
		{"start yesterday", e.tina, with(func(in *Input) { in.Start = "2026-11-29" }), Invalid, "start",
			"Der Beginn liegt in der Vergangenheit. Eine Hausaufgabe wird im Unterricht angekündigt"},
		{"due the next day", e.tina, with(func(in *Input) { in.Due = "2026-12-01" }), Invalid, "due",
			"Die Bearbeitungszeit ist zu kurz: Zwischen Beginn und Abgabe müssen mindestens 2 Schultage liegen (Nutzungsordnung: angemessener Bearbeitungszeitraum). Der früheste Abgabetermin ist Mittwoch, 02.12.2026."},
		{"due the same day", e.tina, with(func(in *Input) { in.Due = in.Start }), Invalid, "due", "mindestens 2 Schultage"},
		{"due before the start", e.tina, with(func(in *Input) { in.Start, in.Due = "2026-12-07", "2026-12-03" }), Invalid, "due", "mindestens 2 Schultage"},
		{"Friday to Monday", e.tina, with(func(in *Input) { in.Start, in.Due = "2026-12-04", "2026-12-07" }), Invalid, "due",
			"Der früheste Abgabetermin ist Dienstag, 08.12.2026."},
		{"over the holidays", e.tina, with(func(in *Input) { in.Start, in.Due = "2026-12-22", "2027-01-07" }), Invalid, "due",
			"Der früheste Abgabetermin ist Freitag, 08.01.2027."},
		{"due on a Saturday", e.tina, with(func(in *Input) { in.Due = "2026-12-05" }), Invalid, "due",
			"Am Samstag, 05.12.2026 ist keine Schule. Bitte wähle einen Schultag als Abgabetermin."},
		{"due in the holidays", e.tina, with(func(in *Input) { in.Due = "2026-12-28" }), Invalid, "due", "ist keine Schule"},
		{"due in more than a year", e.tina, with(func(in *Input) { in.Due = "2027-12-02" }), Invalid, "due", "höchstens ein Jahr"},
		{"start not a date", e.tina, with(func(in *Input) { in.Start = "30.11.2026" }), Invalid, "start", "kein Datum wie"},
		{"due not a date", e.tina, with(func(in *Input) { in.Due = "" }), Invalid, "due", "kein Datum wie"},
		{"no title", e.tina, with(func(in *Input) { in.Title = " \n " }), Invalid, "title", "einen Titel"},
		{"title too long", e.tina, with(func(in *Input) { in.Title = strings.Repeat("x", MaxTitle+1) }), Invalid, "title", "höchstens 200"},
		{"text too long", e.tina, with(func(in *Input) { in.Text = strings.Repeat("x", MaxText+1) }), Invalid, "text", "höchstens 20000"},
		{"no class", e.tina, with(func(in *Input) { in.Group = "" }), Invalid, "group", "Klasse oder Gruppe"},
		{"unknown class", e.tina, with(func(in *Input) { in.Group = "9z" }), Invalid, "group", "„9z“ gibt es nicht"},
		{"a role group", e.adam, with(func(in *Input) { in.Group = "schueler" }), Invalid, "group", "gibt es nicht"},
		{"teacher for another class", e.otto, maths(), Forbidden, "group", "nur für deine eigenen Klassen"},
		{"pupil", e.anna, maths(), Forbidden, "", "nur Lehrkräfte"},
		{"secretary", e.sabine, maths(), Forbidden, "", "nur Lehrkräfte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := e.svc.Create(ctx, tt.by, tt.in)
			if got := kindOf(err); got != tt.kind {
				t.Fatalf("got kind %v (%v), want %v", got, err, tt.kind)
			}
			if tt.kind == 0 {
				if h.Title != tt.in.Title || h.Start != tt.in.Start || h.Due != tt.in.Due || !h.Manage || h.CreatorName != tt.by.Name() {
					t.Errorf("got %+v", h)
				}
				return
			}
			he, _ := AsError(err)
			if he.Field != tt.field || !strings.Contains(he.German, tt.message) {
				t.Errorf("got field %q, message %q; want field %q and a message with %q", he.Field, he.German, tt.field, tt.message)
			}
		})
	}
}

func TestMinSchoolDaysConfigured(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MinSchoolDays = 3 })
	in := maths() // Monday to Wednesday: two school days
	_, err := e.svc.Create(ctx, e.tina, in)
	if he, ok := AsError(err); !ok || !strings.Contains(he.German, "mindestens 3 Schultage") || !strings.Contains(he.German, "Donnerstag, 03.12.2026") {
		t.Fatalf("got %v, want refused with three school days", err)
	}
	in.Due = "2026-12-03"
	e.set(e.tina, in)
	if got, err := e.svc.EarliestDue("2026-12-04"); err != nil || got != "2026-12-09" {
		t.Errorf("earliest due after Friday: got %s, %v, want 2026-12-09", got, err)
	}
	if _, err := e.svc.EarliestDue("morgen"); kindOf(err) != Invalid {
		t.Errorf("earliest due of nonsense: got %v, want Invalid", err)
	}
}

func TestWhoSeesHomework(t *testing.T) {
	e := newEnv(t)
	now := e.set(e.tina, maths())
	later := maths()
	later.Title, later.Start, later.Due = "Lesen", "2026-12-01", "2026-12-03"
	planned := e.set(e.tina, later)

	titles := func(p directory.Person, q ListQuery) []string {
		t.Helper()
		list, err := e.svc.List(ctx, p, q)
		if err != nil {
			t.Fatalf("List for %s: %v", p.Login, err)
		}
		out := []string{}
		for _, h := range list {
			out = append(out, h.Title)
		}
		return out
	}
	tests := []struct {
		name    string
		p       directory.Person
		q       ListQuery
		want    []string
		getNow  Kind // refusal of Get(now)
		manages bool // Get(now).Manage
		handins bool // Get(now).SeeHandins
	}{
		{"pupil of the class sees the started one", e.anna, ListQuery{}, []string{"Mathe: Seite 12"}, 0, false, false},
		{"pupil of another class", e.clara, ListQuery{}, []string{}, NotFound, false, false},
		{"the teacher who set it", e.tina, ListQuery{}, []string{"Mathe: Seite 12", "Lesen"}, 0, true, true},
		{"another teacher of the class", e.mia, ListQuery{}, []string{"Mathe: Seite 12", "Lesen"}, 0, true, true},
		{"teacher of another class", e.otto, ListQuery{}, []string{}, NotFound, false, false},
		{"secretary", e.sabine, ListQuery{}, []string{}, NotFound, false, false},
		{"admin, own list", e.adam, ListQuery{}, []string{}, 0, true, false},
		{"admin, the class", e.adam, ListQuery{Group: "3a"}, []string{"Mathe: Seite 12", "Lesen"}, 0, true, false},
		{"teacher, another class's list", e.otto, ListQuery{Group: "3a"}, []string{}, NotFound, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := titles(tt.p, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("list: got %q, want %q", got, tt.want)
			}
			h, err := e.svc.Get(ctx, tt.p, now.ID)
			if got := kindOf(err); got != tt.getNow {
				t.Fatalf("get: got %v (%v), want %v", got, err, tt.getNow)
			}
			if err == nil && (h.Manage != tt.manages || h.SeeHandins != tt.handins) {
				t.Errorf("get: manage %v, hand-ins %v; want %v, %v", h.Manage, h.SeeHandins, tt.manages, tt.handins)
			}
		})
	}
	t.Run("a planned homework is hidden from pupils until its start", func(t *testing.T) {
		if _, err := e.svc.Get(ctx, e.anna, planned.ID); kindOf(err) != NotFound {
			t.Errorf("before the start: got %v, want NotFound", err)
		}
		h, err := e.svc.Get(ctx, e.tina, planned.ID)
		if err != nil || !h.Planned {
			t.Errorf("teacher: got planned %v, %v, want planned", h.Planned, err)
		}
		e.days(1)
		if got := titles(e.anna, ListQuery{}); !slices.Equal(got, []string{"Mathe: Seite 12", "Lesen"}) {
			t.Errorf("on the start day: got %q", got)
		}
		if h, err := e.svc.Get(ctx, e.tina, planned.ID); err != nil || h.Planned {
			t.Errorf("teacher on the start day: got planned %v, %v", h.Planned, err)
		}
	})
	t.Run("the pupil's view", func(t *testing.T) {
		h, err := e.svc.Get(ctx, e.anna, now.ID)
		if err != nil {
			t.Fatal(err)
		}
		if h.Work == nil || h.Work.State != StateNew || h.Work.Login != e.anna.Login || h.Counts != nil {
			t.Errorf("got work %+v, counts %+v; want anna's own, new, no counts", h.Work, h.Counts)
		}
		if h.GroupName != "3a" || h.GroupTitle != "Klasse 3a" || h.CreatorName != "Tina Lehmann" {
			t.Errorf("got %+v", h)
		}
	})
	t.Run("the teacher's counts", func(t *testing.T) {
		h, err := e.svc.Get(ctx, e.tina, now.ID)
		if err != nil {
			t.Fatal(err)
		}
		if h.Work != nil || h.Counts == nil || h.Counts.Pupils != 2 || h.Counts.New != 2 {
			t.Errorf("got work %+v, counts %+v; want no work, 2 new pupils", h.Work, h.Counts)
		}
	})
}

func TestChangingHomework(t *testing.T) {
	e := newEnv(t)
	h := e.set(e.tina, maths())
	change := func(by directory.Person, f func(*Input)) (Homework, error) {
		now, err := e.svc.Get(ctx, e.tina, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := Input{Title: now.Title, Text: now.Text, Start: now.Start, Due: now.Due}
		f(&in)
		return e.svc.Update(ctx, by, h.ID, in)
	}
	if got, err := change(e.mia, func(in *Input) { in.Title = "Mathe: Seite 13"; in.Due = "2026-12-04" }); err != nil || got.Title != "Mathe: Seite 13" || got.Due != "2026-12-04" {
		t.Fatalf("co-teacher changes it: got %+v, %v", got, err)
	}
	e.days(2) // Wednesday: the start lies in the past now
	tests := []struct {
		name string
		by   directory.Person
		f    func(*Input)
		kind Kind
	}{
		{"the title, with the start in the past", e.tina, func(in *Input) { in.Title = "Mathe: Seite 14" }, 0},
		{"a later due date", e.tina, func(in *Input) { in.Due = "2026-12-07" }, 0},
		{"the same class named", e.tina, func(in *Input) { in.Group = "3a" }, 0},
		{"admin", e.adam, func(in *Input) { in.Text = "Bitte sauber schreiben" }, 0},
		{"the start moved into the past", e.tina, func(in *Input) { in.Start = "2026-12-01" }, Invalid},
		{"due yesterday", e.tina, func(in *Input) { in.Due = "2026-12-01" }, Invalid},
		{"to another class", e.tina, func(in *Input) { in.Group = "4b" }, Invalid},
		{"pupil", e.anna, func(in *Input) { in.Title = "Keine Hausaufgaben" }, Forbidden},
		{"teacher of another class", e.otto, func(in *Input) { in.Title = "x" }, NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := change(tt.by, tt.f); kindOf(err) != tt.kind {
				t.Errorf("got %v (%v), want %v", kindOf(err), err, tt.kind)
			}
		})
	}
	got, err := e.svc.Get(ctx, e.anna, h.ID)
	if err != nil || got.Title != "Mathe: Seite 14" || got.Due != "2026-12-07" || got.Text != "Bitte sauber schreiben" || got.Start != "2026-11-30" {
		t.Errorf("after the changes: got %+v, %v", got, err)
	}
}

func TestDeletingHomework(t *testing.T) {
	e := newEnv(t)
	empty := e.set(e.tina, maths())
	if _, err := e.svc.AddFile(ctx, e.tina, empty.ID, "blatt.pdf", strings.NewReader("Arbeitsblatt")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetProgress(ctx, e.anna, empty.ID, StateStarted); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Delete(ctx, e.anna, empty.ID); kindOf(err) != Forbidden {
		t.Errorf("pupil deletes: got %v, want Forbidden", err)
	}
	if err := e.svc.Delete(ctx, e.otto, empty.ID); kindOf(err) != NotFound {
		t.Errorf("teacher of another class deletes: got %v, want NotFound", err)
	}
	if err := e.svc.Delete(ctx, e.tina, empty.ID); err != nil {
		t.Fatalf("without hand-ins: %v", err)
	}
	for table, n := range map[string]int{
		"homework":       e.count(`SELECT COUNT(*) FROM homework`),
		"homework_files": e.count(`SELECT COUNT(*) FROM homework_files`),
		"homework_work":  e.count(`SELECT COUNT(*) FROM homework_work`),
	} {
		if n != 0 {
			t.Errorf("%s: got %d rows, want 0", table, n)
		}
	}

	for name, handIn := range map[string]func(id int64) error{
		"text": func(id int64) error { _, err := e.svc.SetHandinText(ctx, e.ben, id, "Fertig"); return err },
		"file": func(id int64) error {
			_, err := e.svc.AddHandinFile(ctx, e.ben, id, "foto.jpg", strings.NewReader("Foto"))
			return err
		},
	} {
		t.Run("with a hand-in of a "+name, func(t *testing.T) {
			h := e.set(e.tina, maths())
			if err := handIn(h.ID); err != nil {
				t.Fatal(err)
			}
			err := e.svc.Delete(ctx, e.tina, h.ID)
			if he, ok := AsError(err); !ok || he.Kind != Conflict || !strings.Contains(he.German, "schon Abgaben") {
				t.Fatalf("got %v, want Conflict", err)
			}
			if _, err := e.svc.Get(ctx, e.ben, h.ID); err != nil {
				t.Errorf("the homework after the refusal: %v", err)
			}
		})
	}
}

func TestPupilListOrderAndWindow(t *testing.T) {
	e := newEnv(t)
	old := maths()
	old.Title = "Alt"
	oldH := e.set(e.tina, old) // due Wednesday 2 December
	e.days(2)                  // Wednesday
	open := maths()
	open.Title, open.Start, open.Due = "Offen", "2026-12-02", "2026-12-04"
	e.set(e.tina, open)
	done := maths()
	done.Title, done.Start, done.Due = "Erledigt", "2026-12-02", "2026-12-07"
	doneH := e.set(e.tina, done)
	if _, err := e.svc.SetProgress(ctx, e.anna, doneH.ID, StateDone); err != nil {
		t.Fatal(err)
	}
	e.days(1) // Thursday: "Alt" is overdue
	order := func(q ListQuery) []string {
		list, err := e.svc.List(ctx, e.anna, q)
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, h := range list {
			out = append(out, h.Title+":"+string(h.Work.State))
		}
		return out
	}
	if got, want := order(ListQuery{}), []string{"Alt:overdue", "Offen:new", "Erledigt:done"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	e.days(RecentDays) // "Alt" was due more than four weeks ago
	if got, want := order(ListQuery{}), []string{"Offen:overdue", "Erledigt:done"}; !slices.Equal(got, want) {
		t.Errorf("four weeks on: got %q, want %q", got, want)
	}
	if got := order(ListQuery{All: true}); len(got) != 3 || got[0] != "Alt:overdue" {
		t.Errorf("all: got %q, want all three", got)
	}
	if _, err := e.svc.Get(ctx, e.anna, oldH.ID); err != nil {
		t.Errorf("an old homework still opens: %v", err)
	}
}
