package directory

import (
	"context"
	"fmt"

	"kaspel/server/store"
)

// The calendar module keeps one calendar per class or group and decides
// who reads and writes it by membership; these are the reads it needs.

// MemberGroups lists the classes and other groups (not the role groups)
// a person belongs to, by name.
func (d *Directory) MemberGroups(ctx context.Context, personID int64) ([]Group, error) {
	ids, err := explicitGroupIDs(ctx, d.db.R, []int64{personID})
	if err != nil {
		return nil, err
	}
	if len(ids[personID]) == 0 {
		return nil, nil
	}
	return queryGroups(ctx, d.db.R, `WHERE id IN (SELECT value FROM json_each(?)) AND kind <> 'role' ORDER BY name`, store.IDsJSON(ids[personID]))
}

// GroupByID returns the group with that id.
func (d *Directory) GroupByID(ctx context.Context, id int64) (Group, error) {
	gs, err := queryGroups(ctx, d.db.R, `WHERE id = ?`, id)
	if err != nil {
		return Group{}, err
	}
	if len(gs) == 0 {
		return Group{}, fmt.Errorf("directory: group %d: %w", id, store.ErrNotFound)
	}
	return gs[0], nil
}
