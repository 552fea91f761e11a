package directory

import (
	"context"
	"database/sql"
	"regexp"
)

var serviceNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{1,31}$`)

// AddServiceAccount creates a read-only LDAP account for a machine or
// application (sssd, nslcd, pGina, a web app) and returns its password.
func (d *Directory) AddServiceAccount(ctx context.Context, actor Actor, name string) (string, error) {
	if !serviceNameRE.MatchString(name) {
		return "", invalidf("service account name %q: use 2-32 lower-case letters, digits and -, starting with a letter", name)
	}
	secret := ServicePassword()
	hash, err := d.hasher.Hash(ctx, secret)
	if err != nil {
		return "", err
	}
	err = d.change(ctx, actor, "service.add", name, func(tx *sql.Tx) (string, error) {
		if _, err := serviceByName(ctx, tx, name); err == nil {
			return "", invalidf("service account %q exists already", name)
		}
		return "", insertService(ctx, tx, name, hash)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// ResetServiceAccount gives a service account a new password.
func (d *Directory) ResetServiceAccount(ctx context.Context, actor Actor, name string) (string, error) {
	secret := ServicePassword()
	hash, err := d.hasher.Hash(ctx, secret)
	if err != nil {
		return "", err
	}
	err = d.change(ctx, actor, "service.passwd", name, func(tx *sql.Tx) (string, error) {
		a, err := serviceByName(ctx, tx, name)
		if err != nil {
			return "", err
		}
		return "", updateServiceHash(ctx, tx, a.ID, hash)
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// RemoveServiceAccount deletes a service account.
func (d *Directory) RemoveServiceAccount(ctx context.Context, actor Actor, name string) error {
	return d.change(ctx, actor, "service.remove", name, func(tx *sql.Tx) (string, error) {
		a, err := serviceByName(ctx, tx, name)
		if err != nil {
			return "", err
		}
		return "", deleteService(ctx, tx, a.ID)
	})
}

// ServiceAccounts lists the service accounts.
func (d *Directory) ServiceAccounts(ctx context.Context) ([]ServiceAccount, error) {
	return listServices(ctx, d.db.R)
}
