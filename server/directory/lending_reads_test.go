package directory_test

import (
	"errors"
	"slices"
	"testing"

	"kaspel/server/directory"
	"kaspel/server/store"
)

func TestLendingReads(t *testing.T) {
	e := newEnv(t)
	ben, _ := e.add("Ben", "Becker", directory.Pupil, "3a")
	anna, _ := e.add("Anna", "Ärger", directory.Pupil, "3a")
	clara, _ := e.add("Clara", "Roth", directory.Pupil, "4b")
	tina, _ := e.add("Tina", "Lehmann", directory.Teacher, "3a", "4b")
	otto, _ := e.add("Otto", "Weber", directory.Teacher)
	sabine, _ := e.add("Sabine", "Sekretär", directory.Secretary)
	leaver, _ := e.add("Lena", "Weg", directory.Pupil, "3a")
	if err := e.dir.SetLeaving(e.ctx, admin, leaver.Login, "2000-07-31"); err != nil {
		t.Fatal(err)
	}

	p, err := e.dir.PupilWithClasses(e.ctx, clara.ID)
	if err != nil || p.Login != clara.Login || !slices.Equal(p.Classes, []string{"4b"}) {
		t.Errorf("PupilWithClasses: got %+v, %v", p, err)
	}
	if _, err := e.dir.PupilWithClasses(e.ctx, tina.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a teacher as a pupil: got %v, want not found", err)
	}
	// Class-list order (Ä with A), leavers and teachers left out; the
	// class as people write it.
	list, err := e.dir.PupilsOfClass(e.ctx, "Klasse 3 A")
	if err != nil {
		t.Fatal(err)
	}
	var logins []string
	for _, l := range list {
		logins = append(logins, l.Login)
	}
	if !slices.Equal(logins, []string{anna.Login, ben.Login}) {
		t.Errorf("PupilsOfClass: got %v", logins)
	}
	all, err := e.dir.CurrentPupils(e.ctx)
	if err != nil || len(all) != 3 {
		t.Errorf("CurrentPupils: got %d, %v", len(all), err)
	}
	for _, tt := range []struct {
		who   directory.Person
		class string
		want  bool
	}{{tina, "3a", true}, {tina, "4B", true}, {otto, "3a", false}, {sabine, "3a", false}, {ben, "3a", false}, {tina, "nicht da!", false}} {
		if got, err := e.dir.TeachesClass(e.ctx, tt.who, tt.class); err != nil || got != tt.want {
			t.Errorf("TeachesClass(%s, %s): got %v, %v", tt.who.Login, tt.class, got, err)
		}
	}
	if got, err := e.dir.ClassesTaught(e.ctx, tina); err != nil || !slices.Equal(got, []string{"3a", "4b"}) {
		t.Errorf("ClassesTaught: got %v, %v", got, err)
	}
}
