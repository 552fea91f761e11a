package api_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"kaspel/client/serverapi"
	"kaspel/server/directory"
	"kaspel/server/testrig"
	"kaspel/shared/wire"
)

// localToday is the server's date (the rig runs in this process).
func localToday() string { return time.Now().Format("2006-01-02") }

// extrasOf is what an entry shows beyond the directory's data, as
// "key=value" strings.
func extrasOf(e wire.AddressbookEntry) []string {
	out := []string{}
	for _, x := range e.Extras {
		out = append(out, x.Key+"="+x.Value)
	}
	return out
}

// findEntry searches the address book as c and returns the entry of login.
func findEntry(t *testing.T, c *serverapi.Client, text, login string) (wire.AddressbookEntry, bool) {
	t.Helper()
	page, err := c.SearchAddressbook(ctx, serverapi.AddressbookQuery{Text: text})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	for _, e := range page.Entries {
		if e.Login == login {
			return e, true
		}
	}
	return wire.AddressbookEntry{}, false
}

func TestAddressbookVisibility(t *testing.T) {
	s := newSchool(t)
	teacher := s.as(s.Teacher)
	prof, err := teacher.SetAddressbookProfile(ctx, []wire.AddressbookFieldEdit{
		{Key: "phone", Value: "05121 12345-67", Visibility: wire.VisibilityAll},
		{Key: "mobile", Value: "0170 7654321", Visibility: wire.VisibilityHidden},
		{Key: "room", Value: "Raum 12", Visibility: wire.VisibilityStaff},
	})
	if err != nil {
		t.Fatal(err)
	}
	if prof.NeedsAllowance || !prof.Allowed || len(prof.Fields) != 4 {
		t.Errorf("got %+v, want four fields, allowed, no allowance needed", prof)
	}

	tests := []struct {
		viewer string
		want   []string
	}{
		{s.Pupil, []string{"phone=05121 12345-67"}},
		{s.OtherPupil, []string{"phone=05121 12345-67"}},
		{s.OtherTeacher, []string{"phone=05121 12345-67", "room=Raum 12"}},
		{s.Secretary, []string{"phone=05121 12345-67", "room=Raum 12"}},
		{s.Admin, []string{"phone=05121 12345-67", "room=Raum 12"}},
	}
	for _, tt := range tests {
		t.Run(tt.viewer, func(t *testing.T) {
			c := s.as(tt.viewer)
			e, ok := findEntry(t, c, "Lehmann", s.Teacher)
			if !ok {
				t.Fatalf("the teacher is not found")
			}
			if got := extrasOf(e); !slices.Equal(got, tt.want) {
				t.Errorf("search: got %v, want %v", got, tt.want)
			}
			one, err := c.AddressbookEntry(ctx, s.Teacher)
			if err != nil {
				t.Fatal(err)
			}
			if got := extrasOf(one); !slices.Equal(got, tt.want) {
				t.Errorf("entry: got %v, want %v", got, tt.want)
			}
			if one.Name != "Tina Lehmann" || one.Role != wire.RoleTeacher || one.RoleLabel != "Lehrkraft" ||
				!slices.Equal(one.Classes, []string{"3a"}) || one.Mail != s.Teacher+"@"+testrig.Domain {
				t.Errorf("got %+v, want name, role, class and mail of Tina Lehmann", one)
			}
			if strings.Contains(strings.Join(extrasOf(one), " "), "0170") {
				t.Errorf("the hidden mobile number is shown: %v", extrasOf(one))
			}
		})
	}

	t.Run("default entry shows no extras", func(t *testing.T) {
		e, err := s.as(s.Pupil).AddressbookEntry(ctx, s.OtherTeacher)
		if err != nil {
			t.Fatal(err)
		}
		if len(e.Extras) != 0 || e.Mail == "" || e.Name != "Otto Weber" {
			t.Errorf("got %+v, want name and mail only", e)
		}
	})
}

