package mail

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"kaspel/server/directory"
)

// logins turns resolved person ids into sorted logins.
func (e *env) logins(ids []int64) []string {
	e.t.Helper()
	out := []string{}
	for _, id := range ids {
		p, err := e.dir.PersonByID(ctx, id)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, p.Login)
	}
	slices.Sort(out)
	return out
}

func sorted(l ...string) []string {
	slices.Sort(l)
	return l
}

func TestAddressing(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name     string
		to       []string
		want     []string // logins who get it
		kind     Kind     // refusal, 0 for none
		message  string   // part of the German message
		wantKind AddressKind
	}{
		{name: "bare login", to: []string{e.ben.Login}, want: []string{e.ben.Login}, wantKind: PersonAddress},
		{name: "full address", to: []string{e.ben.Login + "@gsborsum.de"}, want: []string{e.ben.Login}, wantKind: PersonAddress},
		{name: "upper case", to: []string{strings.ToUpper(e.ben.Login) + "@GSBORSUM.DE"}, want: []string{e.ben.Login}, wantKind: PersonAddress},
		{name: "with display name", to: []string{"Ben Becker <" + e.ben.Login + "@gsborsum.de>"}, want: []string{e.ben.Login}, wantKind: PersonAddress},
		{name: "own class", to: []string{"3a@gsborsum.de"}, want: sorted(e.ben.Login, e.tina.Login), wantKind: ClassAddress},
		{name: "class upper case, bare", to: []string{"3A"}, want: sorted(e.ben.Login, e.tina.Login), wantKind: ClassAddress},
		{name: "duplicates once", to: []string{e.ben.Login, "3a", e.ben.Login + "@gsborsum.de"}, want: sorted(e.ben.Login, e.tina.Login), wantKind: PersonAddress},
		{name: "external", to: []string{"ben@gmail.com"}, kind: Invalid, message: "Mail geht nur an Adressen der Schule (@gsborsum.de)."},
		{name: "subdomain is external", to: []string{e.ben.Login + "@mail.gsborsum.de"}, kind: Invalid, message: "Mail geht nur an Adressen der Schule"},
		{name: "external among internal", to: []string{e.ben.Login, "x@example.org"}, kind: Invalid, message: "„x@example.org“ ist keine"},
		{name: "unknown", to: []string{"niemand@gsborsum.de"}, kind: Invalid, message: "gibt es an der Schule nicht"},
		{name: "malformed", to: []string{"ben becker"}, kind: Invalid, message: "keine Adresse der Schule"},
		{name: "nothing", to: []string{" ", ""}, kind: Invalid, message: "an wen"},
		{name: "only oneself", to: []string{e.anna.Login}, kind: Invalid, message: "niemanden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.svc.resolve(ctx, e.anna, tt.to)
			if got := kindOf(err); got != tt.kind {
				t.Fatalf("got refusal kind %v (%v), want %v", got, err, tt.kind)
			}
			if tt.kind != 0 {
				if me, _ := AsError(err); !strings.Contains(me.German, tt.message) {
					t.Errorf("got message %q, want it to contain %q", me.German, tt.message)
				}
				return
			}
			if got := e.logins(r.people); !slices.Equal(got, tt.want) {
				t.Errorf("got recipients %v, want %v", got, tt.want)
			}
			if got := r.written[0].Kind; got != tt.wantKind {
				t.Errorf("got written kind %v, want %v", got, tt.wantKind)
			}
		})
	}
}

