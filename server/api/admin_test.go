package api_test

import (
	"bytes"
	"compress/zlib"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/shared/password"
	"kaspel/shared/wire"
)

// wantInvalid fails unless err is a 400 invalid answer with the message.
func wantInvalid(t *testing.T, err error, msg, what string) {
	t.Helper()
	e := apiError(t, err, what)
	if e.Status != http.StatusBadRequest || e.Code != wire.CodeInvalid || e.Message != msg {
		t.Errorf("%s: got %d %s %q, want 400 invalid %q", what, e.Status, e.Code, e.Message, msg)
	}
}

// wantForbidden fails unless err is a 403 forbidden answer with the message.
func wantForbidden(t *testing.T, err error, msg, what string) {
	t.Helper()
	e := apiError(t, err, what)
	if e.Status != http.StatusForbidden || e.Code != wire.CodeForbidden || e.Message != msg {
		t.Errorf("%s: got %d %s %q, want 403 forbidden %q", what, e.Status, e.Code, e.Message, msg)
	}
}

func loginsOf(people []wire.Person) []string {
	out := []string{}
	for _, p := range people {
		out = append(out, p.Login)
	}
	return out
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestAdminListUsers(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	leaver := s.Rig.AddPerson("Lea", "Weg", directory.Pupil, pupilPW, "4b")
	if err := s.Dir.SetLeaving(ctx, s.testAdmin(), leaver, "2020-07-31"); err != nil {
		t.Fatal(err)
	}
	everyone := []string{s.Pupil, s.Pupil2, s.OtherPupil, s.Teacher, s.OtherTeacher, s.Secretary, s.Admin, s.Protocol, s.MustChange}
	tests := []struct {
		name string
		q    serverapi.PeopleQuery
		want []string
	}{
		{"everyone at the school", serverapi.PeopleQuery{}, everyone},
		{"with leavers", serverapi.PeopleQuery{All: true}, append(slices.Clone(everyone), leaver)},
		{"class", serverapi.PeopleQuery{Class: "3a"}, []string{s.Pupil, s.Pupil2, s.MustChange, s.Teacher}},
		{"class and role", serverapi.PeopleQuery{Class: "Klasse 3A", Role: "pupil"}, []string{s.Pupil, s.Pupil2, s.MustChange}},
		{"German role", serverapi.PeopleQuery{Role: "Lehrer"}, []string{s.Teacher, s.OtherTeacher, s.Protocol}},
		{"class of leavers", serverapi.PeopleQuery{Class: "4b", Role: "pupil", All: true}, []string{s.OtherPupil, leaver}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := adm.People(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := loginsOf(list); !slices.Equal(sortedCopy(got), sortedCopy(tt.want)) {
				t.Errorf("got %v, want %v", sortedCopy(got), sortedCopy(tt.want))
			}
		})
	}
	t.Run("fields", func(t *testing.T) {
		list, err := adm.People(ctx, serverapi.PeopleQuery{Class: "3a", Role: "pupil"})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range list {
			if p.Login == s.MustChange && (!p.MustChange || p.Mail != s.MustChange+"@gsborsum.de" || !slices.Equal(p.Classes, []string{"3a"})) {
				t.Errorf("got %+v, want must change, mail and class 3a", p)
			}
		}
	})
	t.Run("bad filters", func(t *testing.T) {
		_, err := adm.People(ctx, serverapi.PeopleQuery{Role: "pirate"})
		wantInvalid(t, err, "Diese Rolle gibt es nicht.", "role")
		_, err = adm.People(ctx, serverapi.PeopleQuery{Class: "3a!"})
		wantInvalid(t, err, "„3a!“ ist kein Klassenname wie 3a.", "class")
	})
}

// testAdmin is the command line's actor, for changes a test makes
// directly in the directory.
func (s *school) testAdmin() directory.Actor {
	return directory.Actor{Name: "cli:test", Service: "cli"}
}

func TestAdminAddPerson(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	otp, err := adm.AddPerson(ctx, wire.NewPerson{FirstName: "Jana", LastName: "Jäger", Role: "pupil", Classes: []string{"2a"}})
	if err != nil {
		t.Fatal(err)
	}
	if otp.Login != "jana.jaeger" || otp.Name != "Jana Jäger" || otp.Class != "2a" {
		t.Errorf("got %+v, want jana.jaeger, Jana Jäger, 2a", otp)
	}
	if broken := password.Check(otp.Password); broken != nil {
		t.Errorf("the one-time password %q breaks %v", otp.Password, broken)
	}
	sess, err := s.anon().Login(ctx, otp.Login, otp.Password, "")
	if err != nil {
		t.Fatalf("login with the one-time password: %v", err)
	}
	if !sess.MustChangePassword || !slices.Equal(sess.User.Classes, []string{"2a"}) {
		t.Errorf("got must change %v classes %v, want true and [2a]", sess.MustChangePassword, sess.User.Classes)
	}
	status, _ := s.raw(adm.Token(), "POST", "/api/v1/admin/users", wire.NewPerson{FirstName: "Kai", LastName: "Klein", Role: "teacher"})
	if status != http.StatusCreated {
		t.Errorf("got status %d, want 201", status)
	}
	if entries := s.readProtocol(serverapi.ProtocolQuery{Kind: "user.add", Login: otp.Login}); len(entries) != 1 || entries[0].Actor != s.Admin {
		t.Errorf("protocol: got %+v, want one user.add by %s", entries, s.Admin)
	}

	tests := []struct {
		name string
		p    wire.NewPerson
		msg  string
	}{
		{"no first name", wire.NewPerson{LastName: "Jäger", Role: "pupil"}, "Bitte den Vornamen angeben."},
		{"no last name", wire.NewPerson{FirstName: "Jana", LastName: " ", Role: "pupil"}, "Bitte den Nachnamen angeben."},
		{"role", wire.NewPerson{FirstName: "Jana", LastName: "Jäger", Role: "pirate"}, "Bitte eine Rolle wählen: pupil, teacher, secretary oder admin."},
		{"two classes", wire.NewPerson{FirstName: "Jana", LastName: "Jäger", Role: "pupil", Classes: []string{"2a", "2b"}}, "Ein Kind gehört zu genau einer Klasse, nicht zu 2."},
		{"class", wire.NewPerson{FirstName: "Jana", LastName: "Jäger", Role: "pupil", Classes: []string{"2a!"}}, "„2a!“ ist kein Klassenname wie 3a."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := adm.AddPerson(ctx, tt.p)
			wantInvalid(t, err, tt.msg, "add")
		})
	}
}

