package directory

// Reads the chat module needs: who shares a class with whom (pupils may
// only write to their classmates and the teachers of their classes), whose
// parents revoked the consent (their names are no longer shown), and when
// the current school year began (class rooms start fresh after the
// promotion, so next year's 3a does not read this year's 3a). The chat
// module never queries the directory's tables itself; these are its way in.
// They compose the directory's existing queries and add no SQL of their own.

import (
	"context"
	"errors"
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"kaspel/server/store"
)

// ClassmatesOf lists the people who are in one of p's classes today
// (pupils and teachers; not p, not leavers, not pupils whose parents
// revoked the consent), in German name order. Classes holds the classes
// they share with p, not all of theirs.
func (d *Directory) ClassmatesOf(ctx context.Context, p Person) ([]Listed, error) {
	groups, err := d.MemberGroups(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	at := map[int64]int{} // person id -> index in out
	var out []Listed
	for _, g := range groups {
		if g.Kind != KindClass {
			continue
		}
		members, err := d.CurrentMembers(ctx, g)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if m.ID == p.ID {
				continue
			}
			if i, ok := at[m.ID]; ok {
				out[i].Classes = append(out[i].Classes, g.Name)
				continue
			}
			at[m.ID] = len(out)
			out = append(out, Listed{Person: m, Classes: []string{g.Name}})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(out))
	for i, l := range out {
		ids[i] = l.ID
	}
	revoked, err := d.ConsentRevoked(ctx, ids)
	if err != nil {
		return nil, err
	}
	kept := out[:0]
	for _, l := range out {
		if !revoked[l.ID] {
			kept = append(kept, l)
		}
	}
	col := collate.New(language.German, collate.IgnoreCase)
	sort.SliceStable(kept, func(i, j int) bool {
		if c := col.CompareString(kept[i].LastName, kept[j].LastName); c != 0 {
			return c < 0
		}
		return col.CompareString(kept[i].FirstName, kept[j].FirstName) < 0
	})
	return kept, nil
}

// ConsentRevoked tells which of the people are pupils whose parents'
// newest consent record is revoked.
func (d *Directory) ConsentRevoked(ctx context.Context, personIDs []int64) (map[int64]bool, error) {
	if len(personIDs) == 0 {
		return map[int64]bool{}, nil
	}
	return revokedAmong(ctx, d.db.R, personIDs)
}

// LastPromotion is the date (YYYY-MM-DD) of the last promotion, the
// start of the current school year as far as the directory knows; "" if
// the school never ran one.
func (d *Directory) LastPromotion(ctx context.Context) (string, error) {
	v, err := getSetting(ctx, d.db.R, settingLastPromotion)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	return v, err
}
