package addressbook_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kaspel/server/addressbook"
	"kaspel/server/audit"
	"kaspel/server/directory"
	"kaspel/server/session"
	"kaspel/server/store"
)

var (
	fastHash = directory.HashParams{Time: 1, MemoryKiB: 8192, Threads: 1}
	admin    = directory.Actor{Name: "adam.admin", Source: "10.0.0.5", Service: "api"}
	// start is the tests' "now": the first school day of 2026/27.
	start = time.Date(2026, 8, 20, 8, 0, 0, 0, time.UTC)
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is an address book over a real database in a temporary folder.
type env struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	dir   *directory.Directory
	book  *addressbook.Service
	clock *clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "kaspel.db"), audit.Migrations, directory.Migrations, session.Migrations, addressbook.Migrations)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := directory.DefaultConfig
	cfg.Hash = fastHash
	dir, err := directory.New(db, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: start}
	dir.SetClock(c.now)
	book := addressbook.New(dir)
	book.SetClock(c.now)
	e := &env{t: t, ctx: context.Background(), db: db, dir: dir, book: book, clock: c}
	if err := dir.InitSchool(e.ctx, admin, directory.School{Name: "Grundschule Borsumer Kaspel", Domain: "gsborsum.de"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// add creates a person and returns them.
func (e *env) add(first, last string, role directory.Role, classes ...string) directory.Person {
	e.t.Helper()
	p, _, err := e.dir.AddPerson(e.ctx, admin, directory.NewPerson{FirstName: first, LastName: last, Role: role, Classes: classes})
	if err != nil {
		e.t.Fatalf("AddPerson(%s %s): %v", first, last, err)
	}
	return p
}

// set replaces a person's profile and fails the test on an error.
func (e *env) set(p directory.Person, fields ...addressbook.FieldInput) {
	e.t.Helper()
	if _, err := e.book.SetProfile(e.ctx, p, fields); err != nil {
		e.t.Fatalf("SetProfile(%s): %v", p.Login, err)
	}
}

// extras is what the viewer sees of login's entry, as "key=value" strings.
func (e *env) extras(viewer directory.Person, login string) []string {
	e.t.Helper()
	entry, err := e.book.Entry(e.ctx, viewer, login)
	if err != nil {
		e.t.Fatalf("Entry(%s): %v", login, err)
	}
	return keyValues(entry.Extras)
}

func keyValues(xs []addressbook.Extra) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, x.Key+"="+x.Value)
	}
	return out
}

func logins(entries []addressbook.Entry) []string {
	out := []string{}
	for _, e := range entries {
		out = append(out, e.Login)
	}
	return out
}