func TestAdminGetAndEdit(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	p, err := adm.Person(ctx, s.Pupil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Login != s.Pupil || p.FirstName != "Anna" || p.LastName != "Schmidt" || p.Role != "pupil" ||
		!slices.Equal(p.Classes, []string{"3a"}) || p.Mail != s.Pupil+"@gsborsum.de" || p.Locked || p.MustChange {
		t.Errorf("got %+v, want Anna Schmidt, pupil, 3a", p)
	}
	_, err = adm.Person(ctx, "niemand")
	wantCode(t, err, wire.CodeNotFound, "unknown login")

	last, classes := "Schmidt-Meyer", []string{"3b"}
	p, err = adm.EditPerson(ctx, s.Pupil, wire.PersonEdit{LastName: &last, Classes: &classes})
	if err != nil {
		t.Fatal(err)
	}
	if p.Login != s.Pupil || p.LastName != last || p.Mail != s.Pupil+"@gsborsum.de" || !slices.Equal(p.Classes, classes) {
		t.Errorf("got %+v, want the login and mail kept, the new name and class", p)
	}
	if _, err := s.anon().Login(ctx, s.Pupil, pupilPW, ""); err != nil {
		t.Errorf("login after the name change: %v", err)
	}
	leaving, hold := "2027-07-31", true
	p, err = adm.EditPerson(ctx, s.Pupil, wire.PersonEdit{LeavingDate: &leaving, HoldBack: &hold})
	if err != nil || p.LeavingDate != leaving || !p.HoldBack {
		t.Errorf("got %+v, %v, want leaving date and hold back", p, err)
	}

	// A refused change changes nothing, not even its valid parts.
	first, badDate, badRole := "Hanna", "31.07.2027", "pirate"
	tests := []struct {
		name  string
		login string
		edit  wire.PersonEdit
		msg   string
	}{
		{"bad leaving date", s.Pupil, wire.PersonEdit{FirstName: &first, LeavingDate: &badDate}, "„31.07.2027“ ist kein Datum wie 2027-07-31."},
		{"hold back a teacher", s.Teacher, wire.PersonEdit{FirstName: &first, HoldBack: &hold}, "Nur Schülerinnen und Schüler werden versetzt oder wiederholen."},
		{"bad role", s.Pupil, wire.PersonEdit{FirstName: &first, Role: &badRole}, "Diese Rolle gibt es nicht."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := adm.Person(ctx, tt.login)
			if err != nil {
				t.Fatal(err)
			}
			_, err = adm.EditPerson(ctx, tt.login, tt.edit)
			wantInvalid(t, err, tt.msg, "edit")
			after, err := adm.Person(ctx, tt.login)
			if err != nil {
				t.Fatal(err)
			}
			if after.FirstName != before.FirstName {
				t.Errorf("got first name %q, want %q kept", after.FirstName, before.FirstName)
			}
		})
	}
	_, err = adm.EditPerson(ctx, "niemand", wire.PersonEdit{FirstName: &first})
	wantCode(t, err, wire.CodeNotFound, "edit an unknown login")
}

