package directory

import (
	"context"
	"database/sql"
	"errors"

	"kaspel/server/store"
)

// Modules reports which of the named modules the school switched on. A
// module nobody switched is on: a new school starts with everything that
// is built.
func (d *Directory) Modules(ctx context.Context, names []string) (map[string]bool, error) {
	out := make(map[string]bool, len(names))
	for _, n := range names {
		v, err := getSetting(ctx, d.db.R, "module."+n)
		switch {
		case errors.Is(err, store.ErrNotFound):
			out[n] = true
		case err != nil:
			return nil, err
		default:
			out[n] = v == "on"
		}
	}
	return out, nil
}

// SetModule switches a module on or off.
func (d *Directory) SetModule(ctx context.Context, actor Actor, name string, on bool) error {
	v, action := "off", "module.off"
	if on {
		v, action = "on", "module.on"
	}
	return d.change(ctx, actor, action, name, func(tx *sql.Tx) (string, error) {
		return "", putSetting(ctx, tx, "module."+name, v)
	})
}
