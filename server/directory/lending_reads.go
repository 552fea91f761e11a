package directory

// Reads the textbook lending needs: a pupil with the class (the kiosk's
// panel, one scan at a time, so two or three small queries), the pupils
// of a class in class-list order (class sets, issue lists) and whether a
// teacher teaches a class (class teachers see their class's state). The
// lending module never queries the directory's tables itself; these are
// its way in. They compose the directory's existing queries and add no
// SQL of their own.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"kaspel/server/store"
)

// PupilWithClasses returns a pupil (or, for the record, a former pupil)
// with the names of their classes; store.ErrNotFound for an unknown id
// or a person who is no pupil.
func (d *Directory) PupilWithClasses(ctx context.Context, id int64) (Listed, error) {
	p, err := d.PersonByID(ctx, id)
	if err != nil {
		return Listed{}, err
	}
	if p.Role != Pupil {
		return Listed{}, fmt.Errorf("directory: %s is no pupil: %w", p.Login, store.ErrNotFound)
	}
	classes, err := d.ClassesOf(ctx, p)
	if err != nil {
		return Listed{}, err
	}
	sort.Strings(classes)
	return Listed{Person: p, Classes: classes}, nil
}

// PupilsOfClass lists the current pupils of a class ("3a", "3 A",
// "Klasse 3a") in class-list order: German collation of last, then first
// name.
func (d *Directory) PupilsOfClass(ctx context.Context, class string) ([]Listed, error) {
	c, err := NormalizeClass(class)
	if err != nil {
		return nil, err
	}
	return d.List(ctx, ListQuery{Class: c, Role: Pupil})
}

// CurrentPupils lists every pupil at the school today with their classes,
// sorted by class and name (List's order).
func (d *Directory) CurrentPupils(ctx context.Context) ([]Listed, error) {
	return d.List(ctx, ListQuery{Role: Pupil})
}

// TeachesClass tells whether a teacher is a member of the class (the
// school's class teachers and the teachers of the class).
func (d *Directory) TeachesClass(ctx context.Context, teacher Person, class string) (bool, error) {
	if teacher.Role != Teacher {
		return false, nil
	}
	c, err := NormalizeClass(class)
	if err != nil {
		return false, nil
	}
	groups, err := d.MemberGroups(ctx, teacher.ID)
	if err != nil {
		return false, err
	}
	for _, g := range groups {
		if g.Kind == KindClass && strings.EqualFold(g.Name, c) {
			return true, nil
		}
	}
	return false, nil
}

// ClassesTaught lists the names of the classes a teacher is a member of.
func (d *Directory) ClassesTaught(ctx context.Context, teacher Person) ([]string, error) {
	if teacher.Role != Teacher {
		return nil, nil
	}
	groups, err := d.MemberGroups(ctx, teacher.ID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, g := range groups {
		if g.Kind == KindClass {
			out = append(out, g.Name)
		}
	}
	return out, nil
}