func TestAdminLockUnlock(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	pupil := s.as(s.Pupil)
	_, err := adm.Lock(ctx, s.Pupil, "  ")
	wantInvalid(t, err, "Bitte einen Grund für die Sperre angeben.", "lock without a reason")
	if _, err := pupil.Session(ctx); err != nil {
		t.Fatalf("a refused lock ended the session: %v", err)
	}

	p, err := adm.Lock(ctx, s.Pupil, "Regelverstoß im PC-Raum")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Locked || p.LockReason != "Regelverstoß im PC-Raum" || p.LockedBy != s.Admin || p.LockedAt.IsZero() {
		t.Errorf("got %+v, want locked by %s with the reason", p, s.Admin)
	}
	_, err = pupil.Session(ctx)
	wantCode(t, err, wire.CodeUnauthenticated, "the locked person's session")
	_, err = s.anon().Login(ctx, s.Pupil, pupilPW, "")
	wantCode(t, err, wire.CodeAccountLocked, "login while locked")

	_, err = adm.Lock(ctx, s.Admin, "Versehen")
	wantInvalid(t, err, "Du kannst dich nicht selbst sperren.", "lock oneself")
	_, err = adm.Lock(ctx, "niemand", "Grund")
	wantCode(t, err, wire.CodeNotFound, "lock an unknown login")

	p, err = adm.Unlock(ctx, s.Pupil)
	if err != nil || p.Locked || p.LockReason != "" {
		t.Errorf("unlock: got %+v, %v, want unlocked", p, err)
	}
	if _, err := s.anon().Login(ctx, s.Pupil, pupilPW, ""); err != nil {
		t.Errorf("login after the unlock: %v", err)
	}
	_, err = adm.Unlock(ctx, s.Pupil)
	wantInvalid(t, err, s.Pupil+" ist nicht gesperrt.", "unlock twice")

	entries := s.readProtocol(serverapi.ProtocolQuery{Kind: "user.", Login: s.Pupil})
	var got []string
	for _, e := range entries {
		got = append(got, e.Action+" by "+e.Actor+": "+e.Detail)
	}
	want := []string{"user.unlock by " + s.Admin + ": was: Regelverstoß im PC-Raum", "user.lock by " + s.Admin + ": Regelverstoß im PC-Raum"}
	if len(got) < 2 || !slices.Equal(got[:2], want) {
		t.Errorf("protocol: got %q, want %q first", got, want)
	}
}