func TestSearch(t *testing.T) {
	e := newEnv(t)
	anna := e.add("Anna", "Müller", directory.Pupil, "3a")
	ben := e.add("Ben", "Becker", directory.Pupil, "3a")
	jose := e.add("José", "García", directory.Pupil, "4b")
	lea := e.add("Lea-Sophie", "Groß", directory.Pupil, "4b")
	gone := e.add("Gustav", "Gegangen", directory.Pupil, "4b")
	revoked := e.add("Rita", "Widerruf", directory.Pupil, "3a")
	tina := e.add("Tina", "Lehmann", directory.Teacher, "3a")
	otto := e.add("Otto", "Müller-Weber", directory.Teacher, "4b")
	sabine := e.add("Sabine", "Sekretär", directory.Secretary)
	adam := e.add("Adam", "Admin", directory.Admin)
	if err := e.dir.SetLeaving(e.ctx, admin, gone.Login, "2026-08-19"); err != nil {
		t.Fatal(err)
	}
	if err := e.dir.RevokeConsent(e.ctx, admin, revoked.Login, "2026-08-20"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		q    addressbook.Query
		want []string
	}{
		{"everyone, by last name", addressbook.Query{}, []string{adam.Login, ben.Login, jose.Login, lea.Login, tina.Login, anna.Login, otto.Login, sabine.Login}},
		{"umlaut", addressbook.Query{Text: "Müller"}, []string{anna.Login, otto.Login}},
		{"without umlaut", addressbook.Query{Text: "muller"}, []string{anna.Login, otto.Login}},
		{"ue for ü", addressbook.Query{Text: "MUELLER"}, []string{anna.Login, otto.Login}},
		{"two words", addressbook.Query{Text: "anna müller"}, []string{anna.Login}},
		{"accent", addressbook.Query{Text: "jose garcia"}, []string{jose.Login}},
		{"ß as ss", addressbook.Query{Text: "gross"}, []string{lea.Login}},
		{"part of a name", addressbook.Query{Text: "sophie"}, []string{lea.Login}},
		{"login", addressbook.Query{Text: tina.Login}, []string{tina.Login}},
		{"class word", addressbook.Query{Text: "4b"}, []string{jose.Login, lea.Login, otto.Login}},
		{"class word and name", addressbook.Query{Text: "4b müller"}, []string{otto.Login}},
		{"class filter", addressbook.Query{Class: "Klasse 3A"}, []string{ben.Login, tina.Login, anna.Login}},
		{"role filter", addressbook.Query{Role: directory.Teacher}, []string{tina.Login, otto.Login}},
		{"role and class", addressbook.Query{Role: directory.Pupil, Class: "3a"}, []string{ben.Login, anna.Login}},
		{"leaver not found", addressbook.Query{Text: "gustav"}, []string{}},
		{"revoked consent not found", addressbook.Query{Text: "rita"}, []string{}},
		{"nothing", addressbook.Query{Text: "xyz"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := e.book.Search(e.ctx, tina, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := logins(page.Entries); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if page.Total != len(tt.want) || page.Next != 0 {
				t.Errorf("got total %d next %d, want %d and 0", page.Total, page.Next, len(tt.want))
			}
		})
	}

	t.Run("entry fields", func(t *testing.T) {
		page, err := e.book.Search(e.ctx, anna, addressbook.Query{Text: "tina"})
		if err != nil || len(page.Entries) != 1 {
			t.Fatalf("got %v, %v, want one entry", page.Entries, err)
		}
		got := page.Entries[0]
		if got.Login != tina.Login || got.FirstName != "Tina" || got.LastName != "Lehmann" || got.Role != directory.Teacher ||
			!slices.Equal(got.Classes, []string{"3a"}) || got.Mail != tina.Login+"@gsborsum.de" || len(got.Extras) != 0 {
			t.Errorf("got %+v, want Tina Lehmann, teacher, 3a, her mail, no extras", got)
		}
	})

	t.Run("errors", func(t *testing.T) {
		bad := []struct {
			name string
			q    addressbook.Query
		}{
			{"text too long", addressbook.Query{Text: strings.Repeat("a", addressbook.MaxText+1)}},
			{"negative offset", addressbook.Query{Offset: -1}},
			{"bad class", addressbook.Query{Class: "3a; DROP"}},
		}
		for _, tt := range bad {
			_, err := e.book.Search(e.ctx, tina, tt.q)
			if !errors.Is(err, addressbook.ErrInvalid) && !errors.Is(err, directory.ErrInvalid) {
				t.Errorf("%s: got %v, want an input error", tt.name, err)
			}
		}
	})
}

func TestSearchPages(t *testing.T) {
	e := newEnv(t)
	viewer := e.add("Tina", "Lehmann", directory.Teacher)
	var want []string
	for _, last := range []string{"Adler", "Bauer", "Cramer", "Dach", "Eck"} {
		want = append(want, e.add("Kim", last, directory.Pupil, "2a").Login)
	}
	var got []string
	q := addressbook.Query{Role: directory.Pupil, Limit: 2}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("more pages than entries")
		}
		page, err := e.book.Search(e.ctx, viewer, q)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 5 {
			t.Errorf("got total %d, want 5", page.Total)
		}
		if len(page.Entries) > 2 {
			t.Errorf("got %d entries, want at most 2", len(page.Entries))
		}
		got = append(got, logins(page.Entries)...)
		if page.Next == 0 {
			break
		}
		q.Offset = page.Next
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	page, err := e.book.Search(e.ctx, viewer, addressbook.Query{Offset: 100})
	if err != nil || len(page.Entries) != 0 || page.Total != 6 {
		t.Errorf("past the end: got %v total %d, %v, want no entries, total 6", logins(page.Entries), page.Total, err)
	}
	page, err = e.book.Search(e.ctx, viewer, addressbook.Query{Limit: 1000})
	if err != nil || len(page.Entries) != 6 {
		t.Errorf("limit above the maximum: got %d entries, %v, want 6", len(page.Entries), err)
	}
}

