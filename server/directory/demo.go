package directory

import (
	"context"
	"database/sql"
	"fmt"
)

// AddDemoPeople creates accounts that all share one known password and
// need no change at the first login, so that someone trying Kaspel can log
// in as anybody. Only the demo school uses it: the usage rules demand a
// change after every password an admin sets.
func (d *Directory) AddDemoPeople(ctx context.Context, actor Actor, people []NewPerson, password string) ([]Person, error) {
	hash, err := d.hasher.Hash(ctx, password)
	if err != nil {
		return nil, err
	}
	var out []Person
	err = d.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, np := range people {
			p, err := addPerson(ctx, tx, d.now(), np, hash)
			if err != nil {
				return err
			}
			no := false
			if err := updatePerson(ctx, tx, p.ID, personUpdate{MustChange: &no}); err != nil {
				return err
			}
			p.MustChange = false
			out = append(out, p)
		}
		return d.record(ctx, tx, actor, "demo.add", "", fmt.Sprintf("%d demo accounts", len(people)))
	})
	return out, err
}