func TestAdminConsent(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	pupil := s.as(s.Pupil)
	day := localToday()
	p, err := adm.Consent(ctx, s.Pupil, wire.ConsentChange{Guardian: "Eva Schmidt", SignedOn: day})
	if err != nil {
		t.Fatal(err)
	}
	if p.Consent == nil || p.Consent.Guardian != "Eva Schmidt" || p.Consent.SignedOn != day || p.Consent.RevokedOn != "" {
		t.Errorf("got consent %+v, want signed by Eva Schmidt today", p.Consent)
	}
	if _, err := pupil.Session(ctx); err != nil {
		t.Fatalf("session after the consent: %v", err)
	}
	p, err = adm.Consent(ctx, s.Pupil, wire.ConsentChange{RevokedOn: day})
	if err != nil {
		t.Fatal(err)
	}
	if p.Consent == nil || p.Consent.RevokedOn != day {
		t.Errorf("got consent %+v, want revoked today", p.Consent)
	}
	_, err = pupil.Session(ctx)
	wantCode(t, err, wire.CodeAccountLocked, "the open session after the revocation")
	_, err = s.anon().Login(ctx, s.Pupil, pupilPW, "")
	wantCode(t, err, wire.CodeAccountLocked, "login after the revocation")

	tests := []struct {
		name  string
		login string
		ch    wire.ConsentChange
		msg   string
	}{
		{"nothing", s.Pupil2, wire.ConsentChange{}, "Bitte entweder Erziehungsberechtigte und Datum der Unterschrift angeben oder das Datum des Widerrufs."},
		{"both", s.Pupil2, wire.ConsentChange{Guardian: "X Y", SignedOn: day, RevokedOn: day}, "Bitte entweder Erziehungsberechtigte und Datum der Unterschrift angeben oder das Datum des Widerrufs."},
		{"future", s.Pupil2, wire.ConsentChange{Guardian: "Bernd Becker", SignedOn: "2999-01-01"}, "Die Einwilligung kann nicht in der Zukunft unterschrieben sein (2999-01-01)."},
		{"date", s.Pupil2, wire.ConsentChange{Guardian: "Bernd Becker", SignedOn: "1.1.2026"}, "„1.1.2026“ ist kein Datum wie 2026-08-20."},
		{"teacher", s.Teacher, wire.ConsentChange{Guardian: "Bernd Becker", SignedOn: day}, "Einwilligungen gibt es nur für Schülerinnen und Schüler."},
		{"revoked twice", s.Pupil, wire.ConsentChange{RevokedOn: day}, "Die Einwilligung für " + s.Pupil + " ist schon widerrufen."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := adm.Consent(ctx, tt.login, tt.ch)
			wantInvalid(t, err, tt.msg, "consent")
		})
	}
}

func TestAdminRights(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	teacher := s.as(s.OtherTeacher)
	for _, c := range []*serverapi.Client{adm, teacher} {
		_, err := c.Protocol(ctx, serverapi.ProtocolQuery{})
		wantCode(t, err, wire.CodeForbidden, "protocol without the right")
	}
	p, err := adm.SetRight(ctx, s.OtherTeacher, directory.RightProtocol, true)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Rights, []string{directory.RightProtocol}) {
		t.Errorf("got rights %v, want [protocol]", p.Rights)
	}
	entries, err := teacher.Protocol(ctx, serverapi.ProtocolQuery{Kind: "right.grant"})
	if err != nil {
		t.Fatalf("the open session after the grant: %v", err)
	}
	if len(entries) == 0 || entries[0].Target != s.OtherTeacher || entries[0].Actor != s.Admin || entries[0].Detail != "protocol" {
		t.Errorf("got %+v, want the grant itself first", entries)
	}
	if sess, err := teacher.Session(ctx); err != nil || !slices.Contains(sess.User.Rights, directory.RightProtocol) {
		t.Errorf("session: got rights %v (%v), want protocol", sess.User.Rights, err)
	}
	if _, err := adm.SetRight(ctx, s.OtherTeacher, directory.RightProtocol, false); err != nil {
		t.Fatal(err)
	}
	_, err = teacher.Protocol(ctx, serverapi.ProtocolQuery{})
	wantCode(t, err, wire.CodeForbidden, "protocol after the revocation")
	_, err = adm.SetRight(ctx, s.OtherTeacher, "nonsense", true)
	wantInvalid(t, err, "Das Recht „nonsense“ gibt es nicht (bekannt: protocol, calendar, lending).", "unknown right")
	_, err = adm.SetRight(ctx, "niemand", directory.RightProtocol, true)
	wantCode(t, err, wire.CodeNotFound, "right for an unknown login")
}

// importCSV is a DaNiS "Freie Liste" in Windows-1252, as the school
// office's program writes it: the fixture's pupils (adopted by name and
// class) and three new ones with umlauts.
func importCSV(t *testing.T) []byte {
	t.Helper()
	text := "SchuelerIdentNummer;SchuelerRufname;SchuelerNachname;GruppeBezeichung\r\n" +
		"2001;Anna;Schmidt;3a\r\n" +
		"2002;Ben;Becker;3a\r\n" +
		"2003;Clara;Roth;4b\r\n" +
		"2004;Max;Neu;3a\r\n" +
		"2005;Jörg;Weiß;3a\r\n" +
		"2006;Özlem;Çelik;4b\r\n" +
		"2007;Lea-Sophie;Groß;3 a\r\n"
	data, err := charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("ö")) {
		t.Fatal("the list is not in Windows-1252")
	}
	return data
}

