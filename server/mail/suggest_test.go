package mail

import (
	"slices"
	"testing"

	"kaspel/server/directory"
)

func TestSuggest(t *testing.T) {
	e := newEnv(t)
	gone := e.add("Bernd", "Gegangen", directory.Pupil, "3a")
	if err := e.dir.SetLeaving(ctx, admin, gone.Login, "2026-07-31"); err != nil {
		t.Fatal(err)
	}
	addr := func(l string) string { return l + "@gsborsum.de" }
	tests := []struct {
		name    string
		who     directory.Person
		term    string
		want    []string // addresses that must be offered
		notWant []string // and those that must not
	}{
		{"pupil, empty: own class only", e.anna, "", []string{addr("3a")},
			[]string{addr("4b"), addr("schueler"), addr("lehrer"), addr(e.ben.Login)}},
		{"pupil, class number", e.anna, "3", []string{addr("3a")}, []string{addr("4b")}},
		{"pupil, other class: its people but not the class", e.anna, "4b", []string{addr(e.clara.Login), addr(e.otto.Login)}, []string{addr("4b")}},
		{"pupil, name", e.anna, "beck", []string{addr(e.ben.Login)}, []string{addr(e.anna.Login)}},
		{"pupil, role words", e.anna, "leh", []string{addr(e.tina.Login)}, []string{addr("lehrer")}},
		{"pupil, not oneself", e.anna, "anna", nil, []string{addr(e.anna.Login)}},
		{"no leavers", e.tina, "gegangen", nil, []string{addr(gone.Login)}},
		{"teacher, empty: every group", e.tina, "", []string{addr("3a"), addr("4b"), addr("schueler"), addr("lehrer"), addr("sekretariat"), addr("admins")}, nil},
		{"teacher, label", e.tina, "Lehrkräfte", []string{addr("lehrer")}, nil},
		{"teacher, full name", e.tina, "clara roth", []string{addr(e.clara.Login)}, nil},
		{"address typed", e.tina, e.ben.Login + "@gsborsum.de", []string{addr(e.ben.Login)}, nil},
		{"LIKE wildcards are literal", e.tina, "%", nil, []string{addr(e.ben.Login)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := e.svc.Suggest(ctx, tt.who, tt.term, 20)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range list {
				got = append(got, s.Address.Address)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("got %v, want it to offer %s", got, w)
				}
			}
			for _, w := range tt.notWant {
				if slices.Contains(got, w) {
					t.Errorf("got %v, want it not to offer %s", got, w)
				}
			}
		})
	}
	t.Run("details", func(t *testing.T) {
		list, err := e.svc.Suggest(ctx, e.tina, "becker", 20)
		if err != nil || len(list) != 1 {
			t.Fatalf("got %+v, %v", list, err)
		}
		if got, want := list[0].Detail, "Klasse 3a"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		if got, want := list[0].Name, "Ben Becker"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("limit", func(t *testing.T) {
		list, err := e.svc.Suggest(ctx, e.tina, "", 2)
		if err != nil || len(list) != 2 {
			t.Errorf("got %d, %v, want 2", len(list), err)
		}
	})
	// Whatever the picker offers, sending to it is allowed.
	t.Run("offered means allowed", func(t *testing.T) {
		for _, who := range []directory.Person{e.anna, e.tina} {
			for _, term := range []string{"", "a", "3", "4b", "lehr"} {
				list, err := e.svc.Suggest(ctx, who, term, 50)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range list {
					if _, err := e.svc.resolve(ctx, who, []string{s.Address.Address}); err != nil {
						t.Errorf("%s offered %s, but resolve says %v", who.Login, s.Address.Address, err)
					}
				}
			}
		}
	})
}