func TestWhoMayWriteToWhom(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.PupilRecipients = 3 })
	tests := []struct {
		from directory.Person
		to   string
		kind Kind
	}{
		{e.anna, e.clara.Login, 0},  // a pupil of another class, singly
		{e.anna, e.otto.Login, 0},   // any teacher, singly
		{e.anna, e.sabine.Login, 0}, // the secretary
		{e.anna, e.adam.Login, 0},   // an admin
		{e.anna, "3a", 0},           // the own class
		{e.anna, "4b", Forbidden},   // another class
		{e.anna, "schueler", Forbidden},
		{e.anna, "lehrer", Forbidden},
		{e.anna, "sekretariat", Forbidden},
		{e.anna, "admins", Forbidden},
		{e.tina, "4b", 0},
		{e.tina, "schueler", 0},
		{e.tina, "lehrer", 0},
		{e.sabine, "schueler", 0},
		{e.sabine, "3a", 0},
		{e.adam, "sekretariat", 0},
		{e.adam, "lehrer", 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s to %s", tt.from.Login, tt.to), func(t *testing.T) {
			_, err := e.svc.resolve(ctx, tt.from, []string{tt.to})
			if got := kindOf(err); got != tt.kind {
				t.Errorf("got %v (%v), want kind %v", got, err, tt.kind)
			}
		})
	}

	t.Run("pupil to too many single people", func(t *testing.T) {
		to := []string{e.ben.Login, e.clara.Login, e.tina.Login, e.otto.Login}
		_, err := e.svc.resolve(ctx, e.anna, to)
		me, ok := AsError(err)
		if !ok || me.Kind != Invalid || !strings.Contains(me.German, "höchstens 3 einzelne Personen") {
			t.Errorf("got %v, want the German refusal of more than 3 single recipients", err)
		}
		// Three people and the own class are fine: a class is one address.
		if _, err := e.svc.resolve(ctx, e.anna, append(to[:3:3], "3a")); err != nil {
			t.Errorf("got %v, want three people and the own class allowed", err)
		}
	})
	t.Run("staff to many single people", func(t *testing.T) {
		to := []string{e.anna.Login, e.ben.Login, e.clara.Login, e.otto.Login}
		if _, err := e.svc.resolve(ctx, e.tina, to); err != nil {
			t.Errorf("got %v, want allowed", err)
		}
	})
	t.Run("too many addresses", func(t *testing.T) {
		to := make([]string, MaxAddresses+1)
		for i := range to {
			to[i] = e.anna.Login
		}
		if got := kindOf(func() error { _, err := e.svc.resolve(ctx, e.tina, to); return err }()); got != Invalid {
			t.Errorf("got %v, want Invalid", got)
		}
	})
}

// Groups are expanded at send time to their current members: leavers are
// skipped, locked accounts get their mail.
func TestExpansionLeaversAndLocked(t *testing.T) {
	e := newEnv(t)
	gone := e.add("Gustav", "Gegangen", directory.Pupil, "3a")
	locked := e.add("Lotte", "Gesperrt", directory.Pupil, "3a")
	if err := e.dir.SetLeaving(ctx, admin, gone.Login, "2026-07-31"); err != nil {
		t.Fatal(err)
	}
	if err := e.dir.Lock(ctx, admin, locked.Login, "Test"); err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.resolve(ctx, e.tina, []string{"3a"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.logins(r.people), sorted(e.anna.Login, e.ben.Login, locked.Login); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	r, err = e.svc.resolve(ctx, e.tina, []string{"schueler"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.logins(r.people), sorted(e.anna.Login, e.ben.Login, e.clara.Login, locked.Login); !slices.Equal(got, want) {
		t.Errorf("schueler: got %v, want %v", got, want)
	}
	_, err = e.svc.resolve(ctx, e.tina, []string{gone.Login})
	if me, ok := AsError(err); !ok || !strings.Contains(me.German, "nicht mehr an der Schule") {
		t.Errorf("to a leaver: got %v, want refused as no longer at the school", err)
	}
	// Still at the school on the last day.
	if err := e.dir.SetLeaving(ctx, admin, gone.Login, start.Format("2006-01-02")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.resolve(ctx, e.tina, []string{gone.Login}); err != nil {
		t.Errorf("on the leaving day: got %v, want delivered", err)
	}
}