func TestAdminImport(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	csv := importCSV(t)
	before, err := adm.People(ctx, serverapi.PeopleQuery{All: true})
	if err != nil {
		t.Fatal(err)
	}

	dry, err := adm.Import(ctx, csv, true, false)
	if err != nil {
		t.Fatal(err)
	}
	newNames := func(r wire.ImportReport) []string {
		var out []string
		for _, n := range r.New {
			out = append(out, n.Name+" "+n.Class)
		}
		return sortedCopy(out)
	}
	wantNew := []string{"Jörg Weiß 3a", "Lea-Sophie Groß 3a", "Özlem Çelik 4b"}
	if !dry.DryRun || dry.Format != "DaNiS" || dry.Encoding != "Windows-1252" || dry.Rows != 7 {
		t.Errorf("dry run: got %+v, want a DaNiS list in Windows-1252 with 7 rows", dry)
	}
	if got := newNames(dry); !slices.Equal(got, wantNew) {
		t.Errorf("dry run: got new %v, want %v", got, wantNew)
	}
	for _, n := range dry.New {
		if n.Password != "" {
			t.Errorf("dry run: got a password for %s", n.Login)
		}
	}
	if len(dry.Changed) != 4 || len(dry.Leaving) != 0 {
		t.Errorf("dry run: got %d changed, %d leaving, want 4 (IDs recorded) and 0", len(dry.Changed), len(dry.Leaving))
	}
	after, err := adm.People(ctx, serverapi.PeopleQuery{All: true})
	if err != nil || len(after) != len(before) {
		t.Errorf("after the dry run: got %d people (%v), want %d", len(after), err, len(before))
	}

	real, err := adm.Import(ctx, csv, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if real.DryRun || len(real.Changed) != 4 || real.Unchanged != 0 {
		t.Errorf("import: got %+v, want 4 changed", real)
	}
	if got := newNames(real); !slices.Equal(got, wantNew) {
		t.Errorf("import: got new %v, want %v", got, wantNew)
	}
	for _, n := range real.New {
		if broken := password.Check(n.Password); broken != nil {
			t.Errorf("the password of %s breaks %v", n.Login, broken)
		}
		sess, err := s.anon().Login(ctx, n.Login, n.Password, "")
		if err != nil {
			t.Errorf("login of %s: %v", n.Login, err)
			continue
		}
		if !sess.MustChangePassword || sess.User.Name != n.Name {
			t.Errorf("got %+v, want %s who must change the password", sess.User, n.Name)
		}
	}
	p, err := adm.Person(ctx, s.Pupil)
	if err != nil || p.ExternalID != "2001" {
		t.Errorf("got ID %q (%v), want 2001 recorded", p.ExternalID, err)
	}

	again, err := adm.Import(ctx, csv, false, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.New) != 0 || len(again.Changed) != 0 || len(again.Leaving) != 0 || again.Unchanged != 7 {
		t.Errorf("import again: got %d new, %d changed, %d leaving, %d unchanged, want 0, 0, 0, 7",
			len(again.New), len(again.Changed), len(again.Leaving), again.Unchanged)
	}
	entries := s.readProtocol(serverapi.ProtocolQuery{Kind: "import"})
	if len(entries) != 2 || entries[0].Actor != s.Admin {
		t.Errorf("protocol: got %+v, want two imports by %s", entries, s.Admin)
	}

	t.Run("bad lists", func(t *testing.T) {
		tests := []struct {
			name string
			csv  string
			msg  string
		}{
			{"empty", "", "Die Datei ist leer."},
			{"no columns", "Name;Geburtstag\r\nAnna;1.1.2018\r\n", "Die erste Zeile muss die Spalten nennen; es fehlt: "},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := adm.Import(ctx, []byte(tt.csv), true, false)
				e := apiError(t, err, "import")
				if e.Status != http.StatusBadRequest || e.Code != wire.CodeInvalid || !strings.HasPrefix(e.Message, tt.msg) {
					t.Errorf("got %d %s %q, want 400 invalid %q", e.Status, e.Code, e.Message, tt.msg)
				}
			})
		}
	})
}