func TestAddressbookPupilNeedsAllowance(t *testing.T) {
	s := newSchool(t)
	pupil := s.as(s.Pupil)
	prof, err := pupil.SetAddressbookProfile(ctx, []wire.AddressbookFieldEdit{{Key: "phone", Value: "05121 999888", Visibility: wire.VisibilityAll}})
	if err != nil {
		t.Fatal(err)
	}
	if !prof.NeedsAllowance || prof.Allowed {
		t.Errorf("got needs_allowance %v, allowed %v, want true, false", prof.NeedsAllowance, prof.Allowed)
	}
	viewers := []string{s.Pupil2, s.Teacher, s.Admin}
	check := func(step string, want []string) {
		t.Helper()
		for _, v := range viewers {
			e, err := s.as(v).AddressbookEntry(ctx, s.Pupil)
			if err != nil {
				t.Fatalf("%s: entry as %s: %v", step, v, err)
			}
			if got := extrasOf(e); !slices.Equal(got, want) {
				t.Errorf("%s: %s sees %v, want %v", step, v, got, want)
			}
		}
	}
	check("before the allowance", []string{})

	adm := s.as(s.Admin)
	al, err := adm.SetAddressbookAllowed(ctx, s.Pupil, true)
	if err != nil {
		t.Fatal(err)
	}
	if !al.Allowed || al.DecidedBy != s.Admin || al.DecidedAt.IsZero() || al.Name != "Anna Schmidt" || !slices.Equal(al.Classes, []string{"3a"}) {
		t.Errorf("got %+v, want allowed by %s", al, s.Admin)
	}
	check("allowed", []string{"phone=05121 999888"})
	if prof, err := pupil.AddressbookProfile(ctx); err != nil || !prof.Allowed {
		t.Errorf("the pupil's profile: got allowed %v (%v), want true", prof.Allowed, err)
	}
	list, err := adm.AddressbookAllowances(ctx)
	if err != nil || len(list) != 1 || list[0].Login != s.Pupil {
		t.Errorf("allowances: got %+v, %v, want the pupil", list, err)
	}

	if _, err := adm.SetAddressbookAllowed(ctx, s.Pupil, false); err != nil {
		t.Fatal(err)
	}
	check("withdrawn", []string{})
	if list, err := adm.AddressbookAllowances(ctx); err != nil || len(list) != 0 {
		t.Errorf("allowances after withdrawing: got %+v, %v, want none", list, err)
	}

	// Both decisions are in the protocol, with the admin and the pupil.
	entries, err := s.as(s.Protocol).Protocol(ctx, serverapi.ProtocolQuery{Kind: "addressbook.", Login: s.Pupil})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Action+" by "+e.Actor+" via "+e.Service)
	}
	want := []string{"addressbook.deny by " + s.Admin + " via api", "addressbook.allow by " + s.Admin + " via api"}
	if !slices.Equal(got, want) {
		t.Errorf("protocol: got %v, want %v", got, want)
	}

	t.Run("refused", func(t *testing.T) {
		_, err := adm.SetAddressbookAllowed(ctx, s.Teacher, true)
		wantCode(t, err, wire.CodeInvalid, "allowance for a teacher")
		if msg := serverapi.Message(err); !strings.Contains(msg, "Schülerinnen und Schülern") {
			t.Errorf("got message %q, want the German reason", msg)
		}
		_, err = adm.SetAddressbookAllowed(ctx, "niemand", true)
		wantCode(t, err, wire.CodeNotFound, "allowance for an unknown login")
	})
}

