package directory_test

import (
	"errors"
	"slices"
	"testing"

	"kaspel/server/directory"
	"kaspel/server/store"
)

func TestMailReads(t *testing.T) {
	e := newEnv(t)
	anna := e.pupil("Anna", "Adler", "3a")
	ben := e.pupil("Ben", "Berg", "3a")
	clara := e.pupil("Clara", "Cramer", "4b")
	locked := e.pupil("Lotte", "Lang", "3a")
	und := e.pupil("Uwe", "Unter_Strich", "4b")
	teacher, _ := e.add("Tina", "Lehmann", directory.Teacher, "3a")
	if err := e.dir.SetLeaving(e.ctx, admin, ben, "2026-08-19"); err != nil { // left yesterday
		t.Fatal(err)
	}
	if err := e.dir.Lock(e.ctx, admin, locked, "Test"); err != nil {
		t.Fatal(err)
	}

	t.Run("GroupNamed", func(t *testing.T) {
		for _, name := range []string{"3a", "3A", "schueler"} {
			if _, err := e.dir.GroupNamed(e.ctx, name); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := e.dir.GroupNamed(e.ctx, "9z"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("9z: got %v, want ErrNotFound", err)
		}
	})

	t.Run("CurrentMembers", func(t *testing.T) {
		tests := []struct {
			group string
			want  []string
		}{
			{"3a", []string{anna, locked, teacher.Login}}, // Ben has left; locked people stay members
			{"4b", []string{clara, und}},
			{"schueler", []string{anna, clara, locked, und}},
			{"lehrer", []string{teacher.Login}},
			{"admins", nil},
		}
		for _, tt := range tests {
			t.Run(tt.group, func(t *testing.T) {
				g, err := e.dir.GroupNamed(e.ctx, tt.group)
				if err != nil {
					t.Fatal(err)
				}
				people, err := e.dir.CurrentMembers(e.ctx, g)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, p := range people {
					got = append(got, p.Login)
				}
				slices.Sort(got)
				want := slices.Clone(tt.want)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
			})
		}
	})

	t.Run("SearchPeople", func(t *testing.T) {
		tests := []struct {
			term string
			want []string // in German name order
		}{
			{"adler", []string{anna}},
			{"ANNA", []string{anna}},
			{"anna adler", []string{anna}},
			{anna, []string{anna}},
			{"berg", nil}, // left
			{"4b", []string{clara, und}},
			{"_", []string{und}}, // a literal underscore, not "any character"
			{"%", nil},
			{"", nil},
		}
		for _, tt := range tests {
			t.Run(tt.term, func(t *testing.T) {
				list, err := e.dir.SearchPeople(e.ctx, tt.term, 10)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, l := range list {
					got = append(got, l.Login)
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
		list, err := e.dir.SearchPeople(e.ctx, "4b", 1)
		if err != nil || len(list) != 1 || list[0].Login != clara || !slices.Equal(list[0].Classes, []string{"4b"}) {
			t.Errorf("limit 1: got %+v, %v", list, err)
		}
	})
}