func TestVisibility(t *testing.T) {
	e := newEnv(t)
	tina := e.add("Tina", "Lehmann", directory.Teacher, "3a")
	pupil := e.add("Anna", "Schmidt", directory.Pupil, "3a")
	teacher := e.add("Otto", "Weber", directory.Teacher, "4b")
	secretary := e.add("Sabine", "Sekretär", directory.Secretary)
	adm := e.add("Adam", "Admin", directory.Admin)
	e.set(tina,
		addressbook.FieldInput{Key: "phone", Value: "05121 12345-67", Visibility: "all"},
		addressbook.FieldInput{Key: "mobile", Value: "0170 1234567", Visibility: "staff"},
		addressbook.FieldInput{Key: "room", Value: "Raum 12", Visibility: "hidden"},
		addressbook.FieldInput{Key: "hours", Value: "Di 10-11 Uhr", Visibility: ""},
	)
	staffView := []string{"phone=05121 12345-67", "mobile=0170 1234567"}
	tests := []struct {
		viewer directory.Person
		want   []string
	}{
		{pupil, []string{"phone=05121 12345-67"}},
		{teacher, staffView},
		{secretary, staffView},
		{adm, staffView},
		{tina, staffView}, // her own entry as the others see it
	}
	for _, tt := range tests {
		t.Run(string(tt.viewer.Role)+" "+tt.viewer.Login, func(t *testing.T) {
			if got := e.extras(tt.viewer, tina.Login); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			page, err := e.book.Search(e.ctx, tt.viewer, addressbook.Query{Text: "lehmann"})
			if err != nil || len(page.Entries) != 1 {
				t.Fatalf("search: got %v, %v", page.Entries, err)
			}
			if got := keyValues(page.Entries[0].Extras); !slices.Equal(got, tt.want) {
				t.Errorf("search: got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("own profile shows everything", func(t *testing.T) {
		p, err := e.book.Profile(e.ctx, tina)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range p.Fields {
			got = append(got, f.Key+"="+f.Value+"/"+string(f.Visibility))
		}
		want := []string{"phone=05121 12345-67/all", "mobile=0170 1234567/staff", "room=Raum 12/hidden", "hours=Di 10-11 Uhr/hidden"}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if p.NeedsAllowance || !p.Allowed {
			t.Errorf("got needs allowance %v, allowed %v, want false, true for a teacher", p.NeedsAllowance, p.Allowed)
		}
	})

	t.Run("hiding again", func(t *testing.T) {
		e.set(tina, addressbook.FieldInput{Key: "phone", Value: "05121 12345-67", Visibility: "hidden"})
		if got := e.extras(pupil, tina.Login); len(got) != 0 {
			t.Errorf("got %v, want nothing", got)
		}
		if got := e.extras(teacher, tina.Login); len(got) != 0 {
			t.Errorf("mobile not in the new profile: got %v, want nothing", got)
		}
	})
}

func TestPupilAllowance(t *testing.T) {
	e := newEnv(t)
	anna := e.add("Anna", "Schmidt", directory.Pupil, "3a")
	ben := e.add("Ben", "Becker", directory.Pupil, "3a")
	tina := e.add("Tina", "Lehmann", directory.Teacher, "3a")
	e.set(anna,
		addressbook.FieldInput{Key: "phone", Value: "05121 555", Visibility: "all"},
		addressbook.FieldInput{Key: "mobile", Value: "0151 999", Visibility: "staff"},
	)
	check := func(step string, wantBen, wantTina []string) {
		t.Helper()
		if got := e.extras(ben, anna.Login); !slices.Equal(got, wantBen) {
			t.Errorf("%s: a pupil sees %v, want %v", step, got, wantBen)
		}
		if got := e.extras(tina, anna.Login); !slices.Equal(got, wantTina) {
			t.Errorf("%s: a teacher sees %v, want %v", step, got, wantTina)
		}
	}
	check("not allowed yet", []string{}, []string{})
	p, err := e.book.Profile(e.ctx, anna)
	if err != nil || !p.NeedsAllowance || p.Allowed {
		t.Errorf("profile: got needs %v allowed %v (%v), want true, false", p.NeedsAllowance, p.Allowed, err)
	}

	al, err := e.book.SetAllowed(e.ctx, admin, anna.Login, true)
	if err != nil {
		t.Fatal(err)
	}
	if !al.Allowed || al.DecidedBy != admin.Name || !al.DecidedAt.Equal(start) || al.Login != anna.Login {
		t.Errorf("got %+v, want allowed by %s at %v", al, admin.Name, start)
	}
	check("allowed", []string{"phone=05121 555"}, []string{"phone=05121 555", "mobile=0151 999"})
	if p, _ := e.book.Profile(e.ctx, anna); !p.Allowed {
		t.Errorf("profile after the allowance: got allowed false, want true")
	}
	list, err := e.book.Allowed(e.ctx)
	if err != nil || len(list) != 1 || list[0].Login != anna.Login || list[0].DecidedBy != admin.Name {
		t.Errorf("Allowed: got %+v, %v, want Anna", list, err)
	}

	e.clock.add(time.Hour)
	al, err = e.book.SetAllowed(e.ctx, admin, anna.Login, false)
	if err != nil || al.Allowed || !al.DecidedAt.Equal(start.Add(time.Hour)) {
		t.Errorf("withdraw: got %+v, %v", al, err)
	}
	check("withdrawn", []string{}, []string{})
	if list, _ := e.book.Allowed(e.ctx); len(list) != 0 {
		t.Errorf("Allowed after withdrawing: got %+v, want none", list)
	}

	entries, err := audit.List(e.ctx, e.db, audit.Query{Action: "addressbook."})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, en := range entries {
		got = append(got, en.Action+" "+en.Target+" by "+en.Actor+" from "+en.Source+" via "+en.Service)
	}
	want := []string{
		"addressbook.deny " + anna.Login + " by adam.admin from 10.0.0.5 via api",
		"addressbook.allow " + anna.Login + " by adam.admin from 10.0.0.5 via api",
	}
	if !slices.Equal(got, want) {
		t.Errorf("protocol: got %v, want %v", got, want)
	}

	t.Run("refused", func(t *testing.T) {
		gone := e.add("Gustav", "Gegangen", directory.Pupil, "4b")
		if err := e.dir.SetLeaving(e.ctx, admin, gone.Login, "2026-08-01"); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			login string
			want  error
		}{
			{tina.Login, addressbook.ErrInvalid},
			{gone.Login, store.ErrNotFound},
			{"niemand", store.ErrNotFound},
		}
		before := len(entries)
		for _, tt := range tests {
			if _, err := e.book.SetAllowed(e.ctx, admin, tt.login, true); !errors.Is(err, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.login, err, tt.want)
			}
		}
		after, _ := audit.List(e.ctx, e.db, audit.Query{Action: "addressbook."})
		if len(after) != before {
			t.Errorf("got %d protocol lines, want %d: a refused decision is not recorded", len(after), before)
		}
		var ie *addressbook.InputError
		_, err := e.book.SetAllowed(e.ctx, admin, tina.Login, true)
		if !errors.As(err, &ie) || !strings.Contains(ie.German, "Schülerinnen und Schülern") {
			t.Errorf("got %v, want a German message about pupils", err)
		}
	})
}

func TestSetProfileValidation(t *testing.T) {
	e := newEnv(t)
	tina := e.add("Tina", "Lehmann", directory.Teacher)
	e.set(tina, addressbook.FieldInput{Key: "phone", Value: "05121 1", Visibility: "all"})
	tests := []struct {
		name      string
		in        addressbook.FieldInput
		wantField string
		wantMsg   string
	}{
		{"letters in a phone number", addressbook.FieldInput{Key: "phone", Value: "0511 ABC"}, "phone", "„Telefon“ darf nur Ziffern, Leerzeichen und + / - ( ) enthalten."},
		{"plus in the middle", addressbook.FieldInput{Key: "mobile", Value: "0170+123"}, "mobile", "Bei „Handy“ darf das + nur ganz am Anfang stehen."},
		{"too few digits", addressbook.FieldInput{Key: "phone", Value: "12"}, "phone", "„Telefon“ braucht 3 bis 20 Ziffern."},
		{"too many digits", addressbook.FieldInput{Key: "phone", Value: "123456789012345678901"}, "phone", "„Telefon“ braucht 3 bis 20 Ziffern."},
		{"phone too long", addressbook.FieldInput{Key: "phone", Value: strings.Repeat("1 ", 16)}, "phone", "„Telefon“ darf höchstens 30 Zeichen lang sein."},
		{"room too long", addressbook.FieldInput{Key: "room", Value: strings.Repeat("ä", 41)}, "room", "„Raum“ darf höchstens 40 Zeichen lang sein."},
		{"line break in the room", addressbook.FieldInput{Key: "room", Value: "Raum\n12"}, "room", "„Raum“ darf keine Zeilenumbrüche oder Steuerzeichen enthalten."},
		{"control character in hours", addressbook.FieldInput{Key: "hours", Value: "Di\x0010 Uhr"}, "hours", "„Sprechzeiten“ darf keine Steuerzeichen enthalten."},
		{"hours too long", addressbook.FieldInput{Key: "hours", Value: strings.Repeat("x", 301)}, "hours", "„Sprechzeiten“ darf höchstens 300 Zeichen lang sein."},
		{"not UTF-8", addressbook.FieldInput{Key: "room", Value: "Raum \xff"}, "room", "„Raum“ enthält ungültige Zeichen."},
		{"unknown field", addressbook.FieldInput{Key: "birthday", Value: "1.1."}, "fields", "Das Feld „birthday“ gibt es im Adressbuch nicht."},
		{"unknown visibility", addressbook.FieldInput{Key: "room", Value: "12", Visibility: "friends"}, "room",
			"Bitte bei „Raum“ wählen, wer es sieht: niemand (hidden), das Kollegium (staff) oder alle (all)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A valid field before the wrong one: nothing is stored.
			valid := addressbook.FieldInput{Key: "room", Value: "Raum 1", Visibility: "all"}
			if tt.in.Key == "room" {
				valid.Key = "hours"
			}
			_, err := e.book.SetProfile(e.ctx, tina, []addressbook.FieldInput{valid, tt.in})
			var ie *addressbook.InputError
			if !errors.As(err, &ie) || !errors.Is(err, addressbook.ErrInvalid) {
				t.Fatalf("got %v, want an input error", err)
			}
			if ie.German != tt.wantMsg || ie.Field != tt.wantField {
				t.Errorf("got %q (%s), want %q (%s)", ie.German, ie.Field, tt.wantMsg, tt.wantField)
			}
			if got := e.extras(tina, tina.Login); !slices.Equal(got, []string{"phone=05121 1"}) {
				t.Errorf("after the refused change: got %v, want the old profile", got)
			}
		})
	}
	t.Run("twice", func(t *testing.T) {
		_, err := e.book.SetProfile(e.ctx, tina, []addressbook.FieldInput{{Key: "phone", Value: "123"}, {Key: "phone", Value: "456"}})
		var ie *addressbook.InputError
		if !errors.As(err, &ie) || ie.German != "„Telefon“ steht zweimal in der Anfrage." {
			t.Errorf("got %v, want the German message about a field given twice", err)
		}
	})
}

