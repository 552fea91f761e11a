package directory_test

import (
	"errors"
	"slices"
	"testing"

	"kaspel/server/directory"
	"kaspel/server/store"
)

func TestPeopleAtSchool(t *testing.T) {
	e := newEnv(t)
	anna := e.pupil("Anna", "Adler", "3a")
	ben := e.pupil("Ben", "Berg", "3a")
	clara := e.pupil("Clara", "Cramer", "4b")
	dora := e.pupil("Dora", "Dach", "4b")
	eva := e.pupil("Eva", "Eck", "4b")
	teacher, _ := e.add("Tina", "Lehmann", directory.Teacher, "3a")
	if err := e.dir.SetLeaving(e.ctx, admin, ben, "2026-08-19"); err != nil { // left yesterday
		t.Fatal(err)
	}
	if err := e.dir.SetLeaving(e.ctx, admin, clara, "2026-08-20"); err != nil { // her last day
		t.Fatal(err)
	}
	if err := e.dir.RecordConsent(e.ctx, admin, dora, "Doris Dach", "2026-08-01"); err != nil {
		t.Fatal(err)
	}
	if err := e.dir.RevokeConsent(e.ctx, admin, dora, "2026-08-19"); err != nil {
		t.Fatal(err)
	}
	if err := e.dir.Lock(e.ctx, admin, eva, "Test"); err != nil { // locked, still at the school
		t.Fatal(err)
	}

	tests := []struct {
		name string
		q    directory.ListQuery
		want []string
	}{
		{"everyone", directory.ListQuery{}, []string{anna, clara, eva, teacher.Login}},
		{"leavers asked for", directory.ListQuery{Leavers: true}, []string{anna, clara, eva, teacher.Login}},
		{"class", directory.ListQuery{Class: "3a"}, []string{anna, teacher.Login}},
		{"role", directory.ListQuery{Role: directory.Pupil}, []string{anna, clara, eva}},
		{"role and class", directory.ListQuery{Role: directory.Pupil, Class: "4b"}, []string{clara, eva}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := e.dir.PeopleAtSchool(e.ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range list {
				got = append(got, l.Login)
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}

	one := []struct {
		login   string
		found   bool
		classes []string
	}{
		{anna, true, []string{"3a"}},
		{ben, false, nil},
		{clara, true, []string{"4b"}},
		{dora, false, nil},
		{eva, true, []string{"4b"}},
		{teacher.Login, true, []string{"3a"}},
		{"niemand", false, nil},
	}
	for _, tt := range one {
		t.Run("one "+tt.login, func(t *testing.T) {
			l, err := e.dir.PersonAtSchool(e.ctx, tt.login)
			if !tt.found {
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("got %v, want store.ErrNotFound", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if l.Login != tt.login || !slices.Equal(l.Classes, tt.classes) {
				t.Errorf("got %s %v, want %s %v", l.Login, l.Classes, tt.login, tt.classes)
			}
		})
	}
}