func TestAdminPromotion(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	moves := func(ms []wire.Move) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Login+" "+m.From+">"+m.To)
		}
		return sortedCopy(out)
	}
	wantPromoted := sortedCopy([]string{s.Pupil + " 3a>4a", s.Pupil2 + " 3a>4a", s.MustChange + " 3a>4a"})
	wantLeavers := []string{s.OtherPupil + " 4b>"}

	dry, err := adm.Promote(ctx, true, false, "")
	if err != nil {
		t.Fatal(err)
	}
	if !dry.DryRun || !slices.Equal(moves(dry.Promoted), wantPromoted) || !slices.Equal(moves(dry.Leavers), wantLeavers) {
		t.Errorf("dry run: got promoted %v leavers %v, want %v and %v", moves(dry.Promoted), moves(dry.Leavers), wantPromoted, wantLeavers)
	}
	if p, _ := adm.Person(ctx, s.Pupil); !slices.Equal(p.Classes, []string{"3a"}) {
		t.Errorf("after the dry run: got classes %v, want [3a]", p.Classes)
	}

	_, err = adm.Promote(ctx, false, false, "31.07.2027")
	wantInvalid(t, err, "„31.07.2027“ ist kein Datum wie 2027-07-31.", "bad leaving date")

	run, err := adm.Promote(ctx, false, false, "")
	if err != nil {
		t.Fatal(err)
	}
	if run.DryRun || !slices.Equal(moves(run.Promoted), wantPromoted) || !slices.Equal(moves(run.Leavers), wantLeavers) {
		t.Errorf("run: got promoted %v leavers %v", moves(run.Promoted), moves(run.Leavers))
	}
	if p, _ := adm.Person(ctx, s.Pupil); !slices.Equal(p.Classes, []string{"4a"}) {
		t.Errorf("after the run: got classes %v, want [4a]", p.Classes)
	}
	if p, _ := adm.Person(ctx, s.OtherPupil); p.LeavingDate != localToday() || len(p.Classes) != 0 {
		t.Errorf("leaver: got leaving date %q classes %v, want today and no class", p.LeavingDate, p.Classes)
	}

	_, err = adm.Promote(ctx, false, false, "")
	e := apiError(t, err, "second promotion")
	if e.Status != http.StatusConflict || e.Code != wire.CodeConflict || e.Message != "Die Versetzung lief schon vor weniger als 180 Tagen." {
		t.Errorf("second promotion: got %d %s %q, want 409 conflict", e.Status, e.Code, e.Message)
	}
}

// TestModuleSwitches switches every built module off and on: it leaves
// the session's modules and all its routes answer 404, for everyone.
func TestModuleSwitches(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	pupil := s.as(s.Pupil)
	built := s.API.Modules()
	if !slices.Contains(built, wire.ModuleAddressbook) {
		t.Fatalf("got built modules %v, want the address book among them", built)
	}
	switches, err := adm.Modules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(switches) != len(built) {
		t.Errorf("got %d switches, want one per built module (%v)", len(switches), built)
	}
	for _, sw := range switches {
		if !sw.Enabled {
			t.Errorf("module %s is off in a new school", sw.Name)
		}
	}
	for _, m := range built {
		t.Run(m, func(t *testing.T) {
			got, err := adm.SetModules(ctx, []wire.ModuleSwitch{{Name: m, Enabled: false}})
			if err != nil {
				t.Fatal(err)
			}
			for _, sw := range got {
				if sw.Enabled == (sw.Name == m) {
					t.Errorf("got %s enabled=%v", sw.Name, sw.Enabled)
				}
			}
			sess, err := pupil.Session(ctx)
			if err != nil || slices.Contains(sess.Modules, m) {
				t.Errorf("got modules %v (%v), want %s gone", sess.Modules, err, m)
			}
			routes := 0
			for _, r := range s.API.Routes() {
				if r.Access.Module != m {
					continue
				}
				routes++
				path := strings.TrimSuffix(r.Pattern, "{$}") // "{$}" only ends the pattern
				for strings.Contains(path, "{") {
					i, j := strings.Index(path, "{"), strings.Index(path, "}")
					path = path[:i] + "x" + path[j+1:]
				}
				want := wire.CodeNotFound
				if r.Access.Page {
					want = pageAnswer // the parents' page says it as a page
				}
				for _, token := range []string{"", pupil.Token(), adm.Token()} {
					status, code := s.raw(token, r.Method, path, nil)
					if status != http.StatusNotFound || code != want {
						t.Errorf("%s %s: got %d %s, want 404 %s", r.Method, path, status, code, want)
					}
				}
			}
			if routes == 0 {
				t.Errorf("module %s has no routes", m)
			}
			if _, err := adm.SetModules(ctx, []wire.ModuleSwitch{{Name: m, Enabled: true}}); err != nil {
				t.Fatal(err)
			}
			sess, err = pupil.Session(ctx)
			if err != nil || !slices.Contains(sess.Modules, m) {
				t.Errorf("switched on again: got modules %v (%v), want %s", sess.Modules, err, m)
			}
		})
	}
	_, err = adm.SetModules(ctx, []wire.ModuleSwitch{{Name: "tamagotchi", Enabled: true}})
	wantInvalid(t, err, "Das Modul „tamagotchi“ gibt es nicht.", "unknown module")
	entries := s.readProtocol(serverapi.ProtocolQuery{Kind: "module.off"})
	if len(entries) != len(built) {
		t.Errorf("protocol: got %d module.off lines, want %d", len(entries), len(built))
	}
}