func TestSetProfileNormalizesAndReplaces(t *testing.T) {
	e := newEnv(t)
	tina := e.add("Tina", "Lehmann", directory.Teacher)
	tests := []struct {
		name string
		in   []addressbook.FieldInput
		want []string // key=value/visibility of the stored fields
	}{
		{"cleaned up", []addressbook.FieldInput{
			{Key: "phone", Value: "  +49  5121\t12345 ", Visibility: "all"},
			{Key: "mobile", Value: "(0170) 123/456-7", Visibility: "staff"},
			{Key: "hours", Value: " Di 10 Uhr \r\n  Do 11 Uhr\n", Visibility: "all"},
			{Key: "room", Value: " Lehrerzimmer ", Visibility: "staff"},
		}, []string{"phone=+49 5121 12345/all", "mobile=(0170) 123/456-7/staff", "room=Lehrerzimmer/staff", "hours=Di 10 Uhr\nDo 11 Uhr/all"}},
		{"fields not given are cleared", []addressbook.FieldInput{{Key: "room", Value: "Raum 3", Visibility: "all"}},
			[]string{"phone=/hidden", "mobile=/hidden", "room=Raum 3/all", "hours=/hidden"}},
		{"empty", nil, []string{"phone=/hidden", "mobile=/hidden", "room=/hidden", "hours=/hidden"}},
		{"a choice without a value is kept", []addressbook.FieldInput{{Key: "phone", Value: "", Visibility: "all"}},
			[]string{"phone=/all", "mobile=/hidden", "room=/hidden", "hours=/hidden"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := e.book.SetProfile(e.ctx, tina, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range p.Fields {
				got = append(got, f.Key+"="+f.Value+"/"+string(f.Visibility))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if labels := []string{p.Fields[0].Label, p.Fields[1].Label, p.Fields[2].Label, p.Fields[3].Label}; !slices.Equal(labels, []string{"Telefon", "Handy", "Raum", "Sprechzeiten"}) {
				t.Errorf("got labels %v, want the German ones", labels)
			}
		})
	}
	// An empty field shown to all shows nothing.
	other := e.add("Otto", "Weber", directory.Teacher)
	if got := e.extras(other, tina.Login); len(got) != 0 {
		t.Errorf("got %v, want no extras for an empty field", got)
	}
}

// A person's address book rows go with the person (purge of leavers).
func TestPurgeRemovesProfile(t *testing.T) {
	e := newEnv(t)
	anna := e.add("Anna", "Schmidt", directory.Pupil, "4a")
	e.set(anna, addressbook.FieldInput{Key: "phone", Value: "05121 555", Visibility: "all"})
	if _, err := e.book.SetAllowed(e.ctx, admin, anna.Login, true); err != nil {
		t.Fatal(err)
	}
	if err := e.dir.SetLeaving(e.ctx, admin, anna.Login, "2026-08-20"); err != nil {
		t.Fatal(err)
	}
	e.clock.add(200 * 24 * time.Hour)
	gone, err := e.dir.Purge(e.ctx, admin, directory.PurgeOptions{})
	if err != nil || len(gone) != 1 {
		t.Fatalf("Purge: got %d people, %v, want 1", len(gone), err)
	}
	for _, table := range []string{"addressbook_fields", "addressbook_pupil_extras"} {
		var n int
		if err := e.db.R.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s: got %d rows, want 0 after the purge", table, n)
		}
	}
}

// A school that ran without the address book gets its tables on the next
// start, and the people already there have empty profiles.
func TestUpgradeAddsAddressbook(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaspel.db")
	ctx := context.Background()
	db, err := store.Open(path, audit.Migrations, directory.Migrations, session.Migrations)
	if err != nil {
		t.Fatal(err)
	}
	cfg := directory.DefaultConfig
	cfg.Hash = fastHash
	dir, err := directory.New(db, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := dir.InitSchool(ctx, admin, directory.School{Name: "Grundschule", Domain: "gsborsum.de"}); err != nil {
		t.Fatal(err)
	}
	p, _, err := dir.AddPerson(ctx, admin, directory.NewPerson{FirstName: "Tina", LastName: "Lehmann", Role: directory.Teacher})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = store.Open(path, audit.Migrations, directory.Migrations, session.Migrations, addressbook.Migrations)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	if v, err := db.Version(ctx, "addressbook"); err != nil || v != 1 {
		t.Errorf("got version %d, %v, want 1", v, err)
	}
	dir, err = directory.New(db, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	book := addressbook.New(dir)
	prof, err := book.Profile(ctx, p)
	if err != nil || len(prof.Fields) != len(addressbook.Fields) || prof.Fields[0].Value != "" {
		t.Errorf("got %+v, %v, want an empty profile", prof, err)
	}
	if _, err := book.SetProfile(ctx, p, []addressbook.FieldInput{{Key: "phone", Value: "123", Visibility: "all"}}); err != nil {
		t.Errorf("SetProfile after the upgrade: %v", err)
	}
}
