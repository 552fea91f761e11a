package directory_test

import (
	"errors"
	"strings"
	"testing"

	"kaspel/server/directory"
	"kaspel/server/store"
)

func TestCalendarReads(t *testing.T) {
	e := newEnv(t)
	teacher, _ := e.add("Tina", "Lehmann", directory.Teacher, "4b", "3a")
	secretary, _ := e.add("Sabine", "Sekretär", directory.Secretary)
	pupil, _ := e.add("Anna", "Adler", directory.Pupil, "3a")
	tests := []struct {
		name string
		p    directory.Person
		want string
	}{
		{"teacher of two classes", teacher, "3a:class 4b:class"},
		{"pupil", pupil, "3a:class"},
		{"no class: no groups (the role group is not one)", secretary, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, err := e.dir.MemberGroups(e.ctx, tt.p.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, g := range gs {
				got = append(got, g.Name+":"+string(g.Kind))
				byID, err := e.dir.GroupByID(e.ctx, g.ID)
				if err != nil || byID != g {
					t.Errorf("GroupByID(%d): got %+v, %v, want %+v", g.ID, byID, err, g)
				}
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got %v, want %v", g, tt.want)
			}
		})
	}
	if _, err := e.dir.GroupByID(e.ctx, 987654); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("got %v, want not found", err)
	}
}
