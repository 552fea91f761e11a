package directory

// Reads for the address book: the people who are at the school today.

import (
	"context"
	"fmt"
	"sort"

	"kaspel/server/store"
)

// PeopleAtSchool lists the people who are at the school today, with their
// classes, in List's order: q.Leavers is ignored (leavers past their
// leaving date are never included), and pupils whose parents revoked the
// consent are left out, because their data is no longer shown to anyone.
func (d *Directory) PeopleAtSchool(ctx context.Context, q ListQuery) ([]Listed, error) {
	q.Leavers = false
	list, err := d.List(ctx, q)
	if err != nil {
		return nil, err
	}
	var pupils []int64
	for _, l := range list {
		if l.Role == Pupil {
			pupils = append(pupils, l.ID)
		}
	}
	if len(pupils) == 0 {
		return list, nil
	}
	revoked, err := revokedAmong(ctx, d.db.R, pupils)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, l := range list {
		if !revoked[l.ID] {
			out = append(out, l)
		}
	}
	return out, nil
}

// PersonAtSchool is one person of PeopleAtSchool by login: an error
// wrapping store.ErrNotFound for an unknown login, a leaver past the
// leaving date and a pupil whose consent is revoked.
func (d *Directory) PersonAtSchool(ctx context.Context, login string) (Listed, error) {
	p, err := personByLogin(ctx, d.db.R, login)
	if err != nil {
		return Listed{}, err
	}
	if p.HasLeft(d.now()) {
		return Listed{}, fmt.Errorf("directory: %s has left the school: %w", p.Login, store.ErrNotFound)
	}
	if p.Role == Pupil {
		revoked, err := revokedConsent(ctx, d.db.R, p.ID)
		if err != nil {
			return Listed{}, err
		}
		if revoked {
			return Listed{}, fmt.Errorf("directory: consent for %s revoked: %w", p.Login, store.ErrNotFound)
		}
	}
	classes, err := d.ClassesOf(ctx, p)
	if err != nil {
		return Listed{}, err
	}
	sort.Strings(classes)
	return Listed{Person: p, Classes: classes}, nil
}