func TestAddressbookListsCurrentPeopleOnly(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	leaver := s.Rig.AddPerson("Lena", "Abgang", directory.Pupil, pupilPW, "4b")
	lastDay := s.Rig.AddPerson("Lars", "Abgang", directory.Pupil, pupilPW, "4b")
	revoked := s.Rig.AddPerson("Rita", "Abgang", directory.Pupil, pupilPW, "4b")
	past, day := "2020-07-31", localToday()
	if _, err := adm.EditPerson(ctx, leaver, wire.PersonEdit{LeavingDate: &past}); err != nil {
		t.Fatal(err)
	}
	if _, err := adm.EditPerson(ctx, lastDay, wire.PersonEdit{LeavingDate: &day}); err != nil {
		t.Fatal(err)
	}
	if _, err := adm.Consent(ctx, revoked, wire.ConsentChange{RevokedOn: day}); err != nil {
		t.Fatal(err)
	}
	c := s.as(s.Teacher)
	page, err := c.SearchAddressbook(ctx, serverapi.AddressbookQuery{Text: "abgang"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Entries {
		got = append(got, e.Login)
	}
	if !slices.Equal(got, []string{lastDay}) || page.Total != 1 {
		t.Errorf("got %v (total %d), want only %s, who is at the school until today", got, page.Total, lastDay)
	}
	for _, login := range []string{leaver, revoked} {
		_, err := c.AddressbookEntry(ctx, login)
		wantCode(t, err, wire.CodeNotFound, "entry of "+login)
	}
	// The whole school, page by page, without the two.
	all := map[string]bool{}
	q := serverapi.AddressbookQuery{Limit: 3}
	for i := 0; i < 20; i++ {
		page, err := c.SearchAddressbook(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Entries) > 3 {
			t.Errorf("got %d entries, want at most 3", len(page.Entries))
		}
		for _, e := range page.Entries {
			all[e.Login] = true
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	for _, login := range []string{s.Pupil, s.Teacher, s.Secretary, s.Admin, s.MustChange, lastDay} {
		if !all[login] {
			t.Errorf("%s is not in the address book", login)
		}
	}
	if all[leaver] || all[revoked] {
		t.Errorf("got %v, want neither %s nor %s", all, leaver, revoked)
	}
}

func TestAddressbookModuleSwitch(t *testing.T) {
	s := newSchool(t)
	adm := s.as(s.Admin)
	pupil := s.as(s.Pupil)
	sess, err := pupil.Session(ctx)
	if err != nil || !slices.Contains(sess.Modules, wire.ModuleAddressbook) {
		t.Fatalf("got modules %v (%v), want the address book on", sess.Modules, err)
	}
	if _, err := adm.SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleAddressbook, Enabled: false}}); err != nil {
		t.Fatal(err)
	}
	sess, err = pupil.Session(ctx)
	if err != nil || slices.Contains(sess.Modules, wire.ModuleAddressbook) {
		t.Errorf("got modules %v (%v), want the address book gone", sess.Modules, err)
	}
	calls := []struct {
		name string
		call func(c *serverapi.Client) error
	}{
		{"search", func(c *serverapi.Client) error {
			_, err := c.SearchAddressbook(ctx, serverapi.AddressbookQuery{})
			return err
		}},
		{"entry", func(c *serverapi.Client) error { _, err := c.AddressbookEntry(ctx, s.Teacher); return err }},
		{"profile", func(c *serverapi.Client) error { _, err := c.AddressbookProfile(ctx); return err }},
		{"set profile", func(c *serverapi.Client) error { _, err := c.SetAddressbookProfile(ctx, nil); return err }},
		{"allowances", func(c *serverapi.Client) error { _, err := c.AddressbookAllowances(ctx); return err }},
		{"allow", func(c *serverapi.Client) error { _, err := c.SetAddressbookAllowed(ctx, s.Pupil, true); return err }},
		{"deny", func(c *serverapi.Client) error { _, err := c.SetAddressbookAllowed(ctx, s.Pupil, false); return err }},
	}
	for _, tt := range calls {
		for _, who := range []struct {
			name string
			c    *serverapi.Client
		}{{"pupil", pupil}, {"admin", adm}, {"anonymous", s.anon()}} {
			t.Run(tt.name+" as "+who.name, func(t *testing.T) {
				err := tt.call(who.c)
				var e *serverapi.Error
				if !errors.As(err, &e) || e.Status != http.StatusNotFound || e.Code != wire.CodeNotFound {
					t.Errorf("got %v, want 404 not_found", err)
				}
			})
		}
	}
	if _, err := adm.SetModules(ctx, []wire.ModuleSwitch{{Name: wire.ModuleAddressbook, Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	if _, err := pupil.SearchAddressbook(ctx, serverapi.AddressbookQuery{}); err != nil {
		t.Errorf("after switching it on again: got %v, want the search to work", err)
	}
}

func TestAddressbookBadInput(t *testing.T) {
	s := newSchool(t)
	c := s.as(s.Teacher)
	tests := []struct {
		name       string
		q          serverapi.AddressbookQuery
		wantFields []string
		wantMsg    string
	}{
		{"limit too high", serverapi.AddressbookQuery{Cursor: "0", Limit: 201}, []string{"limit"}, "Die Anzahl muss zwischen 1 und 200 liegen."},
		{"cursor", serverapi.AddressbookQuery{Cursor: "abc"}, []string{"cursor"}, "Die Seitenangabe ist ungültig."},
		{"negative cursor", serverapi.AddressbookQuery{Cursor: "-5"}, []string{"cursor"}, "Die Seitenangabe ist ungültig."},
		{"role", serverapi.AddressbookQuery{Role: "pirate"}, []string{"role"}, "Diese Rolle gibt es nicht."},
		{"class", serverapi.AddressbookQuery{Class: "3a!"}, nil, "„3a!“ ist kein Klassenname wie 3a."},
		{"text", serverapi.AddressbookQuery{Text: strings.Repeat("x", 101)}, []string{"q"}, "Der Suchtext ist zu lang (höchstens 100 Zeichen)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.SearchAddressbook(ctx, tt.q)
			var e *serverapi.Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Code != wire.CodeInvalid {
				t.Fatalf("got %v, want 400 invalid", err)
			}
			if e.Message != tt.wantMsg || !slices.Equal(e.Fields, tt.wantFields) {
				t.Errorf("got %q %v, want %q %v", e.Message, e.Fields, tt.wantMsg, tt.wantFields)
			}
		})
	}

	profiles := []struct {
		name       string
		fields     []wire.AddressbookFieldEdit
		wantFields []string
		wantMsg    string
	}{
		{"phone with letters", []wire.AddressbookFieldEdit{{Key: "phone", Value: "0511-KASPEL", Visibility: "all"}}, []string{"phone"},
			"„Telefon“ darf nur Ziffern, Leerzeichen und + / - ( ) enthalten."},
		{"visibility", []wire.AddressbookFieldEdit{{Key: "mobile", Value: "0170 1", Visibility: "friends"}}, []string{"mobile"},
			"Bitte bei „Handy“ wählen, wer es sieht: niemand (hidden), das Kollegium (staff) oder alle (all)."},
		{"unknown field", []wire.AddressbookFieldEdit{{Key: "iban", Value: "DE00"}}, []string{"fields"}, "Das Feld „iban“ gibt es im Adressbuch nicht."},
	}
	for _, tt := range profiles {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.SetAddressbookProfile(ctx, tt.fields)
			var e *serverapi.Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Code != wire.CodeInvalid {
				t.Fatalf("got %v, want 400 invalid", err)
			}
			if e.Message != tt.wantMsg || !slices.Equal(e.Fields, tt.wantFields) {
				t.Errorf("got %q %v, want %q %v", e.Message, e.Fields, tt.wantMsg, tt.wantFields)
			}
		})
	}
	t.Run("unknown JSON field", func(t *testing.T) {
		status, code := s.raw(c.Token(), "PUT", "/api/v1/addressbook/profile", `{"fields":[],"phone":"1"}`)
		if status != http.StatusBadRequest || code != wire.CodeBadRequest {
			t.Errorf("got %d %s, want 400 bad_request", status, code)
		}
	})
	t.Run("unknown entry", func(t *testing.T) {
		_, err := c.AddressbookEntry(ctx, "niemand")
		wantCode(t, err, wire.CodeNotFound, "entry of an unknown login")
	})
}