// pdfText is the text of a PDF's pages: fpdf compresses the page
// contents, so every stream is inflated.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream"):]
		rest = bytes.TrimLeft(rest, "\r\n")
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			break
		}
		data := rest[:j]
		rest = rest[j+len("endstream"):]
		if zr, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
			if plain, err := io.ReadAll(zr); err == nil || len(plain) > 0 {
				out.Write(plain)
				continue
			}
		}
		out.Write(data)
	}
	return out.String()
}

func TestTeacherPasswordReset(t *testing.T) {
	s := newSchool(t)
	teacher := s.as(s.Teacher)
	pupil := s.as(s.Pupil)
	otp, err := teacher.ResetPassword(ctx, s.Pupil)
	if err != nil {
		t.Fatal(err)
	}
	if otp.Login != s.Pupil || otp.Name != "Anna Schmidt" || otp.Class != "3a" || password.Check(otp.Password) != nil {
		t.Errorf("got %+v, want Anna's new one-time password meeting the policy", otp)
	}
	_, err = pupil.Session(ctx)
	wantCode(t, err, wire.CodeUnauthenticated, "the pupil's session after the reset")
	_, err = s.anon().Login(ctx, s.Pupil, pupilPW, "")
	wantCode(t, err, wire.CodeWrongCredentials, "the old password")
	sess, err := s.anon().Login(ctx, s.Pupil, otp.Password, "")
	if err != nil || !sess.MustChangePassword {
		t.Errorf("login with the one-time password: got must change %v, %v, want true", sess.MustChangePassword, err)
	}
	if entries := s.readProtocol(serverapi.ProtocolQuery{Kind: "user.passwd", Login: s.Pupil}); len(entries) != 1 || entries[0].Actor != s.Teacher {
		t.Errorf("protocol: got %+v, want one reset by %s", entries, s.Teacher)
	}

	const notYours = "Du kannst nur die Passwörter der Kinder deiner Klassen zurücksetzen."
	refusals := []struct {
		name, login string
	}{
		{"pupil of another class", s.OtherPupil},
		{"a teacher", s.OtherTeacher},
		{"oneself", s.Teacher},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := teacher.ResetPassword(ctx, tt.login)
			wantForbidden(t, err, notYours, "reset")
			if _, err := s.anon().Login(ctx, tt.login, s.passwordOf(tt.login), ""); err != nil {
				t.Errorf("the refused reset changed the password: %v", err)
			}
		})
	}
	_, err = s.as(s.Secretary).ResetPassword(ctx, s.Pupil2)
	wantForbidden(t, err, "Das darfst du nicht.", "the secretary")
	_, err = teacher.ResetPassword(ctx, "niemand")
	wantCode(t, err, wire.CodeNotFound, "unknown login")
	adm := s.as(s.Admin)
	if _, err := adm.ResetPassword(ctx, s.OtherTeacher); err != nil {
		t.Errorf("an admin resets a teacher: %v", err)
	}
	_, err = adm.ResetPassword(ctx, s.Admin)
	wantInvalid(t, err, "Dein eigenes Passwort änderst du unter Einstellungen.", "an admin resets oneself")

	t.Run("slip", func(t *testing.T) {
		pdf, err := teacher.ResetPasswordSlip(ctx, s.Pupil2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("got %q..., want a PDF", pdf[:min(len(pdf), 20)])
		}
		text := pdfText(t, pdf)
		if !strings.Contains(text, "("+s.Pupil2+")") {
			t.Errorf("the slip does not show the login %s", s.Pupil2)
		}
		if _, err := s.anon().Login(ctx, s.Pupil2, pupilPW, ""); serverapi.Code(err) != wire.CodeWrongCredentials {
			t.Errorf("the old password after the slip: got %v, want it replaced", err)
		}
		_, err = teacher.ResetPasswordSlip(ctx, s.OtherPupil)
		wantForbidden(t, err, notYours, "slip for another class")
	})
}

