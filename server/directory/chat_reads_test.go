package directory_test

import (
	"slices"
	"strings"
	"testing"

	"kaspel/server/directory"
)

func TestChatReads(t *testing.T) {
	e := newEnv(t)
	anna, _ := e.add("Anna", "Adler", directory.Pupil, "3a")
	ben, _ := e.add("Ben", "Becker", directory.Pupil, "3a")
	clara, _ := e.add("Clara", "Roth", directory.Pupil, "4b")
	tina, _ := e.add("Tina", "Lehmann", directory.Teacher, "3a", "4b")
	e.add("Sabine", "Sekretär", directory.Secretary)
	leaver, _ := e.add("Lena", "Weg", directory.Pupil, "3a")
	if err := e.dir.SetLeaving(e.ctx, admin, leaver.Login, "2000-07-31"); err != nil {
		t.Fatal(err)
	}

	mates := func(p directory.Person) []string {
		list, err := e.dir.ClassmatesOf(e.ctx, p)
		if err != nil {
			t.Fatalf("ClassmatesOf(%s): %v", p.Login, err)
		}
		out := []string{}
		for _, l := range list {
			out = append(out, l.Login+":"+strings.Join(l.Classes, ","))
		}
		return out
	}
	for _, tt := range []struct {
		name string
		p    directory.Person
		want []string
	}{
		{"pupil: classmates and their teacher, no leaver", anna, []string{ben.Login + ":3a", tina.Login + ":3a"}},
		{"teacher of two classes: both, with the shared class", tina, []string{anna.Login + ":3a", ben.Login + ":3a", clara.Login + ":4b"}},
		{"pupil of the other class", clara, []string{tina.Login + ":4b"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := mates(tt.p); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	if err := e.dir.RevokeConsent(e.ctx, admin, ben.Login, "2000-01-01"); err != nil {
		t.Fatal(err)
	}
	revoked, err := e.dir.ConsentRevoked(e.ctx, []int64{anna.ID, ben.ID})
	if err != nil || !revoked[ben.ID] || revoked[anna.ID] {
		t.Errorf("ConsentRevoked: got %v, %v", revoked, err)
	}
	if got := mates(anna); slices.Contains(got, ben.Login+":3a") {
		t.Errorf("a pupil whose consent is revoked is a classmate: %v", got)
	}

	if d, err := e.dir.LastPromotion(e.ctx); err != nil || d != "" {
		t.Errorf("before any promotion: got %q, %v", d, err)
	}
	if _, err := e.dir.Promote(e.ctx, admin, directory.PromoteOptions{}); err != nil {
		t.Fatal(err)
	}
	if d, err := e.dir.LastPromotion(e.ctx); err != nil || len(d) != len("2006-01-02") {
		t.Errorf("after the promotion: got %q, %v", d, err)
	}
}