func TestClassPupils(t *testing.T) {
	s := newSchool(t)
	want3a := []string{s.Pupil2, s.MustChange, s.Pupil} // Becker, Neu, Schmidt
	tests := []struct {
		name   string
		caller string
		class  string
		want   []string
		msg    string // refusal message, "" if allowed
	}{
		{"own class", s.Teacher, "3a", want3a, ""},
		{"own class, written differently", s.Teacher, "Klasse 3A", want3a, ""},
		{"another class", s.Teacher, "4b", nil, "Das ist nicht deine Klasse."},
		{"no class of one's own", s.Protocol, "3a", nil, "Das ist nicht deine Klasse."},
		{"the secretary", s.Secretary, "4b", []string{s.OtherPupil}, ""},
		{"an admin", s.Admin, "3a", want3a, ""},
		{"a pupil", s.Pupil, "3a", nil, "Das darfst du nicht."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := s.as(tt.caller).ClassPupils(ctx, tt.class)
			if tt.msg != "" {
				wantForbidden(t, err, tt.msg, "class list")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := loginsOf(list); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			for _, p := range list {
				if p.Role != "pupil" || p.Mail == "" || p.MustChange != (p.Login == s.MustChange) {
					t.Errorf("got %+v, want a pupil with mail and the must-change flag", p)
				}
			}
		})
	}
	_, err := s.as(s.Admin).ClassPupils(ctx, "3a!")
	wantCode(t, err, wire.CodeNotFound, "no class name")
}

func TestGroups(t *testing.T) {
	s := newSchool(t)
	groups, err := s.as(s.Pupil).Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	members := map[string]int{}
	for _, g := range groups {
		members[g.Kind+" "+g.Name] = g.Members
	}
	want := map[string]int{"class 3a": 4, "class 4b": 2, "role schueler": 4, "role lehrer": 3, "role admins": 1, "role sekretariat": 1}
	for k, n := range want {
		if members[k] != n {
			t.Errorf("%s: got %d members, want %d", k, members[k], n)
		}
	}
}

// TestResetClass: a teacher prints new one-time passwords for the own
// class (all pupils or some), not for another class.
func TestResetClass(t *testing.T) {
	s := newSchool(t)
	teacher := s.as(s.Teacher)
	list, err := teacher.ResetClass(ctx, "3a", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, o := range list {
		got[o.Login] = o.Password
	}
	for _, login := range []string{s.Pupil, s.Pupil2, s.MustChange} {
		pw, ok := got[login]
		if !ok {
			t.Errorf("class reset: no new password for %s", login)
			continue
		}
		if _, err := s.anon().Login(ctx, login, pw, ""); err != nil {
			t.Errorf("%s with the new one-time password: %v", login, err)
		}
	}
	if len(got) != 3 {
		t.Errorf("class reset: %d passwords, want 3 (the pupils of 3a only)", len(got))
	}
	pdf, err := teacher.ResetClassSlips(ctx, "3a", []string{s.Pupil})
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("slips: %v, %q", err, pdf[:min(8, len(pdf))])
	}
	_, err = teacher.ResetClass(ctx, "4b", nil)
	wantCode(t, err, wire.CodeForbidden, "a teacher resets another class")
	_, err = teacher.ResetClass(ctx, "3a", []string{s.Pupil2, s.OtherPupil})
	wantCode(t, err, wire.CodeInvalid, "a pupil of another class named")
	if _, err := s.anon().Login(ctx, s.Pupil2, got[s.Pupil2], ""); err != nil {
		t.Errorf("a refused class reset changed %s's password: %v", s.Pupil2, err)
	}
	if _, err := s.anon().Login(ctx, s.OtherPupil, pupilPW, ""); err != nil {
		t.Errorf("the refused reset changed %s's password: %v", s.OtherPupil, err)
	}
}
